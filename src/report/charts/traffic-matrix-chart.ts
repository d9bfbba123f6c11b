/**
 * The traffic matrix as a heatmap: calls by the caller's cluster (rows) and the serving replica's cluster
 * (columns), one panel per model. The diagonal is traffic kept local; everything off it crosses clusters and
 * pays the network's latency and, across zones or regions, its price.
 */
import type { TopLevelSpec } from 'vega-lite';
import { CHART_WIDTH, VEGA_LITE_SCHEMA, chartConfig } from './chart-theme.js';
import { type ChartInput, isComparison, runLabel, seriesNames } from './chart-input.js';

interface Cell {
  readonly model: string;
  readonly from: string;
  readonly to: string;
  readonly requests: number;
  /** requests / the model's busiest cell: picks a label colour that stays readable on the cell. */
  readonly intensity: number;
}

const FACET_GAP_PX = 16;
const SINGLE_PANEL_PX = 260;

/**
 * Beyond this many clusters a matrix cell is too small to read (20 clusters in a 180 px panel are 9 px
 * cells): clusters are grouped by region, and the full matrix stays in csv/traffic-matrix.csv.
 */
export const MAX_MATRIX_CLUSTERS = 6;

/** Labels print only while a cell is wide enough for a number: above this many rows they would overprint. */
const MAX_LABELLED = 8;

/**
 * The traffic with each cluster replaced by its region (`us-east (5 clusters)`), when there are more
 * than `MAX_MATRIX_CLUSTERS` clusters and every one's region is known; otherwise the traffic as it is.
 */
export function groupedByRegion(
  traffic: readonly { from: string; to: string; requests: number }[],
  clusters: readonly string[],
  regions: readonly { readonly cluster: string; readonly region: string }[] | undefined,
): { traffic: { from: string; to: string; requests: number }[]; names: string[]; grouped: boolean } {
  const regionOf = new Map((regions ?? []).map((r) => [r.cluster, r.region]));
  if (clusters.length <= MAX_MATRIX_CLUSTERS || clusters.some((c) => !regionOf.has(c)))
    return { traffic: [...traffic], names: [...clusters], grouped: false };
  const count = new Map<string, number>();
  for (const c of clusters)
    count.set(regionOf.get(c) as string, (count.get(regionOf.get(c) as string) ?? 0) + 1);
  const label = (c: string) => {
    const region = regionOf.get(c) as string;
    const n = count.get(region) ?? 0;
    return `${region} (${n} cluster${n === 1 ? '' : 's'})`;
  };
  return {
    traffic: traffic.map((t) => ({ from: label(t.from), to: label(t.to), requests: t.requests })),
    names: [...new Set(clusters.map(label))],
    grouped: true,
  };
}

/** Every (from, to) pair of the clusters seen, so a pair without calls is a zero cell rather than a hole. */
function cells(
  model: string,
  traffic: readonly { from: string; to: string; requests: number }[],
  clusters: string[],
) {
  const byPair = new Map<string, number>();
  for (const t of traffic)
    byPair.set(`${t.from}\u0000${t.to}`, (byPair.get(`${t.from}\u0000${t.to}`) ?? 0) + t.requests);
  const max = Math.max(1, ...byPair.values());
  return clusters.flatMap((from) =>
    clusters.map((to): Cell => {
      const requests = byPair.get(`${from}\u0000${to}`) ?? 0;
      return { model, from, to, requests, intensity: requests / max };
    }),
  );
}

/** Calls by client cluster and serving cluster; one panel per model in a comparison. */
export function trafficMatrixChart(input: ChartInput): TopLevelSpec {
  const models = seriesNames(input);
  const series = isComparison(input)
    ? input.models.map((m) => ({ model: m.model, traffic: m.traffic }))
    : [{ model: runLabel(input), traffic: input.traffic }];
  // Scenario order where the input states it (a run's clusters), then order of first appearance.
  const stated =
    input.clusterRegions?.map((c) => c.cluster) ??
    (isComparison(input) ? [] : input.byCluster.map((c) => c.cluster));
  const all = [...new Set([...stated, ...series.flatMap((s) => s.traffic.flatMap((t) => [t.from, t.to]))])];
  const groups = series.map((s) => ({
    model: s.model,
    ...groupedByRegion(s.traffic, all, input.clusterRegions),
  }));
  const grouped = groups[0]?.grouped ?? false;
  const clusters = groups[0]?.names ?? all;
  const data = groups.flatMap((g) => cells(g.model, g.traffic, clusters));
  const what = isComparison(input)
    ? `mean calls per replication (${input.replications} replications)`
    : 'calls';
  const title = {
    text: 'Traffic matrix',
    subtitle: [
      grouped
        ? `Every hop's ${what} by the caller's region and the serving replica's region (${all.length} clusters grouped; every cluster pair in csv/traffic-matrix.csv).`
        : `Every hop's ${what} by the caller's cluster and the serving replica's cluster.`,
      'The diagonal stays local.',
    ],
  };
  const panel =
    models.length > 1 ? (CHART_WIDTH - FACET_GAP_PX * (models.length - 1)) / models.length : SINGLE_PANEL_PX;
  const layer = [
    {
      name: 'cells',
      mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
      encoding: {
        x: {
          field: 'to',
          type: 'nominal',
          title: grouped ? 'serving region' : 'serving cluster',
          sort: clusters,
          axis: { labelAngle: -30 },
        },
        y: {
          field: 'from',
          type: 'nominal',
          title: grouped ? 'client region' : 'client cluster',
          sort: clusters,
        },
        color: {
          field: 'requests',
          type: 'quantitative',
          title: isComparison(input) ? 'mean calls' : 'calls',
          // A stated domain when there are no calls at all: Vega cannot derive one from no data.
          scale: { scheme: 'viridis', reverse: true, ...(data.length === 0 ? { domain: [0, 1] } : {}) },
          legend: { orient: 'right', direction: 'vertical', format: ',.0f' },
        },
      },
    },
    {
      name: 'cell_labels',
      mark: { type: 'text', fontSize: 10 },
      encoding: {
        x: { field: 'to', type: 'nominal', sort: clusters },
        y: { field: 'from', type: 'nominal', sort: clusters },
        text: { field: 'requests', type: 'quantitative', format: ',.0f' },
        color: { condition: { test: 'datum.intensity > 0.55', value: 'white' }, value: '#1a1a1a' },
      },
    },
  ] as const;
  // Numbers in cells too small for them would print over each other: the colour scale says it then.
  const labelled = clusters.length <= MAX_LABELLED;
  const layers = labelled ? [...layer] : [layer[0]];
  if (models.length === 1) {
    return {
      $schema: VEGA_LITE_SCHEMA,
      title,
      config: chartConfig,
      data: { values: data },
      width: panel,
      height: panel,
      layer: layers,
    };
  }
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    config: chartConfig,
    data: { values: data },
    facet: { column: { field: 'model', type: 'nominal', title: null, sort: models } },
    spacing: FACET_GAP_PX,
    spec: { width: panel, height: panel, layer: layers },
  };
}
