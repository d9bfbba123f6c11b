/**
 * Conformance: priority load (healthy, degraded, panic, total panic) against Envoy's own test vectors.
 *
 * Source: envoyproxy/envoy test/common/upstream/load_balancer_impl_test.cc, commit
 * a191d22d1a187f29d33f953e11efcc7f4df30418, `LoadBalancerBaseTest.GentleFailover` and
 * `LoadBalancerBaseTest.GentleFailoverWithExtraLevels` (default overprovisioning factor 1.4, panic threshold
 * 50 % unless the test sets the runtime key to 0). Each row is one `updateHostSet` block: hosts, healthy and
 * degraded per level, and the `getLoadPercentage()`, `getDegradedLoadPercentage()` and `getPanic()` Envoy
 * asserts. Blocks using excluded hosts are left out: Istio never marks hosts excluded. meshsim's
 * `PriorityLoad.compute` (src/mesh/traffic/priority-load.ts) is the code under test; it is the one the
 * per-proxy Upstream uses on the request path.
 */
import { describe, expect, it } from 'vitest';
import { PriorityLoad } from '../../src/mesh/traffic/priority-load.js';

interface Row {
  test: string;
  hosts: number[];
  healthy: number[];
  degraded?: number[];
  threshold?: number;
  load: number[];
  degradedLoad?: number[];
  panic?: boolean[];
}

const rows: Row[] = [
  // GentleFailover
  { test: 'GentleFailover 1', hosts: [1, 1], healthy: [1, 1], load: [100, 0], panic: [false, false] },
  { test: 'GentleFailover 2', hosts: [2, 2], healthy: [1, 1], load: [70, 30], panic: [false, false] },
  { test: 'GentleFailover 3', hosts: [4, 2], healthy: [1, 2], load: [35, 65], panic: [false, false] },
  { test: 'GentleFailover 4', hosts: [4, 4], healthy: [1, 1], load: [50, 50], panic: [true, true] },
  // GentleFailoverWithExtraLevels
  {
    test: 'ExtraLevels 1',
    hosts: [1, 1, 1],
    healthy: [1, 1, 1],
    load: [100, 0, 0],
    panic: [false, false, false],
  },
  { test: 'ExtraLevels 2', hosts: [2, 2, 2], healthy: [1, 1, 1], load: [70, 30, 0], degradedLoad: [0, 0, 0] },
  { test: 'ExtraLevels 3', hosts: [4, 2, 2], healthy: [1, 2, 1], load: [35, 65, 0], degradedLoad: [0, 0, 0] },
  {
    test: 'ExtraLevels 4',
    hosts: [4, 4, 4],
    healthy: [1, 1, 1],
    load: [35, 35, 30],
    degradedLoad: [0, 0, 0],
  },
  {
    test: 'ExtraLevels 5',
    hosts: [5, 5, 5],
    healthy: [1, 1, 1],
    load: [34, 33, 33],
    panic: [true, true, true],
  },
  {
    test: 'ExtraLevels 6',
    hosts: [5, 5, 5],
    healthy: [0, 0, 5],
    load: [0, 0, 100],
    panic: [false, false, false],
  },
  {
    test: 'ExtraLevels 7',
    hosts: [5, 5, 5],
    healthy: [0, 0, 4],
    load: [0, 0, 100],
    panic: [false, false, false],
  },
  {
    test: 'ExtraLevels 8',
    hosts: [5, 5, 5],
    healthy: [0, 0, 2],
    load: [34, 33, 33],
    panic: [true, true, true],
  },
  {
    test: 'ExtraLevels 9',
    hosts: [5, 5, 5],
    healthy: [0, 2, 2],
    degraded: [5, 2, 0],
    load: [0, 56, 44],
    degradedLoad: [0, 0, 0],
    panic: [false, false, false],
  },
  {
    test: 'ExtraLevels 10',
    hosts: [5, 3, 2],
    healthy: [0, 0, 0],
    load: [50, 30, 20],
    panic: [true, true, true],
  },
  {
    test: 'ExtraLevels 11',
    hosts: [5, 6, 3],
    healthy: [0, 2, 1],
    load: [37, 42, 21],
    panic: [true, true, true],
  },
  {
    test: 'ExtraLevels 12',
    hosts: [5, 5, 5],
    healthy: [0, 0, 1],
    degraded: [1, 5, 0],
    load: [0, 0, 28],
    degradedLoad: [28, 44, 0],
  },
  {
    test: 'ExtraLevels 13 (panic threshold 0)',
    hosts: [5, 5, 5],
    healthy: [0, 0, 0],
    degraded: [0, 2, 1],
    threshold: 0,
    load: [0, 0, 0],
    degradedLoad: [0, 67, 33],
  },
  {
    test: 'ExtraLevels 14 (threshold back to 50)',
    hosts: [5, 5, 5],
    healthy: [0, 0, 0],
    degraded: [0, 2, 1],
    load: [34, 33, 33],
    degradedLoad: [0, 0, 0],
  },
  {
    test: 'ExtraLevels 15',
    hosts: [3, 3, 3],
    healthy: [0, 0, 0],
    load: [34, 33, 33],
    panic: [true, true, true],
  },
  {
    test: 'ExtraLevels 16',
    hosts: [0, 6, 3],
    healthy: [0, 0, 0],
    load: [0, 67, 33],
    panic: [true, true, true],
  },
  {
    test: 'ExtraLevels 17',
    hosts: [3, 3, 3],
    healthy: [0, 0, 0],
    load: [34, 33, 33],
    panic: [true, true, true],
  },
];

describe('conformance: Envoy LoadBalancerBaseTest priority load vectors', () => {
  it.each(rows)('$test: hosts $hosts healthy $healthy → load $load', (row) => {
    const n = row.hosts.length;
    const s = new PriorityLoad(n).compute(row.healthy, row.hosts, n, row.threshold ?? 0.5, row.degraded);
    expect(Array.from(s.healthyPercent.subarray(0, n))).toEqual(row.load);
    if (row.degradedLoad !== undefined)
      expect(Array.from(s.degradedPercent.subarray(0, n))).toEqual(row.degradedLoad);
    if (row.panic !== undefined)
      expect(Array.from(s.panic.subarray(0, n), (x) => x === 1)).toEqual(row.panic);
  });
});
