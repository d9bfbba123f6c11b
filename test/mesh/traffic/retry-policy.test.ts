import { describe, expect, it } from 'vitest';
import { ResponseFlag } from '../../../src/mesh/response-flag.js';
import type { HttpRetry } from '../../../src/mesh/routing-config.js';
import {
  DEFAULT_RETRY_POLICY,
  NO_RETRY_POLICY,
  RetryOn,
  backoffMs,
  parseRetryOn,
  retryPolicy,
  shouldRetry,
  type RetryPolicy,
} from '../../../src/mesh/traffic/retry-policy.js';
import { AttemptOutcome } from '../../../src/mesh/traffic/attempt-outcome.js';

function retries(overrides: Partial<HttpRetry> = {}): HttpRetry {
  return { attempts: 3, perTryTimeoutMs: 0, retryOn: [], retryRemoteLocalities: false, ...overrides };
}

const policyOn = (retryOn: string) => retryPolicy(retries({ retryOn: retryOn.split(',') }));
const would = (policy: RetryPolicy, outcome: AttemptOutcome, code = 0, flags = 0) =>
  shouldRetry(policy, outcome, code, flags);

describe('mesh/traffic/retry-policy', () => {
  it('retryPolicy(undefined) is Istio default: 2 retries, connect-failure etc., no status codes since 1.24', () => {
    const p = retryPolicy(undefined);
    expect(p).toBe(DEFAULT_RETRY_POLICY);
    expect(p.numRetries).toBe(2);
    expect(p.retriableStatusCodes).toEqual([]);
    expect(p.previousHosts).toBe(true);
    expect(p.hostSelectionMaxAttempts).toBe(5);
    expect(p.perTryTimeoutMs).toBe(0);
    expect([p.backoffBaseMs, p.backoffMaxMs]).toEqual([25, 250]);
  });

  it('the default policy retries connect failures and refused streams, not 503s or resets', () => {
    const p = DEFAULT_RETRY_POLICY;
    expect(would(p, AttemptOutcome.connectFailure)).toBe(true);
    expect(would(p, AttemptOutcome.refusedStream)).toBe(true);
    expect(would(p, AttemptOutcome.response, 503)).toBe(false); // EXCLUDE_UNSAFE_503_FROM_DEFAULT_RETRY (1.24)
    expect(would(p, AttemptOutcome.reset)).toBe(false);
    expect(would(p, AttemptOutcome.perTryTimeout)).toBe(false);
  });

  it('retryPolicy({attempts: 0}) disables retries', () => {
    expect(retryPolicy(retries({ attempts: 0, retryOn: ['5xx'] }))).toBe(NO_RETRY_POLICY);
    expect(would(NO_RETRY_POLICY, AttemptOutcome.connectFailure)).toBe(false);
  });

  it('retryPolicy() overrides attempts, perTryTimeout, retryOn, backoff and the host predicate', () => {
    const p = retryPolicy(
      retries({
        attempts: 3,
        perTryTimeoutMs: 500,
        retryOn: ['5xx', 'connect-failure'],
        backoffMs: 10,
        retryIgnorePreviousHosts: false,
      }),
    );
    expect(p.numRetries).toBe(3);
    expect(p.perTryTimeoutMs).toBe(500);
    expect(p.retryOn).toBe(RetryOn['5xx'] | RetryOn['connect-failure']);
    expect([p.backoffBaseMs, p.backoffMaxMs]).toEqual([10, 100]);
    expect(p.previousHosts).toBe(false);
  });

  it('retryPolicy() without retryOn keeps the default conditions (Istio only replaces a non-empty retryOn)', () => {
    expect(retryPolicy(retries({ attempts: 4 })).retryOn).toBe(DEFAULT_RETRY_POLICY.retryOn);
  });

  it('parseRetryOn() turns status codes into retriable-status-codes', () => {
    expect(parseRetryOn(['503', ' gateway-error '])).toEqual({
      retryOn: RetryOn['gateway-error'] | RetryOn['retriable-status-codes'],
      codes: [503],
    });
  });

  it('5xx retries any 5xx response, resets, connect failures and per-try timeouts', () => {
    const p = policyOn('5xx');
    expect(would(p, AttemptOutcome.response, 500)).toBe(true);
    expect(would(p, AttemptOutcome.response, 503)).toBe(true);
    expect(would(p, AttemptOutcome.response, 404)).toBe(false);
    expect(would(p, AttemptOutcome.reset)).toBe(true);
    expect(would(p, AttemptOutcome.connectFailure)).toBe(true);
    expect(would(p, AttemptOutcome.perTryTimeout)).toBe(true);
  });

  it('gateway-error retries 502, 503, 504 only, and resets', () => {
    const p = policyOn('gateway-error');
    expect([500, 502, 503, 504, 505].map((c) => would(p, AttemptOutcome.response, c))).toEqual([
      false,
      true,
      true,
      true,
      false,
    ]);
    expect(would(p, AttemptOutcome.reset)).toBe(true);
  });

  it('reset retries resets and per-try timeouts, not responses', () => {
    const p = policyOn('reset');
    expect(would(p, AttemptOutcome.reset)).toBe(true);
    expect(would(p, AttemptOutcome.perTryTimeout)).toBe(true);
    expect(would(p, AttemptOutcome.response, 503)).toBe(false);
  });

  it('connect-failure retries connect failures only', () => {
    const p = policyOn('connect-failure');
    expect(would(p, AttemptOutcome.connectFailure)).toBe(true);
    expect(would(p, AttemptOutcome.reset)).toBe(false);
    expect(would(p, AttemptOutcome.response, 503)).toBe(false);
  });

  it('reset-before-request retries a connect failure (nothing was sent) but not a reset', () => {
    const p = policyOn('reset-before-request');
    expect(would(p, AttemptOutcome.connectFailure)).toBe(true);
    expect(would(p, AttemptOutcome.reset)).toBe(false);
  });

  it('retriable-4xx retries 409 only', () => {
    const p = policyOn('retriable-4xx');
    expect([409, 404, 429].map((c) => would(p, AttemptOutcome.response, c))).toEqual([true, false, false]);
  });

  it('retriable-status-codes retries the listed codes', () => {
    const p = policyOn('503,429');
    expect([503, 429, 500].map((c) => would(p, AttemptOutcome.response, c))).toEqual([true, true, false]);
  });

  it('refused-stream retries a refused stream only', () => {
    const p = policyOn('refused-stream');
    expect(would(p, AttemptOutcome.refusedStream)).toBe(true);
    expect(would(p, AttemptOutcome.reset)).toBe(false);
  });

  it('shouldRetry() never retries overflow (UO) or a fault abort (FI)', () => {
    const p = policyOn('5xx,reset,connect-failure');
    expect(would(p, AttemptOutcome.overflow)).toBe(false);
    expect(would(p, AttemptOutcome.response, 503, ResponseFlag.UO)).toBe(false);
    expect(would(p, AttemptOutcome.response, 503, ResponseFlag.FI)).toBe(false);
  });

  it('backoffMs(k, u) draws from [0, min(25·2^k, 250)) whole ms with the default policy', () => {
    const top = 0.999999;
    const { backoffBaseMs: base, backoffMaxMs: max } = DEFAULT_RETRY_POLICY;
    expect([0, 1, 2, 3, 4, 5].map((k) => backoffMs(k, top, base, max))).toEqual([24, 49, 99, 199, 249, 249]);
    expect(backoffMs(3, 0, base, max)).toBe(0);
    expect(backoffMs(0, 0.5, base, max)).toBe(12); // ⌊0.5·25⌋
    // A route's own base and cap (retryPolicy resolves them from HTTPRetry's backoff).
    expect([0, 1, 2, 3].map((k) => backoffMs(k, top, 10, 35))).toEqual([9, 19, 34, 34]);
  });
});
