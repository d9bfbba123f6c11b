/**
 * The look every meshsim chart shares, so a review packet reads as one document: the same width, fonts,
 * axis style and, above all, the same colour for the same model on every chart.
 *
 * Contents: `CHART_WIDTH`, `CHART_HEIGHT`, `VEGA_LITE_SCHEMA`, `SERIES_COLOURS`, `chartConfig`,
 * `seriesColourScale`.
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
 * A colour scale that gives each series (model, or fault in a one-run report) the same Okabe–Ito colour on
 * every chart: the domain is fixed in the order the report lists them rather than left to sorting.
 */
export function seriesColourScale(series: readonly string[]): { domain: string[]; range: string[] } {
  return {
    domain: [...series],
    range: series.map((_, i) => SERIES_COLOURS[i % SERIES_COLOURS.length] ?? '#000000'),
  };
}
