/**
 * Axes never clip data (issue 14, point 7), on every chart a report draws: availability, latency, blast
 * radius, cost, traffic matrix, service graph (runs and comparisons) and the sweep's line charts. (The
 * capacity search draws no chart: its report is tables.)
 *
 * Checked on what Vega really draws, not on the specs' `scale` entries: each chart is compiled and run
 * headless, and every data mark's anchor points (a rect's corners, a point, a line's or area's vertices,
 * a rule's ends) must lie inside the plot of its cell. A value outside a stated domain lands outside the
 * plot whether the mark is clipped or spills over, and a stacked sum or a transform's output is checked
 * as drawn. Text (labels, titles) and axes and legends are not data marks and are not checked here
 * (svg.test.ts checks the latency labels).
 */
import { compile, type TopLevelSpec } from 'vega-lite';
import * as vega from 'vega';
import { describe, expect, it } from 'vitest';
import type { ComparisonResult, SweepResult } from '../../src/experiment/index.js';
import type { RunSummary } from '../../src/metrics/index.js';
import { comparisonCharts, runCharts } from '../../src/report/charts/report-charts.js';
import { sweepChart } from '../../src/report/charts/sweep-chart.js';
import { MODEL_FIGURES } from '../../src/experiment/model-figures.js';
import { sweepFigure } from '../../src/report/sweep-figures.js';
import { comparisonFixture, runFixture } from './fixtures.js';

/** Scenegraph items as Vega builds them (only the fields read here). */
interface Item {
  x?: number;
  y?: number;
  x2?: number;
  y2?: number;
  width?: number;
  height?: number;
  items?: Mark[];
}
interface Mark {
  marktype: string;
  role: string;
  name?: string;
  items: Item[];
}

const DATA_MARKS = new Set(['rect', 'symbol', 'line', 'area', 'rule', 'trail']);
/** Guides and headers: not data, and drawn outside the plot by design. */
const GUIDE = /axis|legend|title|header|footer/;
const TOLERANCE_PX = 0.5;

/** Every data-mark anchor outside its cell, as "mark: (x, y) outside w x h"; `seen` counts the items checked. */
function outside(
  mark: Mark,
  cell: { width: number; height: number },
  out: string[],
  seen = { items: 0 },
): void {
  if (GUIDE.test(mark.role)) return;
  for (const item of mark.items) {
    if (mark.marktype === 'group') {
      if (item.width !== undefined && item.height !== undefined && item.items !== undefined)
        for (const m of item.items) outside(m, { width: item.width, height: item.height }, out, seen);
      continue;
    }
    if (!DATA_MARKS.has(mark.marktype)) continue;
    seen.items++;
    const xs = [item.x, item.x2, item.width === undefined ? undefined : (item.x ?? 0) + item.width];
    const ys = [item.y, item.y2, item.height === undefined ? undefined : (item.y ?? 0) + item.height];
    const bad =
      xs.some((x) => x !== undefined && (x < -TOLERANCE_PX || x > cell.width + TOLERANCE_PX)) ||
      ys.some((y) => y !== undefined && (y < -TOLERANCE_PX || y > cell.height + TOLERANCE_PX));
    if (bad)
      out.push(
        `${mark.name ?? mark.marktype}: x ${xs.map((v) => v?.toFixed(1)).join('/')} y ${ys.map((v) => v?.toFixed(1)).join('/')} outside ${cell.width} x ${cell.height}`,
      );
  }
}

async function clipped(spec: TopLevelSpec): Promise<{ outside: string[]; checked: number }> {
  const view = new vega.View(vega.parse(compile(spec).spec), { renderer: 'none', logLevel: vega.Error });
  try {
    await view.runAsync();
    const root = (view.scenegraph() as unknown as { root: Mark }).root;
    const out: string[] = [];
    const seen = { items: 0 };
    outside(root, { width: view.width(), height: view.height() }, out, seen);
    return { outside: out, checked: seen.items };
  } finally {
    view.finalize();
  }
}

/** Values pushed to the ends: an outage to 0% availability, a p99 of seconds, a fault reaching everything. */
function extremes(r: ComparisonResult): ComparisonResult {
  const c = structuredClone(r) as unknown as {
    models: {
      timeline: { availability: number; p99Ms: number }[];
      latencyMs: { p99: { mean: number; ci95: [number, number] } };
      blastRadius: Record<string, { mean: number; ci95: [number, number] }>;
    }[];
  };
  const [a, b] = c.models;
  if (a === undefined || b === undefined) throw new Error('fixture has fewer than two models');
  for (const w of a.timeline.slice(4, 7)) {
    w.availability = 0;
    w.p99Ms = 30_000;
  }
  b.latencyMs.p99 = { mean: 4000, ci95: [100, 9000] };
  for (const k of Object.keys(b.blastRadius)) b.blastRadius[k] = { mean: 1, ci95: [0.9, 1] };
  return c as unknown as ComparisonResult;
}

function sweepOf(r: ComparisonResult): SweepResult {
  const scaled = (k: number): ComparisonResult => {
    const c = structuredClone(r) as unknown as {
      models: { availability: { mean: number; ci95: number[] } }[];
    };
    for (const m of c.models) {
      m.availability.mean = m.availability.mean ** k;
      m.availability.ci95 = m.availability.ci95.map((x) => x ** (k * 1.5));
    }
    return c as unknown as ComparisonResult;
  };
  return {
    scenario: r.scenario,
    file: 'scenarios/three-cluster-shop.yaml',
    parameters: [{ path: 'traffic[0].rate', values: ['400/s', '800/s', '3200/s'] }],
    axes: [{ path: 'traffic[0].rate', unit: 'req/s', values: [400, 800, 3200] }],
    models: r.models.map((m) => m.model),
    replications: r.replications,
    seed: r.seed,
    rerun: 'meshsim sweep scenarios/three-cluster-shop.yaml',
    contractVersion: 2,
    meshsimVersion: '0.1.0',
    points: [1, 40, 400].map((k, i) => ({
      point: i + 1,
      settings: { 'traffic[0].rate': ['400/s', '800/s', '3200/s'][i] as string },
      comparison: scaled(k),
    })),
  };
}

const run: RunSummary = runFixture;
/** The sweep figures the fixture has values for (it has no mean, p90 or p99.9 latency). */
const SWEPT = MODEL_FIGURES.map(sweepFigure).filter((f) =>
  comparisonFixture.models.some((m) => f.value(m) != null),
);
const charts = [
  ...runCharts(run).charts.map((c) => ({ name: `run ${c.name}`, spec: c.spec })),
  ...comparisonCharts(comparisonFixture).charts.map((c) => ({ name: `comparison ${c.name}`, spec: c.spec })),
  ...comparisonCharts(extremes(comparisonFixture)).charts.map((c) => ({
    name: `comparison at the extremes ${c.name}`,
    spec: c.spec,
  })),
  ...SWEPT.map((f) => ({ name: `sweep ${f.name}`, spec: sweepChart(sweepOf(comparisonFixture), f) })),
];

describe('report/charts: no axis clips data', () => {
  it('the check can fail: a stated domain of [0, 1] with a value of 2 puts the point outside the plot', async () => {
    const spec: TopLevelSpec = {
      data: {
        values: [
          { x: 1, y: 0.5 },
          { x: 2, y: 2 },
        ],
      },
      mark: { type: 'point', clip: true },
      encoding: {
        x: { field: 'x', type: 'quantitative' },
        y: { field: 'y', type: 'quantitative', scale: { domain: [0, 1] } },
      },
    };
    expect((await clipped(spec)).outside).toHaveLength(1);
  });

  it('every chart kind is covered', () => {
    const kinds = new Set(charts.map((c) => c.name.split(' ').at(-1)));
    for (const k of ['availability', 'latency', 'blast-radius', 'cost', 'traffic-matrix', 'service-graph'])
      expect(kinds).toContain(k);
    expect(SWEPT.length).toBeGreaterThanOrEqual(MODEL_FIGURES.length - 3);
  });

  it.each(charts)('$name: every data mark inside its plot', async ({ spec }) => {
    const r = await clipped(spec);
    expect(r.checked).toBeGreaterThan(0);
    expect(r.outside).toEqual([]);
  });
});
