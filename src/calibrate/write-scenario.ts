/**
 * A calibration written as a scenario file. Two ways:
 * - update: the base scenario's own text, its comments and every key calibration does not own kept;
 *   traffic rates and `from`, call probabilities, error rates, service times and (from kube-state-metrics)
 *   replicas replaced, each with a comment saying where its value came from;
 * - build: a new file from the telemetry alone, with what it cannot say (regions, zones, network, call
 *   order, concurrency) written as ASSUMED in comments beside meshsim's defaults.
 * Anything the base lists that the telemetry did not show is kept and marked NOT OBSERVED, never dropped
 * silently. The caller validates the text before writing it.
 */
import { Document, isMap, isScalar, isSeq, parseDocument, type YAMLMap, YAMLSeq } from 'yaml';
import type { DistributionText } from './fit.js';
import type { Calibration, ServiceCalibration, TrafficCalibration } from './infer.js';
import { CalibrationInputError } from './observations.js';

export interface CalibratedText {
  readonly text: string;
  /** Lines for stderr: what was kept, added or assumed. */
  readonly notes: readonly string[];
}

const round = (v: number, digits = 4) => Number(v.toPrecision(digits));
const rateText = (perS: number) => `${round(perS, 6)}/s`;
const pct = (share: number) => `${round(share * 100, 4)}%`;
/** A Kubernetes-style name meshsim accepts (lowercase DNS label). */
const nameOf = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '') || 'unnamed';

function header(c: Calibration, when: string): string[] {
  return [
    ` Calibrated by meshsim calibrate from ${c.origin}`,
    ` over ${round(c.rangeSeconds, 6)} s of telemetry${when === '' ? '' : ` ending ${when}`}: traffic rates, call probabilities,`,
    ' error rates and service times (with replicas where kube-state-metrics was scraped) come from it;',
    ' each service says how below. What the telemetry cannot tell:',
    ...c.notes.map((n) => `   ASSUMED: ${n}`),
  ];
}

function distributionNode(doc: Document, d: DistributionText) {
  const node = doc.createNode(d);
  if (isMap(node) && typeof d === 'object' && d.dist !== 'empirical') node.flow = true;
  if (isMap(node) && typeof d === 'object' && d.dist === 'empirical') {
    const p = node.get('percentiles', true);
    if (isMap(p)) p.flow = true;
  }
  return node;
}

function serviceComment(s: ServiceCalibration, c: Calibration): string {
  const lines = [
    ` ${s.name}: ${Math.round(s.arrived)} requests reached a replica (${round(s.arrived / c.rangeSeconds, 4)}/s);`,
    `   errorRate: ${s.ownErrors.toFixed(0)} 5xx without an Envoy flag at the destination reporter, after failures passed on from its calls`,
    ...s.calls.map(
      (k) =>
        `   ${k.service}: probability ${round(k.probability)} = ${k.calls.toFixed(0)} calls / ${k.opportunities.toFixed(0)} requests that could make them`,
    ),
    `   serviceTime: ${s.serviceTimeNote}`,
  ];
  return lines.join('\n');
}

function trafficComment(t: TrafficCalibration, c: Calibration): string {
  return ` ${t.name}: ${Math.round(t.requests)} requests from ${t.via === 'ingress' ? 'the ingress gateway' : t.external ? 'callers outside the mesh' : `workload ${t.name}`} to ${t.entry} in ${round(c.rangeSeconds, 6)} s`;
}

function fromNode(doc: Document, t: TrafficCalibration) {
  const node = doc.createNode(Object.fromEntries(t.from.map((f) => [f.cluster, pct(f.share)])));
  if (isMap(node)) node.flow = true;
  return node;
}

/** The base scenario's text with the calibration applied (see the file comment). */
export function updateScenarioText(
  c: Calibration,
  baseText: string,
  baseFile: string,
  when = '',
): CalibratedText {
  const notes: string[] = [];
  const doc = parseDocument(baseText);
  if (doc.errors.length > 0)
    throw new CalibrationInputError(
      `${baseFile}: not readable YAML (${doc.errors[0]?.message}); run meshsim validate ${baseFile}`,
    );
  // The base's own header first (an editor's `yaml-language-server` line must stay on top), then ours.
  const own = doc.commentBefore ?? '';
  doc.commentBefore = [...(own === '' ? [] : [own, '']), ...header(c, when), ` Base: ${baseFile}`].join('\n');

  const services = doc.get('services');
  const byName = new Map<string, YAMLMap>();
  if (isSeq(services))
    for (const item of services.items)
      if (isMap(item)) {
        const n = item.get('name');
        if (typeof n === 'string') byName.set(n, item);
      }
  for (const s of c.services) {
    const item = byName.get(s.name);
    if (item === undefined) {
      notes.push(`${s.name}: observed but not in ${baseFile}: added with its observed deployments`);
      if (isSeq(services)) services.items.push(newService(doc, s, c));
      continue;
    }
    byName.delete(s.name);
    item.commentBefore = serviceComment(s, c);
    if (s.serviceTime !== undefined)
      item.set('serviceTime', distributionNode(doc, s.serviceTime.distribution));
    if (s.errorRate > 0 || item.has('errorRate')) item.set('errorRate', round(s.errorRate, 4));
    const probability = new Map(s.calls.map((k) => [k.service, k.probability]));
    const calls = item.get('calls');
    const setCall = (m: unknown) => {
      if (!isMap(m)) return;
      const callee = m.get('service');
      if (typeof callee !== 'string') return;
      const p = probability.get(callee) ?? 0;
      if (p >= 0.9995) m.delete('probability');
      else m.set('probability', round(p));
    };
    if (isSeq(calls))
      for (const step of calls.items) {
        if (isSeq(step)) step.items.forEach(setCall);
        else setCall(step);
      }
    const extra = s.calls.filter((k) => !JSON.stringify(calls?.toString() ?? '').includes(k.service));
    if (extra.length > 0) {
      const seq = isSeq(calls) ? calls : new YAMLSeq();
      for (const k of extra)
        seq.items.push(doc.createNode({ service: k.service, probability: round(k.probability) }));
      item.set('calls', seq);
    }
    const deployments = item.get('deployments');
    if (isSeq(deployments))
      for (const d of deployments.items) {
        if (!isMap(d)) continue;
        const labels = d.get('labels');
        const version = isMap(labels) ? labels.get('version') : undefined;
        const match = s.deployments.find(
          (x) => x.cluster === d.get('cluster') && (x.version === undefined || x.version === version),
        );
        if (match?.replicas !== undefined) d.set('replicas', match.replicas);
      }
  }
  for (const [name, item] of byName) {
    item.commentBefore = ` ${name}: NOT OBSERVED in the telemetry; kept as the base has it`;
    notes.push(`${name}: in ${baseFile} but not observed: kept unchanged`);
  }

  const traffic = doc.get('traffic');
  const entries = isSeq(traffic) ? traffic.items.filter(isMap) : [];
  const used = new Set<YAMLMap>();
  for (const t of c.traffic) {
    const matches = entries.filter(
      (e) => e.get('entry') === t.entry && ((e.get('via') as string | undefined) ?? 'direct') === t.via,
    );
    if (matches.length === 0) {
      notes.push(`traffic ${t.name}: observed but not in ${baseFile}: added`);
      if (isSeq(traffic)) traffic.items.push(newTraffic(doc, t, c));
      continue;
    }
    const weights = matches.map((m) => Number(String(m.get('rate') ?? '1').replace(/\/.*$/, '')) || 1);
    const total = weights.reduce((a, b) => a + b, 0);
    matches.forEach((m, i) => {
      used.add(m);
      const share = (weights[i] as number) / total;
      m.commentBefore =
        trafficComment(t, c) +
        (matches.length > 1
          ? `; shared with ${matches.length - 1} other entr${matches.length > 2 ? 'ies' : 'y'} of the base in its rates' proportion`
          : '');
      if (m.has('vus') || m.has('connections') || m.has('stages')) {
        m.commentBefore += `\n closed-loop clients in the base, kept: the observed rate was ${rateText(t.ratePerS * share)}`;
        return;
      }
      m.set('rate', rateText(t.ratePerS * share));
      m.set('from', fromNode(doc, t));
      if (m.has('steps')) {
        m.delete('steps');
        m.commentBefore += '\n the base’s rate steps are replaced by the mean rate over the range';
      }
      for (const k of ['executor', 'stages'] as const) m.delete(k);
    });
  }
  for (const e of entries)
    if (!used.has(e)) {
      e.commentBefore = ' NOT OBSERVED in the telemetry; kept as the base has it';
      notes.push(`traffic ${String(e.get('name'))}: in ${baseFile} but not observed: kept unchanged`);
    }
  return { text: doc.toString({ lineWidth: 0 }), notes };
}

function newService(doc: Document, s: ServiceCalibration, c: Calibration): YAMLMap {
  const replicasKnown = s.deployments.every((d) => d.replicas !== undefined);
  const value: Record<string, unknown> = {
    name: nameOf(s.name),
    deployments: s.deployments.map((d) => ({
      cluster: nameOf(d.cluster),
      replicas: d.replicas ?? 1,
      ...(d.version === undefined ? {} : { labels: { version: d.version } }),
    })),
  };
  // A new service needs a service time: without a histogram (a Kiali graph) a placeholder, said loudly.
  value['serviceTime'] = s.serviceTime?.distribution ?? '1ms';
  if (s.errorRate > 0) value['errorRate'] = round(s.errorRate, 4);
  if (s.steps.length > 0) {
    const p = new Map(s.calls.map((k) => [k.service, k.probability]));
    value['calls'] = s.steps.map((step) => {
      const items = step.map((callee) => {
        const q = p.get(callee) ?? 0;
        return q >= 0.9995 ? { service: nameOf(callee) } : { service: nameOf(callee), probability: round(q) };
      });
      return items.length === 1 ? items[0] : items;
    });
  }
  const node = doc.createNode(value) as YAMLMap;
  const dep = node.get('deployments', true);
  if (isSeq(dep)) for (const d of dep.items) if (isMap(d)) d.flow = true;
  const st = node.get('serviceTime', true);
  if (isMap(st) && s.serviceTime !== undefined && typeof s.serviceTime.distribution === 'object')
    if (s.serviceTime.distribution.dist !== 'empirical') st.flow = true;
    else {
      const p = st.get('percentiles', true);
      if (isMap(p)) p.flow = true;
    }
  node.commentBefore =
    serviceComment(s, c) +
    (replicasKnown ? '' : '\n   replicas: kube-state-metrics not scraped: 1 per deployment ASSUMED') +
    (s.serviceTime === undefined
      ? '\n   serviceTime: 1ms is a PLACEHOLDER (ASSUMED), not a measurement'
      : '') +
    '\n   concurrency: not in the telemetry: meshsim’s default ASSUMED';
  return node;
}

function newTraffic(doc: Document, t: TrafficCalibration, c: Calibration): YAMLMap {
  const node = doc.createNode({
    name: nameOf(t.name),
    entry: nameOf(t.entry),
    ...(t.via === 'ingress' ? { via: 'ingress' } : {}),
    rate: rateText(t.ratePerS),
    arrival: 'poisson',
  }) as YAMLMap;
  node.set('from', fromNode(doc, t));
  node.commentBefore = `${trafficComment(t, c)}\n arrival: poisson ASSUMED (counts over a range cannot tell the arrival process)`;
  return node;
}

/** A new scenario from the calibration alone (see the file comment). */
export function buildScenarioText(c: Calibration, name: string, when = ''): CalibratedText {
  const notes: string[] = [];
  const clusters = [
    ...new Set([
      ...c.services.flatMap((s) => s.deployments.map((d) => d.cluster)),
      ...c.traffic.flatMap((t) => t.from.map((f) => f.cluster)),
    ]),
  ]
    .filter((x) => x !== 'unknown')
    .sort();
  if (clusters.length === 0)
    throw new CalibrationInputError(
      'the telemetry names no cluster (destination_cluster is empty or "unknown" everywhere): name them in a base scenario (--scenario FILE)',
    );
  const range = Math.max(10, Math.round(c.rangeSeconds));
  const duration = Math.min(range, 300);
  const doc = new Document({
    name: nameOf(name),
    description: `Calibrated from ${c.origin}`,
    seed: 1,
    duration: `${duration}s`,
    warmup: `${Math.min(30, Math.round(duration / 10))}s`,
    clusters: clusters.map((cl) => ({ name: nameOf(cl), region: 'region-1' })),
  });
  const root = doc.contents as YAMLMap;
  const cl = root.get('clusters', true);
  if (isSeq(cl)) {
    for (const x of cl.items) if (isMap(x)) x.flow = true;
    cl.commentBefore =
      ' ASSUMED: regions, zones and networks are not in Istio’s request metrics: one region, meshsim’s default zone\n and network per cluster; the network block is left out, so meshsim’s default latencies apply (ASSUMED).';
  }
  root.set('services', new YAMLSeq());
  const services = root.get('services') as YAMLSeq;
  for (const s of c.services) services.items.push(newService(doc, s, c));
  root.set('traffic', new YAMLSeq());
  const traffic = root.get('traffic') as YAMLSeq;
  for (const t of c.traffic) traffic.items.push(newTraffic(doc, t, c));
  if (c.traffic.length === 0)
    throw new CalibrationInputError(
      'no entry traffic in the telemetry (no edge from an ingress gateway, an unknown caller or an uncalled workload)',
    );
  const durationPair = root.items.find((p) => isScalar(p.key) && p.key.value === 'duration');
  if (durationPair !== undefined && isScalar(durationPair.key) && range > duration)
    durationPair.key.commentBefore = ` the telemetry covered ${range} s; ${duration} s simulated (edit duration: to run longer)`;
  doc.commentBefore = header(c, when).join('\n');
  if (range > duration) notes.push(`duration ${duration}s written (the range was ${range} s)`);
  return { text: doc.toString({ lineWidth: 0 }), notes };
}
