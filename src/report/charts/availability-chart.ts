/**
 * Availability over time: one stepped line per model (each window's availability drawn across the window),
 * with every fault's active interval shaded and labelled by its type, so a dip can be read against its cause.
 */
import type { TopLevelSpec } from 'vega-lite';
import {
  CHART_HEIGHT,
  CHART_WIDTH,
  VEGA_LITE_SCHEMA,
  chartConfig,
  seriesColourScale,
  seriesDashScale,
} from './chart-theme.js';
import {
  type ChartInput,
  type FaultBand,
  faultBands,
  isComparison,
  runLabel,
  seriesNames,
} from './chart-input.js';

interface Point {
  readonly model: string;
  /** Drawing order within the model's line: a window's start and end share no x with a neighbour's order. */
  readonly seq: number;
  readonly timeS: number;
  /** null for a window without completed requests: drawn as a gap, not as the previous value. */
  readonly availability: number | null;
}

/** Whether the input carries within-SLO figures (the scenario sets `slo.latency.p99`). */
function hasWithinSlo(input: ChartInput): boolean {
  const timelines = isComparison(input) ? input.models.map((m) => m.timeline) : [input.timeline];
  return timelines.some((t) => t.some((w) => w.withinSlo !== undefined));
}

/**
 * Fault labels sit above the plot so that they never cover a line near 100%; a label takes a second or
 * third row only when it would overlap the one before it.
 */
const LABEL_ROWS = 3;
const LABEL_ROW_PX = 13;
const LABEL_CHAR_PX = 6;
const TITLE_OFFSET_PX = 14;

/**
 * Each window becomes a flat segment from its start to its end (two points), so a window is drawn across
 * exactly its own width and a window without requests is a gap on both sides.
 */
function points(input: ChartInput, figure: 'availability' | 'withinSlo' = 'availability'): Point[] {
  const series = isComparison(input)
    ? input.models.map((m) => ({ model: m.model, timeline: m.timeline }))
    : [{ model: runLabel(input), timeline: input.timeline }];
  return series.flatMap(({ model, timeline }) => {
    const out: Point[] = [];
    for (const w of timeline) {
      const startS = w.startMs / 1000;
      const endS = Math.min(w.startMs + input.windowMs, input.durationMs) / 1000;
      // The within-SLO line uses the same field name, so both layers share one y scale and neither clips.
      const value = figure === 'availability' ? w.availability : (w.withinSlo ?? null);
      out.push({ model, seq: out.length, timeS: startS, availability: value });
      if (value !== null) out.push({ model, seq: out.length, timeS: endS, availability: value });
    }
    return out;
  });
}

/**
 * Models whose availability line is the same as an earlier model's, in words: `external same as
 * primary-remote`. The chart says so, because lines drawn on top of each other look like one.
 */
export function identicalSeries(input: ChartInput): string[] {
  if (!isComparison(input)) return [];
  const out: string[] = [];
  input.models.forEach((m, i) => {
    const key = JSON.stringify(m.timeline.map((w) => w.availability));
    const earlier = input.models
      .slice(0, i)
      .find((o) => JSON.stringify(o.timeline.map((w) => w.availability)) === key);
    if (earlier !== undefined) out.push(`${m.model} same as ${earlier.model}`);
  });
  return out;
}

/** Row of each fault label: the first row where it does not overlap the previous label's text. */
function labelRows(bands: readonly FaultBand[], domain: readonly [number, number]): number[] {
  const px = (s: number) => ((s - domain[0]) / (domain[1] - domain[0])) * CHART_WIDTH;
  const rowEnds: number[] = [];
  return bands.map((b) => {
    const x = px(b.startS);
    let row = rowEnds.findIndex((end) => end <= x);
    if (row === -1) row = rowEnds.length < LABEL_ROWS ? rowEnds.length : LABEL_ROWS - 1;
    rowEnds[row] = x + b.type.length * LABEL_CHAR_PX + 8;
    return row;
  });
}

/** Availability per window and model, fault intervals shaded; a run draws its one series. */
export function availabilityChart(input: ChartInput): TopLevelSpec {
  const models = seriesNames(input);
  const domain: [number, number] = [input.warmupMs / 1000, input.durationMs / 1000];
  const faults = faultBands(input);
  const rows = labelRows(faults, domain);
  const bands = faults.map((b, i) => ({ ...b, labelY: -4 - (rows[i] ?? 0) * LABEL_ROW_PX }));
  const rowCount = bands.length === 0 ? 0 : Math.max(...rows) + 1;
  const x = {
    field: 'timeS',
    type: 'quantitative',
    title: 'simulated time (s)',
    scale: { domain, nice: false, zero: false },
  } as const;
  const data = points(input);
  const measured = data.some((p) => p.availability !== null);
  const replications = isComparison(input) ? `, mean of ${input.replications} replications` : '';
  const same = identicalSeries(input);
  const withinSlo = hasWithinSlo(input) ? points(input, 'withinSlo') : [];
  const deadline = isComparison(input) ? undefined : input.slo?.deadlineMs;
  const subtitle = [
    `Requests answered without error / completed, per ${input.windowMs / 1000} s window after warm-up${replications}.`,
    ...(bands.length > 0 ? ['Shaded: fault active, labelled by fault type.'] : []),
    ...(same.length > 0 ? [`${same.join('; ')} (drawn dashed over each other).`] : []),
    ...(withinSlo.length > 0
      ? [
          `Thin dotted line: within SLO, answered without error within slo.latency.p99${deadline == null ? '' : ` (${deadline} ms)`}.`,
        ]
      : []),
  ];
  const bandLayers =
    bands.length === 0
      ? []
      : [
          {
            name: 'fault_bands',
            data: { values: bands },
            mark: { type: 'rect', color: '#8c8c8c', opacity: 0.2, clip: true },
            encoding: {
              x: { field: 'startS', type: 'quantitative', scale: { domain, nice: false, zero: false } },
              x2: { field: 'endS' },
            },
          } as const,
          {
            name: 'fault_labels',
            data: { values: bands },
            mark: {
              type: 'text',
              align: 'left',
              baseline: 'bottom',
              dx: 2,
              fontSize: 10,
              color: '#444444',
            },
            encoding: {
              x: { field: 'startS', type: 'quantitative', scale: { domain, nice: false, zero: false } },
              y: { field: 'labelY', type: 'quantitative', scale: null },
              text: { field: 'type', type: 'nominal' },
            },
          } as const,
        ];
  return {
    $schema: VEGA_LITE_SCHEMA,
    title: { text: 'Availability over time', subtitle, offset: TITLE_OFFSET_PX + rowCount * LABEL_ROW_PX },
    width: CHART_WIDTH,
    height: CHART_HEIGHT,
    config: chartConfig,
    layer: [
      ...bandLayers,
      {
        name: 'availability_lines',
        data: { values: data },
        mark: {
          type: 'line',
          strokeWidth: 1.75,
          clip: true,
          invalid: 'break-paths-filter-domains',
        },
        encoding: {
          x,
          order: { field: 'seq', type: 'quantitative' },
          y: {
            field: 'availability',
            type: 'quantitative',
            title: 'availability (%)',
            axis: { format: '.2~%' },
            // Availability cannot pass 100%; capping the domain there keeps a perfect line off the frame.
            // Without any measured window the domain is stated, as Vega cannot derive one from no data.
            scale: measured ? { zero: false, domainMax: 1 } : { domain: [0, 1] },
          },
          color: {
            field: 'model',
            type: 'nominal',
            title: 'model',
            scale: seriesColourScale(models),
            sort: models,
          },
          // Identical series stay visible: the one beneath shows through the dashes of the one on top.
          strokeDash: {
            field: 'model',
            type: 'nominal',
            title: 'model',
            scale: seriesDashScale(models),
            sort: models,
          },
        },
      },
      ...(withinSlo.length === 0
        ? []
        : [
            {
              name: 'within_slo_lines',
              data: { values: withinSlo },
              mark: {
                type: 'line',
                strokeWidth: 1.25,
                strokeDash: [1.5, 2.5] as number[],
                clip: true,
                invalid: 'break-paths-filter-domains',
              },
              encoding: {
                x,
                order: { field: 'seq', type: 'quantitative' },
                y: { field: 'availability', type: 'quantitative' },
                color: { field: 'model', type: 'nominal', scale: seriesColourScale(models), sort: models },
              },
            } as const,
          ]),
    ],
  };
}
