import { describe, expect, it } from 'vitest';
import {
  availabilityChart,
  blastRadiusChart,
  costChart,
  latencyChart,
  normalizeSvgIds,
  renderSvg,
  runCharts,
  trafficMatrixChart,
} from '../../src/report/index.js';
import { CLUSTERS, MODELS, comparisonFixture, runFixture } from './fixtures.js';
import { isBalancedXml, markGroups, markItems } from './svg-marks.js';
import type { TopLevelSpec } from 'vega-lite';

/** Renders and fails on any vega-lite or Vega warning: a warning means a channel or scale was dropped. */
async function svgOf(spec: TopLevelSpec | null, idPrefix = 'chart'): Promise<string> {
  if (spec === null) throw new Error('no chart');
  const warnings: string[] = [];
  const svg = await renderSvg(spec, { idPrefix, onWarning: (w) => warnings.push(w) });
  expect(warnings).toEqual([]);
  expect(svg.startsWith('<svg')).toBe(true);
  expect(isBalancedXml(svg)).toBe(true);
  return svg;
}

describe('report/svg', () => {
  it('renderSvg(availabilityChart(comparison)) draws one line per model and one band per fault', async () => {
    const svg = await svgOf(availabilityChart(comparisonFixture));
    const lines = markGroups(svg, 'availability_lines');
    expect(lines).toHaveLength(MODELS.length);
    for (const [i, model] of MODELS.entries()) {
      expect(lines[i]?.items.filter((p) => p.tag === 'path')).toHaveLength(1);
      expect(lines[i]?.items[0]?.ariaLabel).toContain(`model: ${model}`);
    }
    expect(markItems(svg, 'fault_bands').filter((p) => p.tag === 'path')).toHaveLength(3);
    expect(markItems(svg, 'fault_labels').map((t) => t.text)).toEqual([
      'control-plane-outage',
      'network-partition',
      'pod-failure',
    ]);
  });

  it('renderSvg(availabilityChart(run)) breaks the line at a window without requests', async () => {
    const svg = await svgOf(availabilityChart(runFixture));
    const lines = markItems(svg, 'availability_lines');
    // One series; the gap splits its path into two sub-paths (two "M" commands).
    expect(lines).toHaveLength(1);
    expect(markItems(svg, 'fault_bands')).toHaveLength(2);
    expect(svg.match(/aria-roledescription="line mark" d="([^"]*)"/)?.[1]?.match(/M/g)).toHaveLength(2);
  });

  it('renderSvg(latencyChart(comparison)) draws p50 and p99 per model, each with an interval', async () => {
    const svg = await svgOf(latencyChart(comparisonFixture));
    expect(markItems(svg, 'latency_points')).toHaveLength(MODELS.length * 2);
    expect(markItems(svg, 'latency_ci')).toHaveLength(MODELS.length * 2);
    expect(markItems(svg, 'latency_labels').map((t) => t.text)).toContain('p99 88.0 ms');
  });

  it('renderSvg(latencyChart(comparison)) keeps every label inside the 560 px plot and every interval on the axis', async () => {
    const svg = await svgOf(latencyChart(comparisonFixture));
    // Vega writes a text item as <text ... transform="translate(x,y)" ...>label</text>, x from the plot's left.
    const labels = [
      ...svg.matchAll(
        /<text[^>]*transform="translate\(([-\d.]+),[-\d.]+\)"[^>]*>(p[\d.]+ [\d.]+ ms)<\/text>/g,
      ),
    ];
    expect(labels).toHaveLength(MODELS.length * 2);
    // Vega's default 10 px sans-serif: digits and lower case are at most ~5.6 px wide; 6 px is generous.
    for (const [, x, text] of labels) expect(Number(x) + (text ?? '').length * 6).toBeLessThanOrEqual(560);
    const spec = latencyChart(comparisonFixture) as {
      layer: { encoding: { x: { scale?: { domain?: number[] } } } }[];
    };
    const domain = spec.layer[0]?.encoding.x.scale?.domain ?? [];
    for (const m of comparisonFixture.models)
      for (const e of [m.latencyMs.p50, m.latencyMs.p99]) {
        expect(e?.ci95[0] ?? 0).toBeGreaterThanOrEqual(domain[0] ?? Infinity);
        expect(e?.ci95[1] ?? 0).toBeLessThanOrEqual(domain[1] ?? -Infinity);
      }
  });

  it('renderSvg(blastRadiusChart(comparison)) draws a bar per measure and model, and the run one per fault', async () => {
    const cmp = await svgOf(blastRadiusChart(comparisonFixture));
    expect(markItems(cmp, 'blast_bars')).toHaveLength(4 * MODELS.length);
    expect(markItems(cmp, 'blast_ci')).toHaveLength(4 * MODELS.length);
    const run = await svgOf(blastRadiusChart(runFixture));
    expect(markItems(run, 'blast_bars')).toHaveLength(4 * 2);
    expect(markItems(run, 'blast_ci')).toHaveLength(0);
  });

  it('renderSvg(trafficMatrixChart(comparison)) draws a rect per cell in one panel per model', async () => {
    const svg = await svgOf(trafficMatrixChart(comparisonFixture));
    const panels = markGroups(svg, 'cells');
    expect(panels).toHaveLength(MODELS.length);
    for (const p of panels) expect(p.items).toHaveLength(CLUSTERS.length ** 2);
    expect(markItems(svg, 'cell_labels').map((t) => t.text)).toContain('9,900');
  });

  it('renderSvg(trafficMatrixChart(run)) fills a pair without calls with a zero cell', async () => {
    const svg = await svgOf(trafficMatrixChart(runFixture));
    expect(markItems(svg, 'cells')).toHaveLength(CLUSTERS.length ** 2);
    expect(markItems(svg, 'cell_labels').filter((t) => t.text === '0')).toHaveLength(1);
  });

  it('renderSvg(costChart(comparison)) draws a labelled point per model', async () => {
    const svg = await svgOf(costChart(comparisonFixture));
    expect(markItems(svg, 'cost_points')).toHaveLength(MODELS.length);
    expect(markItems(svg, 'cost_labels').map((t) => t.text)).toEqual([...MODELS]);
  });

  it('renderSvg(spec) twice gives byte-identical SVG, with ids under the given prefix', async () => {
    // The traffic matrix has a gradient legend and clip paths: both numbered by Vega's process-wide counters.
    const a = await svgOf(trafficMatrixChart(comparisonFixture), 'traffic');
    await svgOf(availabilityChart(comparisonFixture), 'other');
    const b = await svgOf(trafficMatrixChart(comparisonFixture), 'traffic');
    expect(b).toBe(a);
    const ids = [...a.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]);
    expect(ids.length).toBeGreaterThan(0);
    for (const id of ids) expect(id).toMatch(/^traffic-\d+$/);
    for (const ref of a.matchAll(/url\(#([^)]+)\)/g)) expect(ids).toContain(ref[1]);
  });

  it('renderSvg draws every chart of a run without a single request, without warnings', async () => {
    const empty = {
      ...runFixture,
      requests: { total: 0, succeeded: 0, failed: 0, unfinished: 0 },
      availability: null,
      latencyMs: null,
      byCluster: [],
      byService: [],
      traffic: [],
      serviceGraph: { edges: [] },
      timeline: runFixture.timeline.map((w) => ({
        ...w,
        requests: 0,
        succeeded: 0,
        availability: null,
        latencyMs: null,
      })),
      faults: [],
    };
    const { charts } = runCharts(empty);
    expect(charts.map((c) => c.name)).toEqual(['availability', 'latency', 'traffic-matrix']);
    for (const c of charts) await svgOf(c.spec);
  });

  it('normalizeSvgIds(svg, prefix) renames ids and every reference to them', () => {
    const svg =
      '<svg><defs><clipPath id="clip7"/></defs><g clip-path="url(#clip7)"/><use href="#clip7"/></svg>';
    expect(normalizeSvgIds(svg, 'x')).toBe(
      '<svg><defs><clipPath id="x-1"/></defs><g clip-path="url(#x-1)"/><use href="#x-1"/></svg>',
    );
  });

  it('renderSvg keeps every chart about the width of its plot (text measured, not guessed at 0.8 em)', async () => {
    for (const spec of [availabilityChart(comparisonFixture), blastRadiusChart(comparisonFixture)]) {
      const svg = await svgOf(spec);
      const width = Number(/^<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1]);
      expect(width).toBeGreaterThan(560);
      expect(width).toBeLessThan(760);
    }
  });
});
