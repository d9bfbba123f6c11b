import { describe, expect, it } from 'vitest';
import { ResponseFlag } from '../../../src/mesh/response-flag.js';
import {
  AttemptEnd,
  AttemptOutcome,
  isAttemptOutcome,
  outlierFailureOf,
} from '../../../src/mesh/traffic/attempt-outcome.js';

describe('mesh/traffic/attempt-outcome', () => {
  it('outlierFailureOf(response, code) counts 502-504 as gateway errors, other 5xx as 5xx, the rest as success', () => {
    // Envoy source/common/upstream/outlier_detection_impl.cc `putHttpResponseCode`.
    expect([200, 404, 499].map((c) => outlierFailureOf(AttemptOutcome.response, c))).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
    expect([500, 502, 503, 504, 505].map((c) => outlierFailureOf(AttemptOutcome.response, c))).toEqual([
      '5xx',
      'gateway',
      'gateway',
      'gateway',
      '5xx',
    ]);
  });

  it('outlierFailureOf(local-origin end) is local-origin whatever the code', () => {
    for (const o of [
      AttemptOutcome.connectFailure,
      AttemptOutcome.reset,
      AttemptOutcome.refusedStream,
      AttemptOutcome.perTryTimeout,
    ])
      expect(outlierFailureOf(o, 200)).toBe('local-origin');
  });

  it('AttemptEnd gives each end its outcome and its Envoy response flag', () => {
    const table = Object.entries(AttemptEnd).map(([name, e]) => [name, e.outcome, e.flag]);
    expect(table).toEqual([
      ['response', AttemptOutcome.response, 0],
      ['noHealthyUpstream', AttemptOutcome.response, ResponseFlag.UH],
      ['connectFailure', AttemptOutcome.connectFailure, ResponseFlag.UF],
      ['connectionReset', AttemptOutcome.reset, ResponseFlag.UC],
      ['gatewayNoBackend', AttemptOutcome.reset, ResponseFlag.UH],
      ['perTryTimeout', AttemptOutcome.perTryTimeout, ResponseFlag.UT],
      ['overflow', AttemptOutcome.overflow, ResponseFlag.UO],
    ]);
    expect(Object.values(AttemptOutcome).every(isAttemptOutcome)).toBe(true);
    expect([-1, 6, 1.5, '0'].some(isAttemptOutcome)).toBe(false);
  });
});
