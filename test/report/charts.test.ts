import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TopLevelSpec } from 'vega-lite';
import {
  availabilityChart,
  blastRadiusChart,
  comparisonCharts,
  costChart,
  latencyChart,
  runCharts,
  trafficMatrixChart,
} from '../../src/report/index.js';
import type { ServiceGraphEdge } from '../../src/metrics/index.js';
import {
  type GraphCell,
  graphDetail,
  serviceGraphChart,
} from '../../src/report/charts/service-graph-chart.js';
import { comparisonFixture, quickstartSummary, runFixture } from './fixtures.js';

const schemaPath = createRequire(import.meta.url).resolve('vega-lite/vega-lite-schema.json');
let validate: ValidateFunction;

beforeAll(() => {
  // Formats (`uri` of `$schema`) say nothing about a chart; leaving them out also keeps ajv quiet.
  const ajv = new Ajv({ strict: false, allowUnionTypes: true, validateFormats: false });
  validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')) as object);
});

function expectValid(spec: TopLevelSpec | null): void {
  expect(spec).not.toBeNull();
  const ok = validate(spec);
  expect(validate.errors ?? [], JSON.stringify(validate.errors?.slice(0, 3), null, 2)).toEqual([]);
  expect(ok).toBe(true);
}

/** Every URL-valued property in a spec: data must be inline, so only `$schema` may name one. */
function urls(value: unknown, path = ''): string[] {
  if (typeof value === 'string') return /^[a-z]+:\/\//i.test(value) && path !== '.$schema' ? [path] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => urls(v, `${path}[${i}]`));
  if (typeof value === 'object' && value !== null) {
    return Object.entries(value).flatMap(([k, v]) =>
      k === 'url' ? [`${path}.url`] : urls(v, `${path}.${k}`),
    );
  }
  return [];
}

describe('report/charts', () => {
  it('every chart of comparisonCharts(comparison) validates against the Vega-Lite JSON schema', () => {
    const { charts } = comparisonCharts(comparisonFixture);
    expect(charts.map((c) => c.name)).toEqual([
      'availability',
      'latency',
      'blast-radius',
      'traffic-matrix',
      'service-graph',
      'cost',
    ]);
    for (const c of charts) expectValid(c.spec);
  });

  it('every chart of runCharts(run) validates against the Vega-Lite JSON schema', () => {
    const { charts } = runCharts(runFixture);
    expect(charts.map((c) => c.name)).toEqual([
      'availability',
      'latency',
      'blast-radius',
      'traffic-matrix',
      'service-graph',
    ]);
    for (const c of charts) expectValid(c.spec);
  });

  it('every chart of runCharts(quickstart run) validates, and blast radius is left out with a note', async () => {
    const { charts, notes } = runCharts(await quickstartSummary());
    expect(charts.map((c) => c.name)).toEqual(['availability', 'latency', 'traffic-matrix', 'service-graph']);
    for (const c of charts) expectValid(c.spec);
    expect(notes).toEqual(['No faults in this scenario, so there is no blast radius to show.']);
  });

  it('serviceGraphChart at twenty clusters merges nodes to stay within MAX_GRAPH_NODES rows and columns; null without edges', () => {
    const clusters = Array.from({ length: 20 }, (_, i) => `c${i}`);
    const edges: ServiceGraphEdge[] = clusters.flatMap((c) =>
      ['v1', 'v2'].map((version) => ({
        sourceKind: 'service' as const,
        source: 'frontend',
        sourceVersion: null,
        sourceCluster: c,
        destination: 'catalog',
        destinationVersion: version,
        destinationCluster: c,
        calls: 100,
        ratePerSecond: 1,
        errors: version === 'v2' ? 10 : 0,
        errorRatio: version === 'v2' ? 0.1 : 0,
        latencyMs: { p50: 1, p90: 2, p99: version === 'v2' ? 9 : 3 },
        responses: [],
      })),
    );
    const run = { ...runFixture, serviceGraph: { edges } };
    // 20 callers and 40 destinations at full detail: merged to workload and version (1 x 2).
    expect(graphDetail([edges])).toBe('version');
    const spec = serviceGraphChart(run);
    expect(spec).not.toBeNull();
    if (spec !== null) expectValid(spec);
    const values = (spec as { data: { values: GraphCell[] } }).data.values;
    expect(values.map((v) => [v.from, v.to, v.ratePerSecond, v.errorRatio, v.p99Ms, v.label])).toEqual([
      ['frontend', 'catalog v1', 20, 0, 3, ''],
      ['frontend', 'catalog v2', 20, 0.1, 9, '10.0%'],
    ]);
    expect(JSON.stringify(spec)).toContain('every edge in csv/service-graph.csv');
    // Few nodes: full detail, cluster named.
    expect(graphDetail([edges.slice(0, 4)])).toBe('cluster');
    expect(serviceGraphChart({ ...runFixture, serviceGraph: { edges: [] } })).toBeNull();
  });

  it('availabilityChart(run with slo.latency.p99) draws within-SLO beside availability on one y scale; none without', () => {
    const run = {
      ...runFixture,
      slo: {
        availability: null,
        deadlineMs: 200,
        windows: runFixture.timeline.length,
        violatingWindows: null,
      },
      timeline: runFixture.timeline.map((w) => ({
        ...w,
        withinSlo: w.availability === null ? null : w.availability - 0.05,
      })),
    };
    const spec = availabilityChart(run);
    expectValid(spec);
    const layers = ('layer' in spec ? spec.layer : []) as { name?: string; data?: { values: unknown[] } }[];
    const within = layers.find((l) => l.name === 'within_slo_lines');
    const values = (within?.data?.values ?? []) as { availability: number | null }[];
    const expected = run.timeline.flatMap((w) =>
      w.withinSlo === null ? [null] : [w.withinSlo, w.withinSlo],
    );
    expect(values.map((v) => v.availability)).toEqual(expected);
    // One field name in both layers: Vega-Lite unions the domains, so the lower line is never clipped.
    expect((within as { encoding?: { y?: object } } | undefined)?.encoding?.y).toEqual({
      field: 'availability',
      type: 'quantitative',
    });
    expect(JSON.stringify(spec)).toContain('within slo.latency.p99 (200 ms)');
    const plain = availabilityChart(runFixture);
    expect(JSON.stringify(plain)).not.toContain('within_slo_lines');
  });

  it('chart specs carry their data inline and fetch nothing', () => {
    const specs = [...comparisonCharts(comparisonFixture).charts, ...runCharts(runFixture).charts].map(
      (c) => c.spec,
    );
    for (const spec of specs) {
      expect(urls(spec)).toEqual([]);
      expect(JSON.stringify(spec)).toContain('"values"');
    }
  });

  it('availabilityChart(comparison) draws one band per fault, the open-ended one to the end of the run', () => {
    const spec = availabilityChart(comparisonFixture);
    const layers = 'layer' in spec ? spec.layer : [];
    const bands = layers.find((l) => 'name' in l && l.name === 'fault_bands');
    const values = bands && 'data' in bands && bands.data && 'values' in bands.data ? bands.data.values : [];
    expect(values).toEqual([
      expect.objectContaining({ type: 'control-plane-outage', startS: 60, endS: 120 }),
      expect.objectContaining({ type: 'network-partition', startS: 150, endS: 180 }),
      expect.objectContaining({ type: 'pod-failure', startS: 210, endS: 240 }),
    ]);
  });

  it('blastRadiusChart and costChart return null when there is nothing to show', () => {
    expect(blastRadiusChart({ ...comparisonFixture, faults: [] })).toBeNull();
    expect(blastRadiusChart({ ...runFixture, faults: [] })).toBeNull();
    expect(
      costChart({
        ...comparisonFixture,
        models: comparisonFixture.models.map((m) => ({ ...m, cost: null })),
      }),
    ).toBeNull();
    const { charts, notes } = comparisonCharts({
      ...comparisonFixture,
      faults: [],
      models: comparisonFixture.models.map((m) => ({ ...m, cost: null, blastRadius: null })),
    });
    expect(charts.map((c) => c.name)).toEqual(['availability', 'latency', 'traffic-matrix', 'service-graph']);
    expect(notes).toHaveLength(2);
  });

  it('every chart gives each model the same colour', () => {
    const colourOf = (spec: TopLevelSpec) => {
      const json = JSON.stringify(spec);
      const m = /"domain":\["multi-primary","primary-remote","external"\],"range":(\[[^\]]*\])/.exec(json);
      return m?.[1];
    };
    const ranges = [availabilityChart, latencyChart, blastRadiusChart].map((f) => {
      const spec = f(comparisonFixture);
      return spec === null ? undefined : colourOf(spec);
    });
    const cost = costChart(comparisonFixture);
    ranges.push(cost === null ? undefined : colourOf(cost));
    expect(ranges[0]).toBeDefined();
    expect(new Set(ranges)).toEqual(new Set([ranges[0]]));
    expect(JSON.stringify(trafficMatrixChart(comparisonFixture))).toContain('"viridis"');
  });
});
