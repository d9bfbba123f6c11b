/**
 * The telemetry recorder's pair table (open addressing over (source workload, destination) pairs, with
 * each pair's last outcome and series): every call lands in its label set's counts, whatever the order
 * pairs appear in, however often a pair's outcome changes, and after the table has grown (rehashed)
 * several times with pairs in every state.
 */
import { describe, expect, it } from 'vitest';
import type { Call } from '../../src/mesh/index.js';
import { IstioTelemetryRecorder } from '../../src/metrics/istio-telemetry-recorder.js';

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
      recorder.callCompleted(c);
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
});
