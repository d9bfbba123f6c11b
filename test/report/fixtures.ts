/**
 * Hand-built report inputs: a comparison of three models over a three-cluster mesh with two faults, and a
 * single run with faults, control-plane figures and cost. Values are plausible but invented; what matters is
 * that every field a report reads is present (and that some are null, as real results have).
 */
import type {
  ComparisonResult,
  Estimate,
  FaultComparison,
  FaultWindow,
  ModelComparison,
} from '../../src/experiment/index.js';
import type { RunSummary, ServiceGraphEdge, ServiceGraphSummary } from '../../src/metrics/index.js';

export const CLUSTERS = ['us-east-1', 'us-east-2', 'eu-west-1'] as const;
export const MODELS = ['multi-primary', 'primary-remote', 'external'] as const;

const est = (mean: number, half: number, n = 5): Estimate => ({ mean, ci95: [mean - half, mean + half], n });

/** A fraction's estimate whose interval stays inside [0, 1]: a share every replication agreed on has none. */
const frac = (mean: number, half: number): Estimate => est(mean, Math.min(half, mean, 1 - mean));

const DURATION_MS = 240_000;
const WARMUP_MS = 30_000;
const WINDOW_MS = 10_000;

/** Windows after warm-up with availability `base`, dipping to `dip` between `from` and `to` (ms). */
function timeline(base: number, dips: readonly { from: number; to: number; value: number }[]) {
  const out = [];
  for (let t = WARMUP_MS; t < DURATION_MS; t += WINDOW_MS) {
    const dip = dips.find((d) => t >= d.from && t < d.to);
    out.push({ startMs: t, availability: dip?.value ?? base, p99Ms: dip === undefined ? 80 : 240 });
  }
  return out;
}

/** A full client-cluster x serving-cluster matrix, mostly local. */
function traffic(scale: number) {
  return CLUSTERS.flatMap((from) =>
    CLUSTERS.map((to) => ({ from, to, requests: Math.round((from === to ? 9000 : 700) * scale) })),
  );
}

/** The comparison's faults, in scenario order. */
const FAULTS: readonly FaultWindow[] = [
  { type: 'control-plane-outage', atMs: 60_000, forMs: 60_000, target: 'istiod of us-east-1' },
  { type: 'network-partition', atMs: 150_000, forMs: 30_000, target: 'us-east <-> eu-west' },
  { type: 'pod-failure', atMs: 210_000, forMs: null, target: 'catalog in us-east-2' },
];

/**
 * The `i`-th fault under one model: clusters, services, traffic lost and collateral as shares, time to
 * recover over the replications that recovered (null when fewer than two did) and how many never did.
 */
function fault(
  i: number,
  [clusters, services, traffic, collateral]: readonly [number, number, number, number],
  timeToRecoverMs: Estimate | null,
  neverRecovered: number,
): FaultComparison {
  const f = FAULTS[i];
  if (f === undefined) throw new Error(`fixture: no fault ${i}`);
  return {
    type: f.type,
    atMs: f.atMs,
    target: f.target,
    blastRadius: {
      clusters: frac(clusters, 0.05),
      services: frac(services, 0.04),
      traffic: frac(traffic, 0.01),
      collateral: frac(collateral, 0.005),
    },
    timeToRecoverMs,
    neverRecovered,
  };
}

function model(
  name: string,
  controlPlane: string,
  availability: number,
  p99: number,
  blast: number,
  istiods: number,
  dips: readonly { from: number; to: number; value: number }[],
  scale: number,
  measured: Pick<ModelComparison, 'faults' | 'controlPlaneOutageAvailability' | 'locality'>,
): ModelComparison {
  return {
    model: name,
    wiring: { controlPlane, network: 'multi' },
    availability: est(availability, 0.0004),
    latencyMs: { p50: est(20 + istiods, 0.4), p99: est(p99, 3.5) },
    blastRadius: {
      clusters: est(blast, 0.05),
      services: est(blast * 0.75, 0.04),
      traffic: est(blast * 0.2, 0.01),
      collateral: est(blast * 0.1, 0.008),
    },
    cost: {
      istiods,
      istiodVcpu: est(istiods * 0.5, 0.02),
      istiodMemoryGb: est(istiods * 0.75, 0.03),
      sidecarVcpu: est(1.6, 0.05),
      crossZoneGb: est(2.1, 0.1),
      crossRegionGb: est(0.8 * scale, 0.05),
      configPlaces: istiods,
    },
    controlPlaneHealth: {
      convergenceP99Ms: est(450 + 100 * istiods, 40),
      staleProxySeconds: est(12 * blast, 1.5),
      rejectedPodCreations: est(0, 0),
    },
    timeline: timeline(availability, dips),
    traffic: traffic(scale),
    serviceGraph: serviceGraph(scale),
    seeds: [1001, 1002, 1003, 1004, 1005],
    ...measured,
  };
}

/** Three models, three clusters, two faults (one until the end of the run), five replications. */
export const comparisonFixture: ComparisonResult = {
  scenario: 'three-cluster-shop',
  replications: 5,
  seed: 7,
  rerun: 'meshsim compare scenarios/three-cluster-shop.yaml --replications 5 --seed 7',
  contractVersion: 2,
  meshsimVersion: '0.1.0',
  durationMs: DURATION_MS,
  warmupMs: WARMUP_MS,
  windowMs: WINDOW_MS,
  faults: FAULTS,
  models: [
    model(
      'multi-primary',
      'multi-primary',
      0.9991,
      82,
      0.34,
      3,
      [{ from: 150_000, to: 180_000, value: 0.985 }],
      1,
      {
        faults: [
          fault(0, [0.33, 0.25, 0.012, 0.004], est(4200, 800), 0),
          fault(1, [0.67, 0.5, 0.08, 0.03], est(6500, 1200), 0),
          fault(2, [0.33, 0.25, 0.02, 0.006], est(2600, 400), 0),
        ],
        controlPlaneOutageAvailability: est(0.9989, 0.0004),
        locality: { crossClusterShare: est(0.1346, 0.004), crossRegionShare: est(0.0897, 0.003) },
      },
    ),
    model(
      'primary-remote',
      'primary-remote',
      0.9962,
      88,
      0.71,
      1,
      [
        { from: 60_000, to: 120_000, value: 0.991 },
        { from: 150_000, to: 180_000, value: 0.97 },
      ],
      1.1,
      {
        // The primary's istiod is the whole mesh's: its outage reaches every cluster, in every replication.
        faults: [
          fault(0, [1, 1, 0.09, 0.07], est(21_000, 3000), 2),
          fault(1, [0.67, 0.75, 0.11, 0.05], est(9000, 1500), 0),
          fault(2, [0.33, 0.25, 0.03, 0.01], null, 4),
        ],
        controlPlaneOutageAvailability: est(0.9731, 0.006),
        locality: { crossClusterShare: est(0.1462, 0.005), crossRegionShare: est(0.0975, 0.004) },
      },
    ),
    // Without the outage availability and locality, as in a result written before they were measured.
    model('external', 'external', 0.9978, 85, 0.52, 1, [{ from: 150_000, to: 180_000, value: 0.978 }], 1.05, {
      faults: [
        fault(0, [0.67, 0.5, 0.05, 0.03], est(12_000, 2000), 1),
        fault(1, [0.67, 0.5, 0.09, 0.04], est(7000, 1000), 0),
        fault(2, [0.33, 0.25, 0.02, 0.007], est(3100, 0), 0),
      ],
    }),
  ],
  differences: [
    {
      metric: 'availability',
      a: 'multi-primary',
      b: 'primary-remote',
      unit: 'fraction',
      better: 'higher',
      mean: 0.0029,
      ci95: [0.0021, 0.0037],
      significant: true,
    },
    {
      metric: 'p99LatencyMs',
      unit: 'ms',
      better: 'lower',
      a: 'multi-primary',
      b: 'external',
      mean: -3,
      ci95: [-7.9, 1.9],
      significant: false,
    },
    {
      metric: 'latencyP99Ms',
      unit: 'ms',
      better: 'lower',
      n: 5,
      a: 'multi-primary',
      b: 'primary-remote',
      mean: -6,
      ci95: [-9.2, -2.8],
      significant: true,
    },
    {
      metric: 'istiodVcpu',
      unit: 'vCPU',
      better: 'lower',
      n: 5,
      a: 'multi-primary',
      b: 'primary-remote',
      mean: 1,
      ci95: [0.97, 1.03],
      significant: true,
    },
    {
      metric: 'controlPlaneOutageAvailability',
      unit: 'fraction',
      better: 'higher',
      n: 5,
      a: 'primary-remote',
      b: 'multi-primary',
      mean: -0.0258,
      ci95: [-0.0318, -0.0198],
      significant: true,
    },
  ],
  verdict: {
    criteria: [
      {
        criterion: 'availability',
        best: 'multi-primary',
        note: 'multi-primary: 99.91% vs 99.62% (difference 0.29 points, 95% CI 0.21 to 0.37)',
        leaders: ['multi-primary'],
      },
      { criterion: 'p99Latency', best: null, note: 'no significant difference between the models' },
      {
        criterion: 'controlPlaneCost',
        best: 'primary-remote',
        note: 'primary-remote and external run 1 istiod; multi-primary runs 3',
      },
      {
        criterion: 'collateral',
        best: null,
        note: 'multi-primary 3.40%, external 5.20%, primary-remote 7.10%; no significant difference between multi-primary and external; primary-remote is significantly worse',
        leaders: ['multi-primary', 'external'],
      },
    ],
    notMeasured: [{ criterion: 'configConsistency', reason: 'no model measured it' }],
    fits: [
      'Choose multi-primary when a lost control plane must not spread beyond its cluster.',
      'Choose primary-remote when control-plane cost matters more than isolation.',
    ],
  },
};

/** One run with a model, two faults (one never recovering), control-plane figures and cost. */
/**
 * The per-fault blast-radius row of primary-remote under the control-plane outage, as both renderers must
 * show it, worked out from `comparisonFixture`: every cluster and service hit in every replication,
 * traffic 9% [8, 10], collateral 7% [6.5, 7.5], recovered in 21 s [18, 24], 2 of 5 never recovered.
 */
export const OUTAGE_ROW_PRIMARY_REMOTE = [
  'control-plane-outage istiod of us-east-1 @ 60 s',
  'fault',
  'primary-remote',
  '100.0% [same in all 5 replications]',
  '100.0% [same in all 5 replications]',
  '9.00% [8.00%, 10.00%]',
  '-',
  '-',
  '7.00% [6.50%, 7.50%]',
  '21 s [18 s, 24 s]',
  '2 of 5',
  '-', // availability back in: not in a result written before it was measured
];

export const runFixture: RunSummary = {
  scenario: 'three-cluster-shop',
  model: 'primary-remote',
  seed: 42,
  rerun: 'meshsim run scenarios/three-cluster-shop.yaml --model primary-remote --seed 42',
  contractVersion: 2,
  meshsimVersion: '0.1.0',
  durationMs: DURATION_MS,
  warmupMs: WARMUP_MS,
  windowMs: WINDOW_MS,
  requests: { total: 60_000, succeeded: 59_700, failed: 290, unfinished: 10 },
  availability: 59_700 / 59_990,
  latencyMs: {
    count: 59_700,
    mean: 24.1,
    meanStdErr: 0.05,
    stddev: 14.2,
    min: 1.9,
    p50: 20.3,
    p90: 39.2,
    p99: 79,
    p999: 122.7,
    max: 310,
  },
  failedLatencyMs: {
    count: 290,
    mean: 3.1,
    meanStdErr: null,
    stddev: 1.8,
    min: 0.4,
    p50: 2.5,
    p90: 5,
    p99: 9,
    p999: 9.5,
    max: 10,
  },
  responses: [
    { code: 200, flags: '-', count: 59_700 },
    { code: 503, flags: 'UH', count: 250 },
    { code: 500, flags: '-', count: 40 },
  ],
  byCluster: CLUSTERS.map((cluster, i) => ({
    cluster,
    requests: 20_000 - i * 10,
    succeeded: 19_900 - i * 10,
    availability: (19_900 - i * 10) / (20_000 - i * 10),
    latencyMs: {
      count: 19_900,
      mean: 24,
      meanStdErr: 0.1,
      stddev: 14,
      min: 2,
      p50: 20,
      p90: 39,
      p99: 79 + i,
      p999: 120,
      max: 300,
    },
  })),
  byTraffic: [
    {
      traffic: 'web',
      requests: 59_990,
      succeeded: 59_700,
      availability: 59_700 / 59_990,
      latencyMs: null,
    },
  ],
  byService: ['frontend', 'catalog', 'orders'].map((service, i) => ({
    service,
    requests: 60_000,
    succeeded: 59_900 - i * 50,
    availability: (59_900 - i * 50) / 60_000,
    latencyMs: {
      count: 59_900,
      mean: 10,
      meanStdErr: 0.1,
      stddev: 7,
      min: 1,
      p50: 8 + i,
      p90: 15,
      p99: 40,
      p999: 60,
      max: 90,
    },
    queueMs:
      i === 2
        ? null
        : {
            count: 59_900,
            mean: 0.2,
            meanStdErr: null,
            stddev: 0.6,
            min: 0,
            p50: 0,
            p90: 0,
            p99: 3,
            p999: 5,
            max: 9,
          },
  })),
  traffic: traffic(1).filter((t) => !(t.from === 'eu-west-1' && t.to === 'us-east-2')),
  serviceGraph: serviceGraph(1),
  timeline: timeline(0.995, [{ from: 60_000, to: 120_000, value: 0.982 }]).map((w, i) => ({
    startMs: w.startMs,
    requests: 2500,
    succeeded: Math.round(2500 * w.availability),
    availability: i === 3 ? null : w.availability,
    latencyMs: { mean: 24, p50: 20, p99: w.p99Ms },
  })),
  faults: [
    {
      type: 'control-plane-outage',
      atMs: 60_000,
      forMs: 60_000,
      target: 'istiod of us-east-1',
      blastRadius: { clusters: 1, services: 0.67, traffic: 0.012, collateral: 0.008 },
      timeToRecoverMs: 4200,
    },
    {
      type: 'pod-failure',
      atMs: 210_000,
      forMs: null,
      target: 'catalog in us-east-2',
      blastRadius: { clusters: 0.33, services: 0.33, traffic: 0.002, collateral: 0 },
      timeToRecoverMs: null,
    },
  ],
  controlPlane: {
    istiods: 1,
    convergenceMs: { p50: 120, p99: 540, max: 910 },
    staleProxySeconds: 8.4,
    pushes: 37,
    rejectedPodCreations: 0,
    expiredCertProxies: 0,
  },
  cost: {
    istiods: 1,
    istiodVcpu: 0.5,
    istiodMemoryGb: 0.75,
    sidecarVcpu: 1.6,
    sidecarMemoryGb: 2.4,
    gatewayReplicas: 4,
    crossZoneGb: 2.1,
    crossRegionGb: 0.8,
    networkCost: 0.09,
    configPlaces: 1,
    method:
      'istiod: 1 vCPU and 1.5 GB per 1000 services / 2000 sidecars; sidecars: 0.20 vCPU per 1000 rps (Istio 1.24)',
  },
};

let quickstart: Promise<RunSummary> | undefined;

/** A real RunSummary: `scenarios/quickstart.yaml` run once with its faults left out; computed once per worker. */
export function quickstartSummary(): Promise<RunSummary> {
  quickstart ??= (async () => {
    const { loadScenarioFile } = await import('../../src/scenario/index.js');
    const { runScenario } = await import('../../src/experiment/index.js');
    const loaded = await loadScenarioFile('scenarios/quickstart.yaml');
    if (!loaded.ok) throw new Error(`quickstart.yaml does not load: ${JSON.stringify(loaded.issues)}`);
    const s = loaded.scenario;
    return runScenario({ ...s, mesh: { ...s.mesh, faults: [] } });
  })();
  return quickstart;
}

/** A small service graph: a client edge, a versioned split, and calls that reached no replica (503 UH). */
export function serviceGraph(scale: number): ServiceGraphSummary {
  const edge = (
    e: Pick<ServiceGraphEdge, 'sourceKind' | 'source' | 'sourceCluster' | 'destination'> &
      Partial<ServiceGraphEdge>,
    calls: number,
    errors: number,
    failure: { code: number; flags: string } = { code: 503, flags: 'UH' },
  ): ServiceGraphEdge => ({
    sourceVersion: null,
    destinationVersion: null,
    destinationCluster: e.sourceCluster,
    ...e,
    calls,
    ratePerSecond: calls / 180,
    errors,
    errorRatio: errors / calls,
    latencyMs: { p50: 4 * scale, p90: 9 * scale, p99: 30 * scale },
    responses: [
      { code: 200, flags: '-', count: calls - errors },
      ...(errors > 0 ? [{ ...failure, count: errors }] : []),
    ],
  });
  return {
    edges: [
      edge(
        {
          sourceKind: 'service',
          source: 'frontend',
          sourceCluster: 'us-east-1',
          destination: 'catalog',
          destinationVersion: 'v1',
        },
        28_800,
        0,
      ),
      edge(
        {
          sourceKind: 'service',
          source: 'frontend',
          sourceCluster: 'us-east-1',
          destination: 'catalog',
          destinationVersion: 'v2',
        },
        7_200,
        36,
        { code: 500, flags: '-' },
      ),
      edge(
        {
          sourceKind: 'service',
          source: 'frontend',
          sourceCluster: 'us-east-1',
          destination: 'orders',
          destinationCluster: null,
        },
        120,
        120,
      ),
      edge(
        { sourceKind: 'traffic', source: 'web', sourceCluster: 'us-east-1', destination: 'frontend' },
        36_000,
        156,
      ),
    ],
  };
}
