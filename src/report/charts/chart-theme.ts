/**
 * The look every meshsim chart shares, so a review packet reads as one document: the same width, fonts,
 * axis style and, above all, the same colour for the same model on every chart.
 *
 * Contents: `CHART_WIDTH`, `CHART_HEIGHT`, `VEGA_LITE_SCHEMA`, `SERIES_COLOURS`, `MODEL_COLOURS`,
 * `chartConfig`, `seriesColours`, `seriesColourScale`, `SERIES_DASHES`, `seriesDashScale`.
 */
import type { Config } from 'vega-lite';

/** Width of a chart's plotting area in pixels; with axes and legend a chart stays under A4 portrait width. */
export const CHART_WIDTH = 560;

/** Height of a chart's plotting area in pixels for charts whose height does not follow their rows. */
export const CHART_HEIGHT = 240;

/** The `$schema` every spec names: an identifier for editors and validators, never fetched by meshsim. */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/**
 * The Okabe–Ito palette, which stays distinguishable under the common colour-vision deficiencies; its
 * yellow comes last because it is hard to read on white.
 */
export const SERIES_COLOURS: readonly string[] = [
  '#0072B2',
  '#E69F00',
  '#009E73',
  '#CC79A7',
  '#56B4E9',
  '#D55E00',
  '#000000',
  '#F0E442',
];

const FONT = 'Helvetica Neue, Helvetica, Arial, DejaVu Sans, sans-serif';

/** Vega-Lite config shared by every chart: quiet axes, left-aligned titles, white background. */
export const chartConfig: Config = {
  background: 'white',
  padding: 12,
  font: FONT,
  view: { stroke: '#d0d0d0' },
  title: {
    anchor: 'start',
    fontSize: 15,
    fontWeight: 600,
    color: '#1a1a1a',
    subtitleFontSize: 11,
    subtitleColor: '#555555',
    subtitlePadding: 4,
    offset: 14,
  },
  axis: {
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 600,
    titleColor: '#333333',
    labelColor: '#333333',
    domainColor: '#888888',
    tickColor: '#888888',
    gridColor: '#ececec',
  },
  legend: {
    labelFontSize: 11,
    titleFontSize: 11,
    titleFontWeight: 600,
    orient: 'bottom',
    direction: 'horizontal',
    columns: 4,
  },
  header: { labelFontSize: 12, labelFontWeight: 600, titleFontSize: 12 },
};

/**
 * The colour of each built-in deployment model's name, the same on every chart of every report: a reader
 * who learnt that multi-primary is blue in one review packet must not find it orange in the next.
 */
export const MODEL_COLOURS: Readonly<Record<string, string>> = {
  'multi-primary': '#0072B2',
  'primary-remote': '#E69F00',
  hybrid: '#009E73',
  external: '#CC79A7',
};

/** Colours left for other names: the palette without the built-in models' own. */
const OTHER_COLOURS = SERIES_COLOURS.filter((c) => !Object.values(MODEL_COLOURS).includes(c));

/** A stable hash of a name (FNV-1a), so a custom name keeps its colour from one report to the next. */
function nameHash(name: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) {
    h ^= name.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

/**
 * A colour per series, fixed by its name rather than its position: a built-in model's name has its own
 * colour (`MODEL_COLOURS`), any other name the palette colour its hash picks among those left. Only when
 * two names of one chart would share a colour does the later one take the next free colour.
 */
export function seriesColours(series: readonly string[]): string[] {
  const used = new Set<string>();
  return series.map((name) => {
    const fixed = MODEL_COLOURS[name];
    let colour = fixed ?? (OTHER_COLOURS[nameHash(name) % OTHER_COLOURS.length] as string);
    if (fixed === undefined) {
      for (let k = 0; used.has(colour) && k < SERIES_COLOURS.length; k++) {
        colour = SERIES_COLOURS[(SERIES_COLOURS.indexOf(colour) + 1) % SERIES_COLOURS.length] as string;
      }
    }
    used.add(colour);
    return colour;
  });
}

/**
 * Stroke dash patterns by series position: solid, dashed, dotted, dash-dot. Two series with identical
 * values are drawn one over the other; with different dashes the one beneath shows through the gaps of
 * the one on top, so neither hides the other.
 */
export const SERIES_DASHES: readonly (readonly number[])[] = [[], [7, 4], [2, 3], [9, 3, 2, 3]];

/** A dash scale for the series, in the order given. */
export function seriesDashScale(series: readonly string[]): { domain: string[]; range: number[][] } {
  return {
    domain: [...series],
    range: series.map((_, i) => [...(SERIES_DASHES[i % SERIES_DASHES.length] ?? [])]),
  };
}

/** A colour scale that gives each series its fixed colour (`seriesColours`), in the order the report lists them. */
export function seriesColourScale(series: readonly string[]): { domain: string[]; range: string[] } {
  return { domain: [...series], range: seriesColours(series) };
}
