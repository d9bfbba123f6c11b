/**
 * Shared views (issue 17): proxies that see the same (snapshot, service, subset, locality class) share one
 * PrioritySet, and each keeps only sparse state of its own.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { AleaStates, StreamSampler } from '../../src/des/index.js';
import { Proxy, type Upstream } from '../../src/mesh/index.js';
import { HostTable } from '../../src/mesh/host-table.js';
import { record } from '../helpers/mesh-run.js';

/** Two clusters of two zones; `front` calls `back` (10 pods per cluster); the DestinationRule is `rule`. */
function mesh(rule: string): string {
  return `
name: shared
duration: 20s
clusters:
  - { name: c1, region: r1, zones: [c1a, c1b] }
  - { name: c2, region: r1, zones: [c2a, c2b] }
services:
  - name: front
    deployments: [{ cluster: c1, replicas: 6 }, { cluster: c2, replicas: 6 }]
    serviceTime: 1ms
    calls: [{ service: back }]
  - { name: back, deployments: [{ cluster: c1, replicas: 10 }, { cluster: c2, replicas: 10 }], serviceTime: 1ms }
traffic: [{ name: t, entry: front, from: { c1: 50%, c2: 50% }, rate: 400/s }]
models: [{ name: mp, controlPlane: multi-primary }, { name: pr, controlPlane: primary-remote }]
${rule}
`;
}

/** The views of `back` held by the sidecars of `front`, with their proxies. */
function frontViews(r: ReturnType<typeof record>): { proxy: Proxy; view: Upstream }[] {
  const back = r.scenario.mesh.services.findIndex((s) => s.name === 'back');
  return r.mesh.allProxies.flatMap((proxy) => {
    const view = proxy.defaultUpstream(back);
    return proxy.endpoint !== undefined && view !== undefined && proxy.alive ? [{ proxy, view }] : [];
  });
}

describe('mesh: shared views', () => {
  it('multi-primary: istiods whose snapshots list the same endpoints share one host set', () => {
    const r = record(mesh(''), 'mp');
    r.runUntil(20_000);
    const views = frontViews(r);
    expect(views.length).toBe(12);
    // One istiod per cluster, one snapshot each (different versions), but equal content: one set.
    expect(new Set(views.map((v) => v.proxy.snapshot)).size).toBe(2);
    expect(new Set(views.map((v) => v.view.snapshotVersion)).size).toBe(2);
    expect(new Set(views.map((v) => v.view.set)).size).toBe(1);
    for (const { view } of views) expect(view.hosts.length).toBe(20);
  });

  it('snapshots that list other endpoints get sets of their own: content, not only the key, decides', () => {
    // c1's istiod is down while c2's back pods churn: c1's proxies keep the old list, c2's get the new one.
    const faults = `faults:
  - { at: 3s, for: 60s, type: control-plane-outage, cluster: c1 }
  - { at: 5s, for: 10s, type: pod-churn, service: back, cluster: c2, every: 2s }`;
    const r = record(mesh(faults), 'mp');
    r.runUntil(18_000);
    const views = frontViews(r).filter((v) => v.view.snapshotVersion === v.proxy.snapshot?.version);
    const stale = views.filter((v) => v.proxy.cluster === 0);
    const fresh = views.filter((v) => v.proxy.cluster === 1);
    expect(stale.length).toBeGreaterThan(0);
    expect(fresh.length).toBeGreaterThan(0);
    for (const { proxy, view } of views) {
      // A set lists exactly the endpoints of `back` its proxy's snapshot knows.
      const known = r.mesh.registry.all.filter((e) => e.service === 1 && proxy.snapshot?.knows(e.id));
      expect([...view.set.members]).toEqual(known.map((e) => e.id));
    }
    const staleSet = stale[0]?.view.set;
    const freshSet = fresh[0]?.view.set;
    expect(staleSet).not.toBe(freshSet);
    for (const v of stale) expect(v.view.set).toBe(staleSet);
    for (const v of fresh) expect(v.view.set).toBe(freshSet);
  });

  it('one istiod (primary-remote): every proxy of the mesh shares one set', () => {
    const r = record(mesh(''), 'pr');
    r.runUntil(20_000);
    expect(new Set(frontViews(r).map((v) => v.view.set)).size).toBe(1);
  });

  it('with locality failover (outlierDetection), the set is per locality class: one per (cluster, zone)', () => {
    const rule = `routing: { destinationRules: [{ host: back, trafficPolicy: { outlierDetection: { consecutive5xxErrors: 5, interval: 10s, baseEjectionTime: 30s } } }] }`;
    const r = record(mesh(rule), 'pr');
    r.runUntil(20_000);
    const views = frontViews(r);
    const byZone = new Map<number, Set<unknown>>();
    for (const { proxy, view } of views) {
      const sets = byZone.get(proxy.zone) ?? new Set();
      sets.add(view.set);
      byZone.set(proxy.zone, sets);
    }
    // Each zone's proxies share one set; different zones see different priorities, so different sets.
    for (const sets of byZone.values()) expect(sets.size).toBe(1);
    expect(new Set(views.map((v) => v.view.set)).size).toBe(byZone.size);
    // Priorities relative to the zone: the proxy's own zone is level 0.
    for (const { proxy, view } of views)
      view.hosts.forEach((h, i) => {
        if (h.zone === proxy.zone) expect(view.set.priorities[i]).toBe(0);
      });
  });

  it("a proxy's own state is sparse: active counts for hosts in flight, connections for hosts it sent to", () => {
    const r = record(mesh(''), 'pr');
    r.runUntil(20_000);
    for (const { view } of frontViews(r)) {
      const touched = view.touchedHosts;
      // 400/s over 12 front pods for 20 s: each sent to at most its 20 hosts, and holds few in flight.
      expect(touched.connected).toBeGreaterThan(0);
      expect(touched.connected).toBeLessThanOrEqual(view.hosts.length);
      expect(touched.active).toBeLessThanOrEqual(5);
      let active = 0;
      for (let h = 0; h < view.hosts.length; h++) active += view.activeRequests(h);
      expect(active).toBeGreaterThanOrEqual(0);
    }
  });
});

describe('mesh/proxy default-cluster views', () => {
  it('keeps the view of every service called, the last one asked for in front', () => {
    const proxy = new Proxy(
      0,
      'sidecar',
      0,
      0,
      { sampler: new StreamSampler({ dist: 'constant', value: 0 }, new AleaStates()), stream: 0 },
      { draws: { next: () => 0 }, stream: 0 },
      {},
    );
    // Stand-ins: only their identity matters here.
    const [a, b, b2] = [{ name: 'a' }, { name: 'b' }, { name: 'b2' }] as unknown as Upstream[];
    expect(proxy.defaultUpstream(3)).toBeUndefined();
    proxy.setDefaultUpstream(3, a as Upstream);
    proxy.setDefaultUpstream(1, b as Upstream);
    expect([proxy.defaultUpstream(3), proxy.defaultUpstream(1), proxy.lastUpstream]).toEqual([a, b, b]);
    proxy.setDefaultUpstream(3, a as Upstream);
    proxy.setDefaultUpstream(1, b2 as Upstream); // rebuilt for a new snapshot: replaces b
    expect(proxy.defaultUpstream(1)).toBe(b2);
    proxy.setDefaultUpstream(3, a as Upstream);
    expect(proxy.defaultUpstream(1)).toBe(b2);
    expect(new Set(proxy.defaultUpstreams)).toEqual(new Set([a, b2]));
    expect(proxy.defaultUpstreams.length).toBe(2);
    expect(proxy.defaultUpstream(2)).toBeUndefined();
  });
});

describe('mesh/proxy certificate', () => {
  const proxy = () =>
    new Proxy(
      0,
      'sidecar',
      0,
      0,
      { sampler: new StreamSampler({ dist: 'constant', value: 0 }, new AleaStates()), stream: 0 },
      { draws: { next: () => 0 }, stream: 0 },
      {},
    );

  it('hasValidCert answers nowMs < certExpiresMs exactly, with the rounded expiry kept inline', () => {
    // Around the rounding (fractions), the inline cap (2^30 - 1 ms), none issued (Infinity), 0 and NaN.
    const cap = 2 ** 30 - 1;
    const expiries = [Infinity, 0, NaN, -3.5, 5, 5.25, 86_400_000.75, cap - 0.5, cap, cap + 0.5, 2 ** 40];
    const p = proxy();
    expect(p.certExpiresMs).toBe(Infinity);
    expect(p.hasValidCert(2 ** 40)).toBe(true);
    for (const e of expiries) {
      p.certExpiresMs = e;
      expect(p.certExpiresMs).toBe(e);
      for (const d of [-1, -0.5, -0.25, -1e-9, 0, 1e-9, 0.25, 0.5, 1]) {
        const now = Number.isFinite(e) ? Math.max(0, e + d) : 1e6 + d;
        expect(p.hasValidCert(now)).toBe(now < e);
      }
    }
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 2 ** 32, noNaN: true }),
        fc.double({ min: 0, max: 2 ** 32 }),
        (e, now) => {
          p.certExpiresMs = e;
          return p.hasValidCert(now) === now < e;
        },
      ),
    );
  });
  it('certsValidAt(now) holds only while no certificate set so far rounds to now or earlier', async () => {
    // A fresh module: the floor is process-wide and other tests lowered it.
    vi.resetModules();
    const fresh = await import('../../src/mesh/proxy.js');
    const make = () =>
      new fresh.Proxy(
        0,
        'sidecar',
        0,
        0,
        { sampler: new StreamSampler({ dist: 'constant', value: 0 }, new AleaStates()), stream: 0 },
        { draws: { next: () => 0 }, stream: 0 },
        {},
      );
    const proxies = [make(), make(), make()];
    expect(fresh.certsValidAt(2 ** 29)).toBe(true);
    let lowest = 2 ** 30 - 1;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(2), fc.double({ min: 1e6, max: 2 ** 31, noNaN: true })), { maxLength: 6 }),
        fc.double({ min: 0, max: 2 ** 31, noNaN: true }),
        (sets, now) => {
          for (const [i, e] of sets) {
            (proxies[i] as Proxy).certExpiresMs = e;
            lowest = Math.min(lowest, Math.floor(e));
          }
          const valid = fresh.certsValidAt(now);
          return valid === now < lowest && (!valid || proxies.every((p) => p.hasValidCert(now)));
        },
      ),
    );
    // An expired certificate anywhere turns the shortcut off from then on, renewed or not.
    (proxies[0] as Proxy).certExpiresMs = 5;
    expect(fresh.certsValidAt(5)).toBe(false);
    (proxies[0] as Proxy).certExpiresMs = 2 ** 40;
    expect(fresh.certsValidAt(4)).toBe(true);
    expect(fresh.certsValidAt(5)).toBe(false);
  });
});

describe('mesh/proxy control flags', () => {
  it('pushQueued and certExpiredReported are set and cleared independently', () => {
    const p = new Proxy(
      0,
      'sidecar',
      0,
      0,
      { sampler: new StreamSampler({ dist: 'constant', value: 0 }, new AleaStates()), stream: 0 },
      { draws: { next: () => 0 }, stream: 0 },
      {},
    );
    expect([p.pushQueued, p.certExpiredReported]).toEqual([false, false]);
    let x = 7;
    const model = { pushQueued: false, certExpiredReported: false };
    for (let i = 0; i < 200; i++) {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      const v = (x & 4) !== 0;
      if ((x & 2) !== 0) p.pushQueued = model.pushQueued = v;
      else p.certExpiredReported = model.certExpiredReported = v;
      expect({ pushQueued: p.pushQueued, certExpiredReported: p.certExpiredReported }).toEqual(model);
    }
  });
});

describe('mesh/host-table', () => {
  // 300 hosts unbounded: growth and deletions in the hashed table; 3: a small one; with the universe given,
  // 6 and 16 are dense from the start, 20 after one growth, 300 after four (with 4 to 300 hosts non-zero).
  it.each([
    [300, undefined],
    [3, undefined],
    [6, 6],
    [16, 16],
    [20, 20],
    [300, 300],
  ])('get/set/add/forEach against a Map, over %i hosts (universe %s)', (hosts, universe) => {
    const t = new HostTable(universe);
    const m = new Map<number, number>();
    let x = 12345;
    const next = () => (x = (Math.imul(x, 1103515245) + 12345) >>> 0);
    for (let i = 0; i < 20_000; i++) {
      const host = next() % hosts;
      const delta = (next() % 3) - 1;
      if (i % 11 === 0) t.set(host, delta);
      else t.add(host, delta);
      const v = (i % 11 === 0 ? 0 : (m.get(host) ?? 0)) + delta;
      if (v === 0) m.delete(host);
      else m.set(host, v);
      if (i % 97 === 0) {
        for (let h = 0; h < hosts; h++) expect(t.get(h)).toBe(m.get(h) ?? 0);
        expect(t.size).toBe(m.size);
      }
    }
    expect(t.size).toBe(m.size);
    const seen = new Map<number, number>();
    t.forEach((h, v) => seen.set(h, v));
    expect(seen).toEqual(m);
    for (const h of [...m.keys()]) t.set(h, 0);
    expect(t.size).toBe(0);
    for (let h = 0; h < hosts; h++) expect(t.get(h)).toBe(0);
  });

  it('turns dense only when the hashed table would take no fewer ints than the universe', () => {
    // 100 hosts: hashed at 16, 32 and 64 ints (up to 16 entries), dense (100 ints) at the 17th.
    const t = new HostTable(100);
    const dense = () => (t as unknown as { dense: boolean }).dense;
    for (let h = 0; h < 16; h++) t.add(h * 6, 1);
    expect(dense()).toBe(false);
    t.add(99, 2);
    expect(dense()).toBe(true);
    expect(t.size).toBe(17);
    expect(t.get(99)).toBe(2);
    expect(t.get(90)).toBe(1);
    expect(t.get(1)).toBe(0);
  });

  it('refuses a host outside [0, universe) (a state that cannot happen)', () => {
    expect(() => new HostTable().set(-1, 1)).toThrow(RangeError);
    // -1 is also the hashed table's free-slot key: without the check it would be taken for a free slot.
    expect(() => new HostTable().add(-1, 1)).toThrow(RangeError);
    expect(() => new HostTable().set(-1, 0)).toThrow(RangeError);
    // Past the universe a dense table would drop the write (a typed array ignores writes out of range).
    for (const universe of [6, 100]) {
      const t = new HostTable(universe);
      expect(() => t.add(universe, 1)).toThrow(RangeError);
      expect(() => t.set(universe, 1)).toThrow(RangeError);
      expect(() => t.add(0.5, 1)).toThrow(RangeError);
    }
    // A dense table's get reads the array: past it, refused rather than read as 0.
    const dense = new HostTable(6);
    dense.add(0, 1);
    expect(() => dense.get(6)).toThrow(RangeError);
  });
});
