/**
 * The service graph as an edge heat map, Kiali's graph read as a table: callers (rows) by destinations
 * (columns), each cell coloured by request rate and labelled with its error ratio when calls failed. One
 * panel per model in a comparison. Nodes are workload, version and cluster while they fit; beyond
 * `MAX_GRAPH_NODES` rows or columns they are merged to workload and version, then to workload, and the
 * subtitle says so (every edge stays in csv/service-graph.csv).
 */
import type { TopLevelSpec } from 'vega-lite';
import type { ServiceGraphEdge } from '../../metrics/index.js';
import { CHART_WIDTH, VEGA_LITE_SCHEMA, chartConfig } from './chart-theme.js';
import { type ChartInput, isComparison, runLabel, seriesNames } from './chart-input.js';

/** Rows or columns beyond which a cell is too small to read in a 560 px chart (~25 px a row). */
export const MAX_GRAPH_NODES = 16;

type Detail = 'cluster' | 'version' | 'workload';

export interface GraphCell {
  readonly model: string;
  readonly from: string;
  readonly to: string;
  readonly ratePerSecond: number;
  readonly errorRatio: number;
  /** The highest p99 among the edges merged into the cell. */
  readonly p99Ms: number;
  readonly label: string;
}

function nodeName(workload: string, version: string | null, cluster: string | null, detail: Detail) {
  const v = detail !== 'workload' && version !== null ? ` ${version}` : '';
  const c = detail === 'cluster' ? ` @ ${cluster ?? 'no replica'}` : '';
  return `${workload}${v}${c}`;
}

const source = (e: ServiceGraphEdge, d: Detail) =>
  nodeName(
    e.sourceKind === 'traffic' ? `${e.source} (client)` : e.source,
    e.sourceVersion,
    e.sourceCluster,
    d,
  );
const destination = (e: ServiceGraphEdge, d: Detail) =>
  nodeName(
    e.destinationKind === 'external' ? `${e.destination} (external)` : e.destination,
    e.destinationVersion,
    e.destinationCluster,
    d,
  );

/** The finest detail at which every model's graph fits `MAX_GRAPH_NODES` rows and columns. */
export function graphDetail(graphs: readonly (readonly ServiceGraphEdge[])[]): Detail {
  for (const d of ['cluster', 'version'] as const) {
    const rows = new Set(graphs.flatMap((g) => g.map((e) => source(e, d))));
    const cols = new Set(graphs.flatMap((g) => g.map((e) => destination(e, d))));
    if (rows.size <= MAX_GRAPH_NODES && cols.size <= MAX_GRAPH_NODES) return d;
  }
  return 'workload';
}

/** Edges merged to cells at `detail`: rates and errors add up, p99 is the highest merged. */
export function graphCells(model: string, edges: readonly ServiceGraphEdge[], detail: Detail): GraphCell[] {
  const cells = new Map<
    string,
    { from: string; to: string; rate: number; calls: number; errors: number; p99: number }
  >();
  for (const e of edges) {
    const from = source(e, detail);
    const to = destination(e, detail);
    const k = `${from}\u0000${to}`;
    const c = cells.get(k) ?? { from, to, rate: 0, calls: 0, errors: 0, p99: 0 };
    c.rate += e.ratePerSecond;
    c.calls += e.calls;
    c.errors += e.errors;
    c.p99 = Math.max(c.p99, e.latencyMs.p99);
    cells.set(k, c);
  }
  return [...cells.values()].map((c) => {
    const errorRatio = c.calls > 0 ? c.errors / c.calls : 0;
    return {
      model,
      from: c.from,
      to: c.to,
      ratePerSecond: Math.round(c.rate * 1000) / 1000,
      errorRatio,
      p99Ms: c.p99,
      label: errorRatio > 0 ? `${(errorRatio * 100).toFixed(errorRatio < 0.01 ? 2 : 1)}%` : '',
    };
  });
}

/** Request rate per edge, error ratio written in the cells that failed; one panel per model. */
export function serviceGraphChart(input: ChartInput): TopLevelSpec | null {
  const series = isComparison(input)
    ? input.models.map((m) => ({ model: m.model, edges: m.serviceGraph?.edges ?? [] }))
    : [{ model: runLabel(input), edges: input.serviceGraph?.edges ?? [] }];
  if (series.every((s) => s.edges.length === 0)) return null;
  const models = seriesNames(input);
  const detail = graphDetail(series.map((s) => s.edges));
  const data = series.flatMap((s) => graphCells(s.model, s.edges, detail));
  const rows = [...new Set(data.map((c) => c.from))].sort();
  const cols = [...new Set(data.map((c) => c.to))].sort();
  const merged =
    detail === 'cluster'
      ? 'Nodes are workload, version and cluster.'
      : `Merged to ${detail === 'version' ? 'workload and version' : 'workload'} to stay readable (every edge in csv/service-graph.csv).`;
  const title = {
    text: 'Service graph',
    subtitle: [
      `Calls per second from each caller (rows) to each destination (columns)${isComparison(input) ? ', mean over replications' : ''}; failing cells show their error ratio.`,
      merged,
    ],
  };
  const gap = 16;
  const panelWidth =
    models.length > 1 ? (CHART_WIDTH - gap * (models.length - 1)) / models.length : CHART_WIDTH * 0.6;
  // Rows of 14-28 px: at MAX_GRAPH_NODES rows the panel stays under 450 px; a few rows still fill 160 px.
  const height = Math.max(160, Math.min(28 * rows.length, 14 * MAX_GRAPH_NODES * 2));
  const tooltip = [
    { field: 'from', title: 'caller' },
    { field: 'to', title: 'destination' },
    { field: 'ratePerSecond', title: 'calls/s', format: ',.2f' },
    { field: 'errorRatio', title: 'error ratio', format: '.2%' },
    { field: 'p99Ms', title: 'p99 ms (highest edge)', format: ',.1f' },
  ];
  const layers = [
    {
      mark: { type: 'rect', stroke: 'white', strokeWidth: 1 },
      encoding: {
        x: { field: 'to', type: 'nominal', title: 'destination', sort: cols, axis: { labelAngle: -40 } },
        y: { field: 'from', type: 'nominal', title: 'caller', sort: rows },
        color: {
          field: 'ratePerSecond',
          type: 'quantitative',
          title: 'calls/s',
          scale: { scheme: 'blues' },
          legend: { orient: 'right', direction: 'vertical', format: ',.0f' },
        },
        tooltip,
      },
    },
    {
      mark: { type: 'text', fontSize: 9, color: '#b3001b', fontWeight: 'bold' },
      encoding: {
        x: { field: 'to', type: 'nominal', sort: cols },
        y: { field: 'from', type: 'nominal', sort: rows },
        text: { field: 'label', type: 'nominal' },
      },
    },
  ] as const;
  const size = { width: Math.floor(panelWidth), height };
  if (models.length === 1)
    return {
      $schema: VEGA_LITE_SCHEMA,
      title,
      config: chartConfig,
      data: { values: data },
      ...size,
      layer: [...layers],
    } as TopLevelSpec;
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    config: chartConfig,
    data: { values: data },
    facet: { column: { field: 'model', type: 'nominal', title: null, sort: models } },
    spacing: gap,
    spec: { ...size, layer: [...layers] },
  } as TopLevelSpec;
}
