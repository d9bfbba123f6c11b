import { describe, expect, it } from 'vitest';
import type { DestinationRule, OutlierDetection } from '../../../src/mesh/routing-config.js';
import { effectiveTrafficPolicy } from '../../../src/mesh/traffic/effective-traffic-policy.js';
import { UNLIMITED } from '../../../src/mesh/traffic/connection-pool.js';

const outlier: OutlierDetection = {
  consecutive5xxErrors: 5,
  consecutiveGatewayErrors: 0,
  intervalMs: 10_000,
  baseEjectionTimeMs: 30_000,
  maxEjectionPercent: 1,
  minHealthPercent: 0.2,
};

describe('mesh/traffic/effective-traffic-policy', () => {
  it('effectiveTrafficPolicy(undefined) is Istio default: LEAST_REQUEST, locality on, no outlier detection, 2^32-1 pool', () => {
    const p = effectiveTrafficPolicy(undefined);
    expect(p.lbPolicy).toBe('LEAST_REQUEST');
    expect(p.localityLbSetting.enabled).toBe(true);
    expect(p.outlierDetection).toBeUndefined();
    expect(p.connectionPool).toEqual({
      maxConnections: UNLIMITED,
      connectTimeoutMs: 10_000,
      http1MaxPendingRequests: UNLIMITED,
      http2MaxRequests: UNLIMITED,
      maxRetries: UNLIMITED,
      http2: false,
    });
    expect(p.panicThreshold).toBe(0.5); // Envoy's own default, irrelevant without ejection
  });

  it('effectiveTrafficPolicy(rule, subset) replaces whole blocks the subset sets and inherits the others', () => {
    const rule: DestinationRule = {
      host: 'reviews',
      trafficPolicy: {
        loadBalancer: { simple: 'ROUND_ROBIN', localityLbSetting: undefined },
        outlierDetection: outlier,
        connectionPool: undefined,
      },
      subsets: [
        {
          name: 'v2',
          labels: { version: 'v2' },
          trafficPolicy: {
            loadBalancer: { simple: 'RANDOM', localityLbSetting: undefined },
            outlierDetection: undefined,
            connectionPool: undefined,
          },
        },
      ],
    };
    const v2 = effectiveTrafficPolicy(rule, 'v2');
    expect(v2.lbPolicy).toBe('RANDOM');
    expect(v2.outlierDetection).toBe(outlier);
    expect(v2.panicThreshold).toBe(0.2); // minHealthPercent with outlier detection
    expect(effectiveTrafficPolicy(rule).lbPolicy).toBe('ROUND_ROBIN');
    expect(effectiveTrafficPolicy(rule, 'unknown').lbPolicy).toBe('ROUND_ROBIN');
  });
});
