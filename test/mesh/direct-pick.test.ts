/**
 * `Usable.direct` (shared-candidates.ts) is a shortcut: on Istio's default pick (one level, least request,
 * equal weights, not in panic, no locality weights) upstream.ts `pickOnce` goes straight to P2C over the
 * level's usable hosts instead of deciding level, panic and locality first. The shortcut must pick what
 * the general path picks, draw for draw. The library goldens only see healthy views; this checks it on
 * random active-request counts and random ejections (where a proxy's usable list is its own and holds
 * fewer hosts than its array's length), against the same view with the shortcut removed.
 */
import fc from 'fast-check';
import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import type { StreamDraws } from '../../src/des/index.js';
import { PrioritySet } from '../../src/mesh/priority-set.js';
import type { Proxy } from '../../src/mesh/proxy.js';
import type { Usable } from '../../src/mesh/shared-candidates.js';
import { effectiveTrafficPolicy } from '../../src/mesh/traffic/effective-traffic-policy.js';
import { LbPolicy } from '../../src/mesh/traffic/load-balancer.js';
import { Upstream, type HostHealth } from '../../src/mesh/upstream.js';
import { unlimitedPool } from '../helpers/connection-pool.js';
import { testEndpoint } from '../helpers/endpoint.js';

/** Draws from one seeded alea stream, whatever the stream number (both views get equal sequences). */
function draws(seed: number): StreamDraws {
  const rng = seedrandom.alea(String(seed));
  return { next: () => rng() };
}

/** Hosts ejected from the start and never returned: a proxy's view then holds usable lists of its own. */
function ejecting(ejected: ReadonlySet<number>): HostHealth {
  return {
    advance: () => false,
    ejectedCount: ejected.size,
    forEachEjected: (visit) => ejected.forEach(visit),
    isEjected: (h) => ejected.has(h),
    recordSuccess: () => {},
    recordFailure: () => false,
  };
}

function view(n: number, policy: LbPolicy, ejected: ReadonlySet<number>, seed: number): Upstream {
  const hosts = Array.from({ length: n }, (_, k) => ({
    host: testEndpoint(k, { latency: { sampler: undefined, stream: k } } as unknown as Proxy),
    weight: 1,
    priority: 0,
    locality: -1,
    localityWeight: 0,
  }));
  const set = new PrioritySet(
    hosts,
    { ...effectiveTrafficPolicy(undefined), lbPolicy: policy },
    Int32Array.from(hosts, (_, k) => k),
  );
  return new Upstream(
    set,
    0,
    draws(seed),
    0,
    ejected.size > 0 ? ejecting(ejected) : undefined,
    unlimitedPool(),
  );
}

/** The view's candidate lists (a private field: the shortcut is what this test takes away). */
const usableOf = (u: Upstream) => (u as unknown as { usable: Usable }).usable;

describe('mesh/upstream direct pick', () => {
  it('picks what the general path picks, draw for draw, on random active counts and ejections', () => {
    let direct = 0;
    let directWithEjections = 0;
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 40 }),
        fc.constantFrom(LbPolicy.LEAST_REQUEST, LbPolicy.LEAST_REQUEST, LbPolicy.RANDOM),
        fc.array(fc.nat(), { maxLength: 12 }),
        fc.array(fc.nat(), { maxLength: 60 }),
        fc.integer(),
        (n, policy, ejectedDraws, startDraws, seed) => {
          const ejected = new Set(ejectedDraws.map((x) => x % n));
          const shortcut = view(n, policy, ejected, seed);
          const general = view(n, policy, ejected, seed);
          const usable = usableOf(shortcut);
          if (usable.direct !== undefined) {
            direct++;
            if (usable.directCount < usable.direct.length) directWithEjections++;
          }
          (general as unknown as { usable: Usable }).usable = {
            ...usable,
            direct: undefined,
            directCount: 0,
          };
          // The same active-request counts on both, then picks that keep adding to them.
          for (const x of startDraws) {
            shortcut.started(x % n);
            general.started(x % n);
          }
          for (let i = 0; i < 50; i++) {
            const a = shortcut.pick(undefined, undefined, 0);
            const b = general.pick(undefined, undefined, 0);
            expect(a).toBe(b);
            if (a >= 0) {
              // In panic Envoy balances over every host, ejected or not (upstream.ts pickOnce).
              if (usable.load.panic[0] !== 1) expect(ejected.has(a)).toBe(false);
              shortcut.started(a);
              general.started(a);
            }
            // Some tries end, so counts go down as well as up.
            if (i % 3 === 2 && a >= 0) {
              shortcut.finished(a);
              general.finished(a);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
    // The property is only worth its runs if the shortcut was taken, with and without ejections.
    expect(direct).toBeGreaterThan(100);
    expect(directWithEjections).toBeGreaterThan(20);
  });
});
