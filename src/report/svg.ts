/**
 * Vega-Lite spec to SVG text in Node, with no browser and no canvas: vega-lite compiles the spec to Vega,
 * and a headless Vega `View` (renderer `none`) draws the scenegraph as SVG markup.
 *
 * The output is deterministic. Vega numbers its clip paths and gradients from counters that live as long as
 * the process, so the same chart rendered twice would otherwise get different ids (`clip3`, then `clip7`).
 * Every id is renamed in order of appearance under a caller-chosen prefix. The prefix also keeps ids unique
 * when several SVGs are inlined into one HTML page, where a shared `clip1` would clip the wrong chart.
 *
 * Text is measured with `estimateTextWidth` rather than Vega's flat 0.8 em guess (see `text-width.ts`).
 */
import * as vega from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { estimateTextWidth } from './text-width.js';

/** Options of `renderSvg`. */
export interface SvgOptions {
  /** Prefix of every `id` in the SVG; use one per chart on a page. Default `chart`. */
  readonly idPrefix?: string;
  /** Called with each warning from vega-lite or Vega (a dropped channel, an invalid scale...). */
  readonly onWarning?: (message: string) => void;
}

type Logger = NonNullable<NonNullable<Parameters<typeof compile>[1]>['logger']>;

/** A logger that hands warnings and errors to `report` and drops the chatter. */
function collectingLogger(report: (message: string) => void): Logger {
  let level = 0;
  const logger: Logger = {
    level(l?: number) {
      if (l === undefined) return level;
      level = l;
      return logger;
    },
    error(...args: unknown[]) {
      report(args.map(String).join(' '));
      return logger;
    },
    warn(...args: unknown[]) {
      report(args.map(String).join(' '));
      return logger;
    },
    info() {
      return logger;
    },
    debug() {
      return logger;
    },
  };
  return logger;
}

/** The fields of a Vega text item that decide its width. */
interface TextItem {
  readonly text?: unknown;
  readonly fontSize?: number;
  readonly fontWeight?: string | number;
}

function itemTextWidth(item: TextItem, text?: unknown): number {
  const value = text ?? item.text ?? '';
  const s = Array.isArray(value) ? value.map(String).join(' ') : String(value);
  const weight = item.fontWeight;
  const bold =
    weight === 'bold' ||
    (typeof weight === 'number' && weight >= 600) ||
    weight === '600' ||
    weight === '700';
  // Vega's default font size is 11 px.
  return estimateTextWidth(s, item.fontSize ?? 11, bold);
}

/**
 * Points Vega's text measurement at `itemTextWidth`. `textMetrics.width` is the hook Vega offers for this
 * (vl-convert uses it too); the typings do not declare `textMetrics`, hence the checked access.
 */
function useEstimatedTextWidths(): void {
  const metrics: unknown = Reflect.get(vega, 'textMetrics');
  if (typeof metrics !== 'object' || metrics === null || !('width' in metrics)) {
    throw new Error('renderSvg: this Vega version has no textMetrics.width to measure text with');
  }
  if (Reflect.get(metrics, 'width') !== itemTextWidth) Reflect.set(metrics, 'width', itemTextWidth);
}

/** Renames every `id` (and each reference to it) to `<prefix>-<n>` in order of first appearance. */
export function normalizeSvgIds(svg: string, prefix: string): string {
  const ids = new Map<string, string>();
  for (const m of svg.matchAll(/\sid="([^"]+)"/g)) {
    const id = m[1] ?? '';
    if (!ids.has(id)) ids.set(id, `${prefix}-${ids.size + 1}`);
  }
  if (ids.size === 0) return svg;
  const rename = (id: string) => ids.get(id) ?? id;
  return svg
    .replace(/(\sid=")([^"]+)"/g, (_, head: string, id: string) => `${head}${rename(id)}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${rename(id)})`)
    .replace(/(href=")#([^"]+)"/g, (_, head: string, id: string) => `${head}#${rename(id)}"`);
}

/** Renders a Vega-Lite spec to a standalone SVG document string; same spec, same bytes. */
export async function renderSvg(spec: TopLevelSpec, options: SvgOptions = {}): Promise<string> {
  useEstimatedTextWidths();
  const onWarning = options.onWarning ?? (() => undefined);
  const logger = collectingLogger(onWarning);
  const vgSpec = compile(spec, { logger }).spec;
  const view = new vega.View(vega.parse(vgSpec), { renderer: 'none', logger, logLevel: 2 });
  try {
    const svg = await view.toSVG();
    return normalizeSvgIds(svg, options.idPrefix ?? 'chart');
  } finally {
    view.finalize();
  }
}
