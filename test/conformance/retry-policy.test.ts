/**
 * Conformance: the retry policy Istio sends Envoy, against Istio's own test cases.
 *
 * Source: istio/istio pilot/pkg/networking/core/route/retry/retry_test.go, commit
 * 86c9f01fd735fb01d8192f5bcaf0d424afb7f14c, `TestRetry` cases named below, replayed on meshsim's
 * `retryPolicy()` (Istio's `ConvertPolicy`) with the raw `retryOn` string split by the scenario loader's
 * `splitRetryOn`; and retry.go at the same commit: `defaultRetryOn` =
 * "connect-failure,refused-stream,unavailable,cancelled,retriable-status-codes" with no retriable status
 * codes (the cached default sets none: 503 is not in the default list at this commit), NumRetries 2,
 * HostSelectionRetryMaxAttempts 5, the previous_hosts predicate, previous_priorities at frequency 2.
 *
 * Istio passes unknown condition names through as text and Envoy ignores them; meshsim keeps retryOn as
 * bits, so "some,fake,conditions" is compared as "no known condition" (0), and `checkRouting` refuses such
 * names, as Istio's validation does (test/scenario/routing.test.ts). The consistent-hash cases
 * (`hashPolicy: true`) are not replayed: meshsim has no consistent-hash load balancing.
 */
import { describe, expect, it } from 'vitest';
import type { HttpRetry } from '../../src/mesh/routing-config.js';
import {
  DEFAULT_RETRY_POLICY,
  isRetriableStatusCode,
  RetryOn,
  retryPolicy,
} from '../../src/mesh/traffic/retry-policy.js';
import { splitRetryOn } from '../../src/scenario/normalize-routing.js';

const retries = (attempts: number, retryOn = '', extra: Partial<HttpRetry> = {}): HttpRetry => ({
  attempts,
  perTryTimeoutMs: 0,
  retryOn: splitRetryOn(retryOn),
  retryRemoteLocalities: false,
  ...extra,
});
const bits = (...names: (keyof typeof RetryOn)[]) => names.reduce((b, n) => b | RetryOn[n], 0);

describe('conformance: Istio TestRetry (retry.go ConvertPolicy)', () => {
  it('TestNilRetryShouldReturnDefault: 2 retries, the five default conditions, no codes, previous_hosts ×5', () => {
    const p = retryPolicy(undefined);
    expect(p).toBe(DEFAULT_RETRY_POLICY);
    expect(p.numRetries).toBe(2);
    expect(p.retryOn).toBe(
      bits('connect-failure', 'refused-stream', 'unavailable', 'cancelled', 'retriable-status-codes'),
    );
    expect(p.retriableStatusCodes).toEqual([]);
    expect(p.hostSelectionMaxAttempts).toBe(5);
    expect(p.previousHosts).toBe(true);
    expect(p.perTryTimeoutMs).toBe(0);
    expect(p.retryRemoteLocalities).toBe(false);
  });

  it('TestZeroAttemptsShouldReturnNilPolicy: attempts 0 → no retries', () => {
    expect(retryPolicy(retries(0)).numRetries).toBe(0);
    expect(retryPolicy(retries(0)).retryOn).toBe(0);
  });

  it('TestRetryWithAllFieldsSet: attempts 2, perTryTimeout 3 s, backoff 2 s, predicate and 5 attempts kept', () => {
    const p = retryPolicy(retries(2, 'some,fake,conditions', { perTryTimeoutMs: 3000, backoffMs: 2000 }));
    expect([p.numRetries, p.perTryTimeoutMs, p.backoffBaseMs]).toEqual([2, 3000, 2000]);
    expect(p.retryOn).toBe(0); // no condition Envoy knows
    expect(p.retriableStatusCodes).toEqual([]);
    expect(p.hostSelectionMaxAttempts).toBe(5);
    expect(p.previousHosts).toBe(true);
  });

  it('TestRetryOnWithEmptyParts and TestRetryOnWithWhitespace: empty and blank parts dropped', () => {
    expect(splitRetryOn('some,fake,conditions,,,')).toEqual(['some', 'fake', 'conditions']);
    expect(splitRetryOn(' some,\t,fake ,\tconditions, ,')).toEqual(['some', 'fake', 'conditions']);
    expect(retryPolicy(retries(2, ' 5xx,\t, 503 ,')).retriableStatusCodes).toEqual([503]);
  });

  it('TestRetryOnWithRetriableStatusCodes: "gateway-error,retriable-status-codes,503" → codes [503]', () => {
    const p = retryPolicy(retries(2, 'gateway-error,retriable-status-codes,503'));
    expect(p.retryOn).toBe(bits('gateway-error', 'retriable-status-codes'));
    expect(p.retriableStatusCodes).toEqual([503]);
  });

  it('TestRetryOnWithResetBeforeRequest', () => {
    expect(retryPolicy(retries(2, 'reset-before-request')).retryOn).toBe(bits('reset-before-request'));
  });

  it('TestRetryOnContainingStatusCodes: "…,5xx,404,conditions,503" → 5xx + retriable-status-codes, [404, 503]', () => {
    const p = retryPolicy(retries(2, 'some,fake,5xx,404,conditions,503'));
    expect(p.retryOn).toBe(bits('5xx', 'retriable-status-codes'));
    expect(p.retriableStatusCodes).toEqual([404, 503]);
  });

  it('TestRetryOnWithInvalidStatusCodesShouldAddToRetryOn: 1000 is no status code', () => {
    const p = retryPolicy(retries(2, 'some,fake,conditions,1000'));
    expect(p.retriableStatusCodes).toEqual([]);
    expect(p.retryOn & RetryOn['retriable-status-codes']).toBe(0);
  });

  it('a number is a status code only if Go knows its text (http.StatusText): 499 and 520 are not', () => {
    // retry.go parseRetryOn: `err == nil && http.StatusText(i) != ""`.
    expect(['503', '404', '425', '429', '511'].map(isRetriableStatusCode)).toEqual([
      true,
      true,
      true,
      true,
      true,
    ]);
    expect(['499', '520', '599', '306', '1000'].map(isRetriableStatusCode)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
    expect(retryPolicy(retries(2, '5xx,499')).retriableStatusCodes).toEqual([]);
  });

  it('TestMissingRetryOnShouldReturnDefaults: attempts only → the default conditions and codes', () => {
    const p = retryPolicy(retries(2));
    expect(p.retryOn).toBe(DEFAULT_RETRY_POLICY.retryOn);
    expect(p.retriableStatusCodes).toEqual(DEFAULT_RETRY_POLICY.retriableStatusCodes);
  });

  it('TestMissingPerTryTimeoutShouldReturnNil: no per-try timeout', () => {
    expect(retryPolicy(retries(2)).perTryTimeoutMs).toBe(0);
  });

  it('TestRetryRemoteLocalities: previous_priorities on, retryOn still the default', () => {
    const p = retryPolicy(retries(2, '', { retryRemoteLocalities: true }));
    expect(p.retryRemoteLocalities).toBe(true);
    expect(p.retryOn).toBe(DEFAULT_RETRY_POLICY.retryOn);
  });

  it('TestRetryPreviousHostsDefault and TestRetryPreviousHostsDisabled', () => {
    expect(retryPolicy(retries(2)).previousHosts).toBe(true);
    const off = retryPolicy(retries(2, '', { retryIgnorePreviousHosts: false }));
    expect(off.previousHosts).toBe(false);
    expect(off.hostSelectionMaxAttempts).toBe(5);
  });
});
