/**
 * From Istio telemetry to a scenario's traffic and services (plain data; write-scenario.ts writes YAML):
 * - Entry traffic: edges whose caller is an ingress gateway, a caller outside the mesh (`unknown`), or a
 *   workload nobody calls (a load generator); the rate is requests over the range, `from` the callers'
 *   clusters in proportion.
 * - Call probabilities: calls from a service to a callee (source reporter, every call after retries) over
 *   the requests the caller could make them for: requests that reached a replica (destination reporter),
 *   less those its application failed itself, less (when the call order is known) those a call in an
 *   earlier step failed, since meshsim's services (like most) stop at the first failed call.
 * - Error rates: 5xx with no Envoy flag at the destination reporter (the application answered it), less the
 *   failures it passed on from its own failed calls, over the requests that reached a replica.
 * - Service times, callees first: the destination reporter's duration of successful requests, less the
 *   response's way back (the network's mean one-way latency between the two clusters), fitted to the
 *   buckets (fit.ts). A service that calls others waits for them: its own time has the mean and variance
 *   of its duration less those of its calls (sequential steps add; a parallel step's time is the maximum
 *   of its calls, integrated numerically from their fitted distributions), written as a lognormal with
 *   that mean and variance.
 * - Replicas from kube-state-metrics when it was scraped.
 * What the telemetry cannot tell (call order and parallelism without a base scenario, concurrency, queue
 * wait inside the measured time) is returned as notes for the file's comments.
 */
import { Z_99 } from '../des/index.js';
import { type BucketCounts, fitLatency, type LatencyFit, ms } from './fit.js';
import { normalQuantile } from './normal.js';
import type { EdgeSample, Observations, WorkloadRef } from './observations.js';

/** What an existing scenario tells calibration (update mode). */
export interface BaseShape {
  /** Per service, its call steps by callee name (a step of several runs them in parallel). */
  readonly calls: ReadonlyMap<string, readonly (readonly string[])[]>;
  /** Mean one-way network latency (ms) between pods of two clusters. */
  oneWayMs(from: string, to: string): number;
}

export interface TrafficCalibration {
  /** The caller's workload for a direct client; the entry service and "-ingress" / "-external" otherwise. */
  readonly name: string;
  readonly entry: string;
  readonly via: 'ingress' | 'direct';
  /** true: callers outside the mesh (no sidecar), written as direct with a note. */
  readonly external: boolean;
  readonly requests: number;
  readonly ratePerS: number;
  readonly from: readonly { readonly cluster: string; readonly share: number }[];
}

export interface CallCalibration {
  readonly service: string;
  readonly probability: number;
  readonly calls: number;
  /** Requests of the caller that could have made the call. */
  readonly opportunities: number;
}

export interface ServiceCalibration {
  readonly name: string;
  /** Requests that reached a replica in the range. */
  readonly arrived: number;
  readonly errorRate: number;
  readonly ownErrors: number;
  readonly calls: readonly CallCalibration[];
  /** Callees in step order (inner lists run in parallel), as assumed for the own-time removal. */
  readonly steps: readonly (readonly string[])[];
  /** undefined: no histogram (a Kiali graph) or no successful request. */
  readonly serviceTime: LatencyFit | undefined;
  /** How the service time was obtained (a comment line). */
  readonly serviceTimeNote: string;
  readonly deployments: readonly {
    readonly cluster: string;
    readonly version: string | undefined;
    readonly workload: string;
    readonly requests: number;
    readonly replicas: number | undefined;
  }[];
}

export interface Calibration {
  readonly origin: string;
  readonly rangeSeconds: number;
  readonly traffic: readonly TrafficCalibration[];
  readonly services: readonly ServiceCalibration[];
  /** What could not be inferred, said once (the file's header comment). */
  readonly notes: readonly string[];
}

const isIngress = (w: WorkloadRef) =>
  /ingressgateway/.test(w.workload) || w.service === 'istio-ingressgateway';
const workloadKey = (w: WorkloadRef) => `${w.cluster}/${w.namespace}/${w.workload}`;
const isFailure = (code: number) => code >= 500 || code === 0;
const ok = (e: EdgeSample) => e.responseCode > 0 && e.responseCode < 400 && e.responseFlags === '-';

/** Histogram of samples' buckets summed (bounds every sample has); undefined when none has buckets. */
function histogramOf(samples: readonly EdgeSample[]): BucketCounts | undefined {
  const withBuckets = samples.filter((s) => s.durationBuckets !== undefined && s.requests > 0);
  if (withBuckets.length === 0) return undefined;
  const common = (withBuckets[0]?.durationBuckets ?? [])
    .map((b) => b.le)
    .filter((le) => withBuckets.every((s) => s.durationBuckets?.some((b) => b.le === le)));
  const cumulative = common.map(() => 0);
  let total = 0;
  let sum = 0;
  for (const s of withBuckets) {
    common.forEach((le, i) => {
      cumulative[i] = (cumulative[i] as number) + (s.durationBuckets?.find((b) => b.le === le)?.count ?? 0);
    });
    total += s.requests;
    sum += s.durationSumMs ?? 0;
  }
  const counts = common.map((_, i) =>
    Math.max(0, (cumulative[i] as number) - (i === 0 ? 0 : (cumulative[i - 1] as number))),
  );
  counts.push(Math.max(0, total - (cumulative[common.length - 1] ?? 0)));
  // increase() extrapolates slightly and rounds: counts are taken as they come, rounded to whole requests.
  return { bounds: common, counts: counts.map((c) => Math.round(c)), sum };
}

/** Quantiles on a fixed grid, for CDFs of the time a step waits for its calls. */
const GRID = 1000;
function quantileGrid(f: LatencyFit): Float64Array {
  return Float64Array.from({ length: GRID }, (_, j) => f.quantile((j + 0.5) / GRID));
}
function cdfFromGrid(q: Float64Array, x: number): number {
  let lo = 0;
  let hi = q.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((q[mid] as number) <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo / q.length;
}

/** Mean and variance of the time a step waits: the maximum of its calls, each made with its probability. */
function stepMoments(calls: readonly { p: number; fit: LatencyFit }[]): { mean: number; variance: number } {
  if (calls.length === 1) {
    const { p, fit } = calls[0] as { p: number; fit: LatencyFit };
    // The exact mean (the histogram's sum), not the fit's: a tail past the last bound weighs in full.
    const exact = fit.observedMeanMs - fit.shiftMs;
    const m2 = fit.varianceMs2 + exact * exact;
    const mean = p * exact;
    return { mean, variance: Math.max(0, p * m2 - mean * mean) };
  }
  const grids = calls.map((c) => ({ p: c.p, q: quantileGrid(c.fit) }));
  const top = Math.max(...grids.map((g) => g.q[GRID - 1] as number)) * 1.01;
  const steps = 4000;
  const dx = top / steps;
  let m1 = 0;
  let m2 = 0;
  for (let i = 0; i < steps; i++) {
    const x = (i + 0.5) * dx;
    let cdf = 1;
    for (const g of grids) cdf *= 1 - g.p + g.p * cdfFromGrid(g.q, x);
    m1 += (1 - cdf) * dx;
    m2 += 2 * x * (1 - cdf) * dx;
  }
  return { mean: m1, variance: Math.max(0, m2 - m1 * m1) };
}

/** Calibration from `obs`; `base` gives call order and network latency when a scenario is updated. */
export function inferCalibration(obs: Observations, base?: BaseShape): Calibration {
  const notes: string[] = [];
  const edges = obs.edges.filter((e) => e.requests > 0);
  const called = new Set(
    edges.filter((e) => e.destination.service !== 'unknown').map((e) => e.destination.service),
  );
  const isClient = (w: WorkloadRef) => w.workload === 'unknown' || isIngress(w) || !called.has(w.service);

  // Per caller workload and callee service, the samples each reporter gave.
  const pairs = new Map<
    string,
    { source: WorkloadRef; callee: string; src: EdgeSample[]; dst: EdgeSample[] }
  >();
  for (const e of edges) {
    const key = `${workloadKey(e.source)}\u0000${e.destination.service}`;
    let p = pairs.get(key);
    if (p === undefined) {
      p = { source: e.source, callee: e.destination.service, src: [], dst: [] };
      pairs.set(key, p);
    }
    (e.reporter === 'source' ? p.src : p.dst).push(e);
  }
  const sum = (xs: readonly EdgeSample[]) => xs.reduce((s, e) => s + e.requests, 0);
  /** Calls as the caller made them (source reporter), else as the callee saw them. */
  const callsOf = (p: { src: EdgeSample[]; dst: EdgeSample[] }) => (p.src.length > 0 ? p.src : p.dst);
  /** Requests that reached the callee (destination reporter), else the caller's record. */
  const arrivalsOf = (p: { src: EdgeSample[]; dst: EdgeSample[] }) => (p.dst.length > 0 ? p.dst : p.src);
  if ([...pairs.values()].some((p) => p.dst.length === 0 && p.src.length > 0))
    notes.push(
      'some edges have no destination-reporter series: their arrivals and errors are read from the caller’s report',
    );

  // Entry traffic.
  const traffic = new Map<
    string,
    {
      entry: string;
      via: 'ingress' | 'direct';
      external: boolean;
      name: string;
      byCluster: Map<string, number>;
    }
  >();
  for (const p of pairs.values()) {
    if (!isClient(p.source) || p.callee === 'unknown') continue;
    const ingress = isIngress(p.source);
    const external = p.source.workload === 'unknown';
    const name = ingress ? `${p.callee}-ingress` : external ? `${p.callee}-external` : p.source.workload;
    const key = `${name}\u0000${p.callee}`;
    let t = traffic.get(key);
    if (t === undefined) {
      t = { entry: p.callee, via: ingress ? 'ingress' : 'direct', external, name, byCluster: new Map() };
      traffic.set(key, t);
    }
    const samples = callsOf(p);
    for (const s of samples) {
      const cluster = external ? s.destination.cluster : s.source.cluster;
      t.byCluster.set(cluster, (t.byCluster.get(cluster) ?? 0) + s.requests);
    }
  }
  const trafficOut: TrafficCalibration[] = [...traffic.values()]
    .map((t) => {
      const requests = [...t.byCluster.values()].reduce((a, b) => a + b, 0);
      return {
        name: t.name,
        entry: t.entry,
        via: t.via,
        external: t.external,
        requests,
        ratePerS: requests / obs.rangeSeconds,
        from: [...t.byCluster.entries()]
          // 'en', not the host's locale (LANG): the written scenario's order must not depend on it.
          .sort(([a], [b]) => a.localeCompare(b, 'en'))
          .map(([cluster, n]) => ({ cluster, share: n / requests })),
      };
    })
    .filter((t) => t.requests > 0)
    .sort((a, b) => a.name.localeCompare(b.name, 'en'));
  if (trafficOut.some((t) => t.external))
    notes.push(
      'callers outside the mesh (source_workload "unknown") are written as direct clients in the cluster they reached: meshsim gives them a sidecar they lack',
    );

  // Services, with what reached them and what they called.
  const serviceNames = [...called].filter((s) => s !== 'unknown').sort();
  const arrivals = (service: string) =>
    [...pairs.values()].filter((p) => p.callee === service).flatMap(arrivalsOf);
  const outgoing = (service: string) =>
    [...pairs.values()].filter((p) => !isClient(p.source) && p.source.service === service);

  interface Work {
    name: string;
    arrived: number;
    ownErrors: number;
    failedCalls: number;
    calls: Map<string, { calls: number; failed: number; samples: EdgeSample[] }>;
    steps: string[][];
    fit: LatencyFit | undefined;
    note: string;
  }
  const work = new Map<string, Work>();
  for (const name of serviceNames) {
    const inbound = arrivals(name);
    const arrived = sum(inbound);
    const appErrors = sum(
      inbound.filter((e) => e.responseCode >= 500 && e.responseCode <= 599 && e.responseFlags === '-'),
    );
    const calls = new Map<string, { calls: number; failed: number; samples: EdgeSample[] }>();
    for (const p of outgoing(name)) {
      const c = calls.get(p.callee) ?? { calls: 0, failed: 0, samples: [] };
      const made = callsOf(p);
      c.calls += sum(made);
      c.failed += sum(made.filter((e) => isFailure(e.responseCode)));
      c.samples.push(...p.src);
      calls.set(p.callee, c);
    }
    const failedCalls = [...calls.values()].reduce((s, c) => s + c.failed, 0);
    const known = base?.calls.get(name);
    const observed = [...calls.keys()].sort();
    let steps: string[][];
    if (known !== undefined) {
      steps = known.map((s) => s.filter((c) => calls.has(c))).filter((s) => s.length > 0);
      const extra = observed.filter((c) => !steps.some((s) => s.includes(c)));
      if (extra.length > 0) {
        notes.push(
          `${name} calls ${extra.join(', ')}, which the base scenario does not list: added as sequential steps at the end (order assumed)`,
        );
        steps.push(...extra.map((c) => [c]));
      }
      const dropped = known.flat().filter((c) => !calls.has(c));
      if (dropped.length > 0)
        notes.push(
          `${name}: the base's calls to ${dropped.join(', ')} were not observed: probability 0 written`,
        );
    } else steps = observed.map((c) => [c]);
    work.set(name, {
      name,
      arrived,
      ownErrors: Math.max(0, appErrors - failedCalls),
      failedCalls,
      calls,
      steps,
      fit: undefined,
      note: '',
    });
  }

  // Service times, callees before callers (the telemetry's call graph is acyclic; a cycle is broken
  // where it is met, and said).
  const hasHistograms = edges.some((e) => e.durationBuckets !== undefined);
  const hop = (samples: readonly EdgeSample[]) => {
    if (base === undefined) return 0;
    const n = sum(samples);
    if (n === 0) return 0;
    return (
      samples.reduce((s, e) => s + e.requests * base.oneWayMs(e.destination.cluster, e.source.cluster), 0) / n
    );
  };
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (name: string) => {
    const w = work.get(name);
    if (w === undefined || state.get(name) === 'done') return;
    if (state.get(name) === 'visiting') {
      notes.push(`a call cycle passes through ${name}: its own time is estimated before its callees'`);
      return;
    }
    state.set(name, 'visiting');
    for (const c of w.calls.keys()) visit(c);
    state.set(name, 'done');
    if (!hasHistograms) {
      w.note = 'no latency histogram in the source: service time not calibrated';
      return;
    }
    const inbound = arrivals(name).filter(ok);
    const h = histogramOf(inbound);
    if (h === undefined || h.counts.every((c) => c === 0)) {
      w.note = 'no successful request with a duration histogram: service time not calibrated';
      return;
    }
    const back = hop(inbound);
    const total = fitLatency(h, back);
    const backText =
      base === undefined ? '' : `, less ${total.shiftMs.toFixed(3)} ms for the response's way back`;
    if (w.calls.size === 0) {
      w.fit = total;
      w.note = `a leaf: fitted to its destination-reporter durations${backText}; ${total.explanation}`;
      return;
    }
    // Own time = total - waiting for calls, in mean and variance.
    let waitMean = 0;
    let waitVar = 0;
    const opportunities = w.arrived - w.ownErrors;
    for (const step of w.steps) {
      const members = step.flatMap((callee) => {
        const c = w.calls.get(callee);
        const hc = c === undefined ? undefined : histogramOf(c.samples.filter(ok));
        if (c === undefined || hc === undefined || hc.counts.every((x) => x === 0)) return [];
        return [{ p: Math.min(1, opportunities > 0 ? c.calls / opportunities : 0), fit: fitLatency(hc, 0) }];
      });
      if (members.length === 0) continue;
      const m = stepMoments(members);
      waitMean += m.mean;
      waitVar += m.variance;
    }
    const mean = total.observedMeanMs - total.shiftMs - waitMean;
    const floor = 0.05 * total.observedMeanMs;
    const ownMean = Math.max(mean, floor);
    let ownVar = total.varianceMs2 - waitVar;
    let shapeNote = 'variance of its duration less its calls’';
    if (!(ownVar > 0)) {
      ownVar = (0.5 * ownMean) ** 2;
      shapeNote = 'its calls explain all of its duration’s variance: coefficient of variation 0.5 ASSUMED';
    }
    const s2 = Math.log(1 + ownVar / (ownMean * ownMean));
    const mu = Math.log(ownMean) - s2 / 2;
    const sigma = Math.sqrt(s2);
    const median = Math.exp(mu);
    const p99 = Math.exp(mu + Z_99 * sigma);
    w.fit = {
      family: 'lognormal',
      shiftMs: total.shiftMs,
      count: total.count,
      observedMeanMs: total.observedMeanMs,
      meanMs: ownMean,
      varianceMs2: ownVar,
      quantile: (p) => Math.exp(mu + sigma * normalQuantile(p)),
      distribution: { dist: 'lognormal', median: ms(median), p99: ms(p99) },
      explanation: '',
    };
    w.note =
      `calls others: own time = its destination-reporter duration (mean ${total.observedMeanMs.toFixed(3)} ms${backText}) ` +
      `less its calls' (mean ${waitMean.toFixed(3)} ms, steps ${w.steps.map((s) => `[${s.join(', ')}]`).join(' then ')}), ` +
      `a lognormal with mean ${ownMean.toFixed(3)} ms and ${shapeNote}` +
      (mean < floor ? `; the difference was ${mean.toFixed(3)} ms, floored at 5% of the duration` : '');
  };
  for (const name of serviceNames) visit(name);

  const services: ServiceCalibration[] = serviceNames.map((name) => {
    const w = work.get(name) as Work;
    // Opportunities per step: less own errors, less failures of earlier steps' calls.
    let opportunities = w.arrived - w.ownErrors;
    const calls: CallCalibration[] = [];
    for (const step of w.steps) {
      let failedHere = 0;
      for (const callee of step) {
        const c = w.calls.get(callee);
        if (c === undefined) continue;
        calls.push({
          service: callee,
          calls: c.calls,
          opportunities,
          probability: opportunities > 0 ? Math.min(1, c.calls / opportunities) : 0,
        });
        failedHere += c.failed;
      }
      if (base?.calls.has(name) === true) opportunities -= failedHere;
    }
    const byDeployment = new Map<
      string,
      { cluster: string; version: string | undefined; workload: string; requests: number }
    >();
    for (const e of arrivals(name)) {
      const d = e.destination;
      if (d.workload === 'unknown') continue;
      const key = `${d.cluster}/${d.version}/${d.workload}`;
      const x = byDeployment.get(key) ?? {
        cluster: d.cluster,
        version: d.version === 'unknown' ? undefined : d.version,
        workload: d.workload,
        requests: 0,
      };
      x.requests += e.requests;
      byDeployment.set(key, x);
    }
    const deployments = [...byDeployment.values()]
      .sort(
        (a, b) =>
          a.cluster.localeCompare(b.cluster, 'en') || (a.version ?? '').localeCompare(b.version ?? '', 'en'),
      )
      .map((d) => {
        const r = obs.replicas.filter(
          (x) => x.deployment === d.workload && (x.cluster === undefined || x.cluster === d.cluster),
        );
        const replicas = r.length === 0 ? undefined : Math.max(...r.map((x) => x.replicas));
        return { ...d, replicas };
      });
    return {
      name,
      arrived: w.arrived,
      errorRate: w.arrived > 0 ? w.ownErrors / w.arrived : 0,
      ownErrors: w.ownErrors,
      calls,
      steps: w.steps,
      serviceTime: w.fit,
      serviceTimeNote: w.note,
      deployments,
    };
  });
  if (base === undefined && services.some((s) => s.steps.length > 1))
    notes.push(
      'call order and parallelism are not in the telemetry: each service’s calls are written as sequential steps in name order (ASSUMED; edit calls: to match the application)',
    );
  notes.push(
    'queue wait is inside every measured duration: service times include it (concurrency cannot be inferred from Istio metrics)',
  );
  return { origin: obs.origin, rangeSeconds: obs.rangeSeconds, traffic: trafficOut, services, notes };
}
