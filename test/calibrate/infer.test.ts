/**
 * Inference from constructed telemetry with known answers (src/calibrate/infer.ts), and the written
 * scenario in both modes (src/calibrate/write-scenario.ts): it validates, says where each value came from,
 * and marks what the telemetry cannot tell as ASSUMED.
 */
import { describe, expect, it } from 'vitest';
import {
  buildScenarioText,
  inferCalibration,
  observationsFromSaved,
  updateScenarioText,
  type EdgeSample,
  type Observations,
  type WorkloadRef,
} from '../../src/calibrate/index.js';
import { loadScenarioText } from '../../src/scenario/index.js';

const w = (workload: string, cluster = 'east', service = workload): WorkloadRef => ({
  workload,
  namespace: workload.includes('ingress') ? 'istio-system' : 'default',
  service,
  version: 'unknown',
  cluster,
});
const INGRESS = w('istio-ingressgateway', 'east');
const FRONT = w('frontend');
const BACK = w('backend');

function edge(
  reporter: 'source' | 'destination',
  source: WorkloadRef,
  destination: WorkloadRef,
  requests: number,
  code = 200,
  flags = '-',
): EdgeSample {
  return { reporter, source, destination, responseCode: code, responseFlags: flags, requests };
}

/**
 * 100 s: the ingress sends frontend 1000 requests; frontend answers 20 with 500 (5 its own, 15 passed on
 * from backend's failures); it calls backend 300 times, 15 of them answered 500 by backend itself; a caller
 * outside the mesh sends backend 50 requests; a UH 503 at the source reporter is no application error.
 */
const OBS: Observations = {
  origin: 'constructed',
  rangeSeconds: 100,
  edges: [
    edge('source', INGRESS, FRONT, 980),
    edge('source', INGRESS, FRONT, 20, 500),
    edge('destination', INGRESS, FRONT, 980),
    edge('destination', INGRESS, FRONT, 20, 500),
    edge('source', FRONT, BACK, 285),
    edge('source', FRONT, BACK, 15, 500),
    edge('destination', FRONT, BACK, 285),
    edge('destination', FRONT, BACK, 15, 500),
    edge('destination', w('unknown', 'unknown', 'unknown'), BACK, 50),
    edge('source', w('loadgen', 'west'), FRONT, 0, 503, 'UH'),
  ],
  replicas: [{ namespace: 'default', deployment: 'frontend', replicas: 4 }],
};

describe('inferCalibration on constructed telemetry', () => {
  const c = inferCalibration(OBS);
  const front = c.services.find((s) => s.name === 'frontend');
  const back = c.services.find((s) => s.name === 'backend');

  it('entry traffic: the ingress gateway’s edge and the outside caller’s, rates over the range', () => {
    expect(c.traffic.map((t) => [t.name, t.entry, t.via, t.ratePerS])).toEqual([
      ['backend-external', 'backend', 'direct', 0.5],
      ['frontend-ingress', 'frontend', 'ingress', 10],
    ]);
    expect(c.traffic[0]?.external).toBe(true);
    expect(c.notes.join('\n')).toMatch(/outside the mesh/);
  });

  it('error rates: 5xx without a flag at the destination reporter, less failures passed on from calls', () => {
    expect(front?.ownErrors).toBe(5);
    expect(front?.errorRate).toBeCloseTo(5 / 1000, 12);
    expect(back?.errorRate).toBeCloseTo(15 / 350, 12);
  });

  it('call probability: calls over the requests that could make them (arrived less own errors)', () => {
    expect(front?.calls).toEqual([
      { service: 'backend', calls: 300, opportunities: 995, probability: 300 / 995 },
    ]);
  });

  it('replicas from kube-state-metrics where scraped, none invented elsewhere', () => {
    expect(front?.deployments.map((d) => d.replicas)).toEqual([4]);
    expect(back?.deployments.map((d) => d.replicas)).toEqual([undefined]);
  });

  it('no histogram: service times not calibrated, and said so', () => {
    expect(front?.serviceTime).toBeUndefined();
    expect(front?.serviceTimeNote).toMatch(/no latency histogram/);
  });

  it('a new scenario from it validates and marks every assumption', () => {
    const out = buildScenarioText(c, 'shop');
    const loaded = loadScenarioText(out.text, 'shop.yaml');
    expect(loaded.ok ? [] : loaded.issues).toEqual([]);
    expect(out.text).toMatch(/ASSUMED: regions, zones and networks/);
    expect(out.text).toMatch(/replicas: kube-state-metrics not scraped: 1 per deployment ASSUMED/);
    expect(out.text).toMatch(/concurrency: not in the telemetry/);
    expect(out.text).toMatch(/arrival: poisson ASSUMED/);
    if (!loaded.ok) return;
    const s = loaded.scenario.mesh;
    expect(s.traffic.find((t) => t.name === 'frontend-ingress')?.ratePerMs).toBeCloseTo(0.01, 12);
    expect(s.services.find((x) => x.name === 'frontend')?.errorRate).toBeCloseTo(0.005, 12);
    expect(s.services.find((x) => x.name === 'frontend')?.deployments[0]?.replicas).toBe(4);
  });

  it('an update keeps the base’s other keys and comments, and marks what the telemetry did not show', () => {
    const base = `# my shop
name: shop
duration: 60s
clusters: [{ name: east, region: us-east }]
services:
  - name: frontend   # the web tier
    deployments: [{ cluster: east, replicas: 2 }]
    concurrency: 7
    serviceTime: 9ms
    calls: [{ service: backend, probability: 0.9 }]
  - name: backend
    deployments: [{ cluster: east, replicas: 2 }]
    serviceTime: 2ms
  - name: legacy
    deployments: [{ cluster: east, replicas: 1 }]
    serviceTime: 2ms
traffic:
  - { name: web, entry: frontend, via: ingress, from: east, rate: 3/s, steps: [{ at: 30s, rate: 6/s }] }
`;
    const out = updateScenarioText(inferCalibration(OBS), base, 'shop.yaml');
    const loaded = loadScenarioText(out.text, 'shop.yaml');
    expect(loaded.ok ? [] : loaded.issues).toEqual([]);
    expect(out.text).toMatch(/^# Calibrated by meshsim calibrate from constructed\n/);
    expect(out.text).toMatch(/\n# my shop\nname: shop\n/);
    expect(out.text).toMatch(/concurrency: 7/);
    expect(out.text).toMatch(/legacy: NOT OBSERVED/);
    expect(out.text).toMatch(/rate steps are replaced by the mean rate/);
    expect(out.notes.join('\n')).toMatch(/backend-external: observed but not in shop.yaml: added/);
    if (!loaded.ok) return;
    const m = loaded.scenario.mesh;
    const web = m.traffic.find((t) => t.name === 'web');
    expect(web?.ratePerMs).toBeCloseTo(0.01, 12);
    expect(web?.steps).toEqual([]);
    const f = m.services.find((s) => s.name === 'frontend');
    expect(f?.calls[0]?.[0]?.probability).toBeCloseTo(0.3015, 4);
    expect(f?.deployments[0]?.replicas).toBe(4);
    expect(f?.serviceTime).toEqual({ dist: 'constant', value: 9 }); // no histogram: kept
  });
});

describe('saved Prometheus answers', () => {
  const answer = (result: unknown[]) => ({ status: 'success', data: { resultType: 'vector', result } });
  it('labels to edges, bucket increases to histograms, kube-state-metrics to replicas by deployment and cluster', () => {
    const labels = {
      reporter: 'destination',
      source_workload: 'frontend',
      source_workload_namespace: 'default',
      source_canonical_service: 'frontend',
      source_cluster: 'east',
      destination_workload: 'backend-v2',
      destination_workload_namespace: 'default',
      destination_service_name: 'backend',
      destination_version: 'v2',
      destination_cluster: 'east',
      response_code: '200',
      response_flags: '-',
    };
    const saved = {
      meshsimCalibrate: 1,
      time: 1,
      rangeSeconds: 60,
      results: {
        requests: answer([{ metric: labels, value: [1, '120'] }]),
        durationSum: answer([{ metric: labels, value: [1, '360'] }]),
        durationBuckets: answer([
          { metric: { ...labels, le: '5' }, value: [1, '100'] },
          { metric: { ...labels, le: '1' }, value: [1, '10'] },
          { metric: { ...labels, le: '+Inf' }, value: [1, '120'] },
        ]),
        replicas: answer([
          { metric: { namespace: 'default', deployment: 'backend-v2', cluster: 'east' }, value: [1, '3'] },
          { metric: { namespace: 'default', deployment: 'backend-v2', cluster: 'west' }, value: [1, '9'] },
        ]),
      },
    };
    const obs = observationsFromSaved(saved, 'q.json');
    expect(obs.edges).toEqual([
      {
        reporter: 'destination',
        source: {
          workload: 'frontend',
          namespace: 'default',
          service: 'frontend',
          version: 'unknown',
          cluster: 'east',
        },
        destination: {
          workload: 'backend-v2',
          namespace: 'default',
          service: 'backend',
          version: 'v2',
          cluster: 'east',
        },
        responseCode: 200,
        responseFlags: '-',
        requests: 120,
        durationSumMs: 360,
        durationBuckets: [
          { le: 1, count: 10 },
          { le: 5, count: 100 },
        ],
      },
    ]);
    const backend = inferCalibration({
      ...obs,
      edges: [...obs.edges, edge('source', INGRESS, FRONT, 120), edge('destination', INGRESS, FRONT, 120)],
    }).services.find((x) => x.name === 'backend');
    expect(backend?.deployments).toEqual([
      { cluster: 'east', version: 'v2', workload: 'backend-v2', requests: 120, replicas: 3 },
    ]);
    expect(backend?.serviceTime?.count).toBe(120);
  });

  it('a located message for each malformed part', () => {
    expect(() => observationsFromSaved({}, 'q.json')).toThrow(
      /q.json: expected the file "meshsim calibrate --save-queries" writes/,
    );
    const good = {
      meshsimCalibrate: 1,
      time: 1,
      rangeSeconds: 60,
      results: { requests: answer([]), durationSum: answer([]), durationBuckets: answer([]) },
    };
    expect(observationsFromSaved(good, 'q.json').edges).toEqual([]);
    expect(() => observationsFromSaved({ ...good, rangeSeconds: 0 }, 'q.json')).toThrow(
      /q.json: rangeSeconds: expected a number of seconds above 0/,
    );
    expect(() =>
      observationsFromSaved(
        { ...good, results: { ...good.results, requests: { status: 'error', error: 'bad query' } } },
        'q.json',
      ),
    ).toThrow(/q.json: results.requests.status: expected "success", got "error" \(bad query\)/);
    expect(() =>
      observationsFromSaved(
        { ...good, results: { ...good.results, requests: answer([{ metric: {}, value: [1, 'x'] }]) } },
        'q.json',
      ),
    ).toThrow(/q.json: results.requests.data.result\[0\].value\[1\]: expected a number as a string, got "x"/);
    expect(() =>
      observationsFromSaved(
        { ...good, results: { ...good.results, requests: undefined, extra: 1 } },
        'q.json',
      ),
    ).toThrow(/results.requests: missing/);
    expect(() =>
      observationsFromSaved({ ...good, results: { ...good.results, extra: answer([]) } }, 'q.json'),
    ).toThrow(/results.extra: unknown query name/);
  });
});
