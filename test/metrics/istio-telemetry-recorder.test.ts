/**
 * The telemetry recorder's pair table (open addressing over (source workload, destination) pairs, with
 * each pair's last outcome and series): every call lands in its label set's counts, whatever the order
 * pairs appear in, however often a pair's outcome changes, and after the table has grown (rehashed)
 * several times with pairs in every state. And its fast path (`callCompleted`) records to the bit what its
 * general path (`record`) records.
 */
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { ResponseFlag, type Call } from '../../src/mesh/index.js';
import { callRecord } from './call-record.js';
import {
  ISTIO_DURATION_BUCKETS_MS,
  IstioTelemetryRecorder,
} from '../../src/metrics/istio-telemetry-recorder.js';
import type { CallRecord } from '../../src/metrics/record-buffer.js';

const SERVICES = 40;
const CLUSTERS = 3;
const WINDOW_MS = 1000;

/** The fields of a call the recorder reads; endpoint ids dense, one per (service, cluster). */
function endpoint(service: number, cluster: number) {
  return { id: service * CLUSTERS + cluster, service, cluster, labels: {} };
}

function call(
  from: number | undefined,
  to: number | undefined,
  service: number,
  code: number,
  flags: number,
  sentMs: number,
): Readonly<Call> {
  const src = from === undefined ? undefined : endpoint(from, 0);
  return {
    sentMs,
    endMs: sentMs + 3,
    arrivedMs: to === undefined ? -1 : sentMs + 1,
    responseCode: code,
    responseFlags: flags,
    endpoint: to === undefined ? undefined : endpoint(to, (to + service) % CLUSTERS),
    source: { endpoint: src, cluster: 0 },
    service: { index: service },
    request: { traffic: 0 },
  } as unknown as Readonly<Call>;
}

describe('IstioTelemetryRecorder pair table', () => {
  it('counts every call in its label set across outcome changes and table growth', () => {
    const recorder = new IstioTelemetryRecorder({
      services: Array.from({ length: SERVICES }, (_, i) => `s${i}`),
      clusters: ['c0', 'c1', 'c2'],
      traffic: [{ name: 't', via: 'direct' }],
      warmupMs: 0,
      endMs: 10 * WINDOW_MS,
      windowMs: WINDOW_MS,
      istiods: [],
      now: () => 0,
      namespace: 'default',
    });
    // Expected source-reporter counts by label set, keyed by names the export uses.
    const expected = new Map<string, number>();
    let x = 99;
    const next = (n: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return (x >>> 12) % n;
    };
    // 1,600 possible (source, destination) pairs and unrouted calls per service: the table starts at 256
    // slots, kept half full, so it grows several times with pairs in every state.
    for (let i = 0; i < 40_000; i++) {
      const from = next(SERVICES + 1);
      const service = next(SERVICES);
      const routed = next(20) !== 0;
      const code = next(7) === 0 ? 503 : 200;
      const flags = code === 503 ? 1 : 0;
      const c = call(
        from === SERVICES ? undefined : from,
        routed ? service : undefined,
        service,
        code,
        flags,
        i / 5,
      );
      recorder.callCompleted(callRecord(c));
      const dst = routed ? `s${service}@c${(2 * service) % CLUSTERS}` : '-';
      const key = `${from === SERVICES ? 't' : `s${from}`}@c0>${dst}|s${service}|${code}`;
      expected.set(key, (expected.get(key) ?? 0) + 1);
    }
    const t = recorder.telemetry(10 * WINDOW_MS);
    const got = new Map<string, number>();
    let destinationTotal = 0;
    for (const s of t.series) {
      let n = 0;
      for (let k = 0; k < t.windows; k++) n += s.counts[k] as number;
      if (s.reporter === 'destination') {
        destinationTotal += n;
        continue;
      }
      const name = (w: number) => `${t.workloads[w]?.workload}@${t.workloads[w]?.cluster}`;
      const src = name(s.source);
      const dst = s.destination < 0 ? '-' : name(s.destination);
      got.set(`${src}>${dst}|${s.destinationService}|${s.responseCode}`, n);
    }
    expect(got).toEqual(expected);
    let routedTotal = 0;
    for (const [k, n] of expected) if (!k.includes('>-|')) routedTotal += n;
    expect(destinationTotal).toBe(routedTotal);
    // Over 1,024 pairs: the table grew from 256 slots to 4,096 (at 129, 257, 513 and 1,025 pairs).
    expect(new Set([...expected.keys()].map((k) => k.slice(0, k.lastIndexOf('|')))).size).toBeGreaterThan(
      1025,
    );
  });

  it('records sums and buckets the same whether a call takes the fast path or the general one', () => {
    // callCompleted records a call whose lookups all hit on its own path, anything else the general
    // way (record): a pair's first call, an outcome change, a duration above the bucket table (1 s), a
    // call not yet served (arrivedMs -1). Interleaved here, each label set's sum and buckets must be
    // what a plain scan of the bounds gives for its calls.
    const recorder = new IstioTelemetryRecorder({
      services: ['a', 'b'],
      clusters: ['c0', 'c1', 'c2'],
      traffic: [{ name: 't', via: 'direct' }],
      warmupMs: 0,
      endMs: 100 * WINDOW_MS,
      windowMs: WINDOW_MS,
      istiods: [],
      now: () => 0,
      namespace: 'default',
    });
    const bucket = (v: number) => {
      const i = ISTIO_DURATION_BUCKETS_MS.findIndex((b) => v <= b);
      return i < 0 ? ISTIO_DURATION_BUCKETS_MS.length : i;
    };
    const durations = [0.2, 0.5, 0.75, 1, 4.99, 5, 24.5, 250.25, 999.5, 1000, 1000.5, 2500, 70000];
    const expected = new Map<string, { sum: number; buckets: number[] }>();
    const add = (key: string, ms: number) => {
      let e = expected.get(key);
      if (e === undefined) {
        e = { sum: 0, buckets: new Array<number>(ISTIO_DURATION_BUCKETS_MS.length + 1).fill(0) };
        expected.set(key, e);
      }
      e.sum += ms;
      e.buckets[bucket(ms)] = (e.buckets[bucket(ms)] as number) + 1;
    };
    for (let i = 0; i < 600; i++) {
      const from = i % 3 === 0 ? undefined : endpoint(0, 0);
      const code = i % 17 === 0 ? 503 : 200;
      const served = i % 11 !== 0;
      const ms = durations[i % durations.length] as number;
      const sentMs = (i * 9000) / 600;
      const c = {
        sentMs,
        endMs: sentMs + ms,
        arrivedMs: served ? sentMs + ms / 4 : -1,
        responseCode: code,
        responseFlags: 0,
        endpoint: endpoint(1, i % 2),
        source: { endpoint: from, cluster: 0 },
        service: { index: 1 },
        request: { traffic: 0 },
      } as unknown as Readonly<Call>;
      recorder.callCompleted(callRecord(c));
      const pair = `${from === undefined ? 't' : 'a'}>${i % 2}|${code}`;
      add(`source|${pair}`, c.endMs - c.sentMs);
      if (served) add(`destination|${pair}`, c.endMs - c.arrivedMs);
    }
    const t = recorder.telemetry(100 * WINDOW_MS);
    const got = new Map<string, { sum: number; buckets: number[] }>();
    const width = ISTIO_DURATION_BUCKETS_MS.length + 1;
    for (const s of t.series) {
      const src = t.workloads[s.source]?.workload === 'a' ? 'a' : 't';
      const dst = t.workloads[s.destination]?.cluster === 'c0' ? 0 : 1;
      const buckets = new Array<number>(width).fill(0);
      let sum = 0;
      for (let k = 0; k < t.windows; k++) {
        sum += s.sumsMs[k] as number;
        for (let b = 0; b < width; b++)
          buckets[b] = (buckets[b] as number) + (s.buckets[k * width + b] as number);
      }
      got.set(`${s.reporter}|${src}>${dst}|${s.responseCode}`, { sum, buckets });
    }
    expect(got.size).toBe(expected.size);
    for (const [key, e] of expected) {
      const g = got.get(key);
      expect(g?.buckets, key).toEqual(e.buckets);
      expect(g?.sum, key).toBeCloseTo(e.sum, 6);
    }
  });

  it('records to the bit on its fast path what the general path records, whatever the calls (property)', () => {
    // The reference records every call after warm-up the general way (`record`, private: the path the
    // fast one must equal); callCompleted takes its fast path for most. Calls in warm-up, first pairs and
    // outcomes, timeouts, long durations, unserved calls, new endpoints that grow the workload index,
    // enough pairs to rehash the table and enough series to grow the cells.
    const shape = {
      services: Array.from({ length: SERVICES }, (_, i) => `s${i}`),
      clusters: ['c0', 'c1', 'c2'],
      traffic: [
        { name: 't', via: 'direct' as const },
        { name: 'u', via: 'ingress' as const },
      ],
      warmupMs: 500,
      endMs: 13 * WINDOW_MS,
      windowMs: WINDOW_MS,
      istiods: [],
      now: () => 0,
      namespace: 'default',
    };
    const durations = [0.25, 0.5, 3, 4.99, 999.75, 1000, 1000.5, 4000, 1 / 3];
    const callArb = fc.record({
      // Mostly a few workloads (pairs repeat: the fast path), sometimes any (new pairs: the general one).
      from: fc.oneof({ arbitrary: fc.nat(2), weight: 6 }, { arbitrary: fc.nat(SERVICES), weight: 1 }),
      to: fc.oneof({ arbitrary: fc.nat(2), weight: 6 }, { arbitrary: fc.nat(SERVICES + 3), weight: 1 }),
      service: fc.nat(SERVICES - 1),
      traffic: fc.nat(1),
      cluster: fc.nat(CLUSTERS - 1),
      // Mostly the pair's last outcome and a duration in the table (the fast path); sometimes not.
      outcome: fc.oneof({ arbitrary: fc.constant(0), weight: 12 }, { arbitrary: fc.nat(5), weight: 1 }),
      ms: fc.oneof(
        { arbitrary: fc.nat(3), weight: 8 },
        { arbitrary: fc.nat(durations.length - 1), weight: 1 },
      ),
      served: fc.nat(4),
      sentMs: fc.nat(32_000).map((k) => k / 4 + 1 / 3),
    });
    // Calls recorded, and of them those callCompleted sent the general way.
    let recorded = 0;
    let general = 0;
    fc.assert(
      fc.property(fc.array(callArb, { minLength: 1, maxLength: 600, size: 'max' }), (specs) => {
        const one = new IstioTelemetryRecorder(shape);
        const recordGeneral = (one as unknown as { record(c: CallRecord): void }).record.bind(one);
        const fast = new IstioTelemetryRecorder(shape);
        const record = vi.spyOn(fast as unknown as { record(c: CallRecord): void }, 'record');
        for (const x of specs) {
          const [code, flags] = (
            [
              [200, 0],
              [200, 0],
              [503, ResponseFlag.UF],
              [0, ResponseFlag.UT],
              [504, ResponseFlag.UT | ResponseFlag.URX],
              [503, 0],
            ] as const
          )[x.outcome] as readonly [number, number];
          const ms = durations[x.ms] as number;
          const to = x.to >= SERVICES ? undefined : endpoint(x.to, (x.to + x.service) % CLUSTERS);
          const src = x.from === SERVICES ? undefined : endpoint(x.from, x.cluster);
          const c: CallRecord = {
            traffic: x.traffic,
            service: { index: x.service, external: undefined },
            source: {
              endpoint: src as unknown as CallRecord['endpoint'],
              cluster: x.cluster,
              zone: 0,
              nodeType: 'sidecar',
            },
            endpoint: to as unknown as CallRecord['endpoint'],
            sentMs: x.sentMs,
            arrivedMs: to !== undefined && x.served !== 0 ? x.sentMs + (ms * 7) / 8 : -1,
            startedMs: -1,
            endMs: x.sentMs + ms,
            responseCode: code,
            responseFlags: flags,
          };
          if (c.sentMs >= shape.warmupMs) recordGeneral(c);
          fast.callCompleted(c);
        }
        const expected = one.telemetry(8000);
        expect(fast.telemetry(8000)).toEqual(expected);
        for (const s of expected.series)
          if (s.reporter === 'source')
            for (let k = 0; k < expected.windows; k++) recorded += s.counts[k] as number;
        general += record.mock.calls.length;
      }),
      { seed: 20261207, numRuns: 30 },
    );
    // Not vacuous: thousands of calls recorded on each path.
    expect(general).toBeGreaterThan(2_000);
    expect(recorded - general).toBeGreaterThan(2_000);
  }, 60_000);
});
