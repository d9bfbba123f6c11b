/**
 * PrioritySet (priority-set.ts): hosts grouped into levels and locality groups from their entries, per-host
 * priorities, localities and weights in arrays, and host lists that run in host order shared as views of one
 * identity array, checked against lists computed directly from the entries.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GatewayHost, PrioritySet, type HostEntry } from '../../src/mesh/priority-set.js';
import type { Proxy } from '../../src/mesh/proxy.js';
import { effectiveTrafficPolicy } from '../../src/mesh/traffic/effective-traffic-policy.js';
import { testEndpoint } from '../helpers/endpoint.js';

/** A sidecar as a set reads it: its latency, drawn by `sampler` from stream 100 + id. */
const sidecar = (id: number, sampler: unknown = SAMPLER) =>
  ({ latency: { sampler, stream: 100 + id } }) as unknown as Proxy;
const SAMPLER = { name: 'sidecar latency' };
const pod = (id: number, zone = 0) => testEndpoint(id, sidecar(id), { zone });

function set(entries: readonly Partial<HostEntry>[]): PrioritySet {
  const full = entries.map((e, i) => ({
    host: e.host ?? pod(i),
    weight: e.weight ?? 1,
    priority: e.priority ?? 0,
    locality: e.locality ?? -1,
    localityWeight: e.localityWeight ?? 0,
  }));
  return new PrioritySet(
    full,
    effectiveTrafficPolicy(undefined),
    Int32Array.from(full, (_, i) => i),
  );
}

/** The hosts (by index) whose `of` is `value`, in host order. */
const whose = (of: readonly number[], value: number) => of.flatMap((v, i) => (v === value ? [i] : []));

describe('mesh/priority-set', () => {
  it('groups hosts into levels and localities in host order, whatever the order of their entries', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: -1, max: 2 })), {
          minLength: 1,
          maxLength: 40,
        }),
        (hosts) => {
          const priorities = hosts.map(([p]) => p);
          const localities = hosts.map(([, l]) => l);
          const s = set(hosts.map(([priority, locality]) => ({ priority, locality })));
          const levels = Math.max(...priorities) + 1;
          expect(s.levels).toBe(levels);
          for (let p = 0; p < levels; p++) expect([...(s.levelHosts[p] ?? [])]).toEqual(whose(priorities, p));
          const groups = Math.max(...localities) + 1;
          expect(s.localityHosts.length).toBe(groups);
          for (let l = 0; l < groups; l++)
            expect([...(s.localityHosts[l] ?? [])]).toEqual(whose(localities, l));
          expect([...s.priorities]).toEqual(priorities);
          expect([...s.localities]).toEqual(localities);
        },
      ),
    );
  });

  it('host lists that run in host order are views of one array every set shares', () => {
    const a = set([{}, {}, {}]);
    const b = set([{}, {}, {}, {}, {}, { priority: 1 }, { priority: 1 }]);
    const mixed = set([{ priority: 1 }, {}, { priority: 1 }, {}]);
    expect([...(b.levelHosts[1] as Int32Array)]).toEqual([5, 6]);
    expect((a.levelHosts[0] as Int32Array).buffer).toBe((b.levelHosts[0] as Int32Array).buffer);
    expect((b.levelHosts[1] as Int32Array).buffer).toBe((b.levelHosts[0] as Int32Array).buffer);
    // Not consecutive: a list of its own.
    expect([...(mixed.levelHosts[0] as Int32Array)]).toEqual([1, 3]);
    expect((mixed.levelHosts[0] as Int32Array).buffer).not.toBe((a.levelHosts[0] as Int32Array).buffer);
    // A larger set grows the shared array; the sets made before keep theirs, unchanged.
    const large = set(Array.from({ length: 5000 }, () => ({})));
    expect((large.levelHosts[0] as Int32Array)[4999]).toBe(4999);
    expect([...(a.levelHosts[0] as Int32Array)]).toEqual([0, 1, 2]);
  });

  it("a pod's host is its endpoint, a gateway's its group; weights are per host, equal or not", () => {
    const gateway = new GatewayHost(-3, 1, 2);
    const s = set([{ weight: 2 }, { host: gateway, weight: 5 }]);
    expect(s.hosts.map((h) => [h.kind, h.key])).toEqual([
      ['pod', 0],
      ['gateway', -3],
    ]);
    expect([s.weightOf(0), s.weightOf(1)]).toEqual([2, 5]);
    const same = set([{ weight: 3 }, { weight: 3 }]);
    expect(same.weights).toBeUndefined();
    expect(same.weightOf(1)).toBe(3);
    expect(() => same.weightOf(2)).toThrow(RangeError);
    expect(() => same.weightOf(-1)).toThrow(RangeError);
    expect(s.indexOfKey(-3)).toBe(1);
    expect(s.indexOfKey(7)).toBe(-1);
  });

  it("lays out each host's zone and sidecar latency stream for a hop; gateways marked -1", () => {
    const gateway = new GatewayHost(-3, 1, 2);
    const s = set([{ host: pod(0, 4) }, { host: gateway }, { host: pod(7, 1) }]);
    expect([...s.hop]).toEqual([4, 100, 2, -1, 1, 107]);
    expect(s.podLatency).toBe(SAMPLER);
    // Pods whose sidecars draw with different samplers: a hop must ask each sidecar.
    const other = testEndpoint(9, sidecar(9, { name: 'another' }));
    const mixed = set([{ host: pod(0) }, { host: other }]);
    expect([...mixed.hop]).toEqual([0, 100, 0, 109]);
    expect(mixed.podLatency).toBeUndefined();
    expect(set([{ host: gateway }]).podLatency).toBeUndefined();
  });

  it('one level and no locality groups: priorities and localities are runs every such set shares', () => {
    const a = set([{}, {}, {}]);
    const b = set([{}, {}]);
    expect([...a.priorities]).toEqual([0, 0, 0]);
    expect([...a.localities]).toEqual([-1, -1, -1]);
    expect([...b.priorities]).toEqual([0, 0]);
    expect(a.priorities.buffer).toBe(b.priorities.buffer);
    expect(a.localities.buffer).toBe(b.localities.buffer);
    // A set with a second level, or locality groups, keeps its own.
    const c = set([{ priority: 1 }, {}]);
    expect([...c.priorities]).toEqual([1, 0]);
    expect(c.priorities.buffer).not.toBe(a.priorities.buffer);
    const d = set([
      { locality: 0, localityWeight: 1 },
      { locality: 0, localityWeight: 1 },
    ]);
    expect([...d.localities]).toEqual([0, 0]);
    expect(d.priorities.buffer).toBe(a.priorities.buffer);
  });
});
