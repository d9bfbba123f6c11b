/**
 * A report as plain content before it is typeset: facts, the verdict, tables and charts. `markdown.ts` and
 * `html.ts` render the same document, so `summary.md` and `index.html` always say the same thing.
 *
 * Contents: `ReportDocument`, `ReportTable`, `ReportChartRef`.
 */

/** One table, already formatted: every cell is the text a person reads. */
export interface ReportTable {
  /** Stable anchor, e.g. `models`; also the HTML id. */
  readonly id: string;
  readonly title: string;
  readonly header: readonly string[];
  readonly rows: readonly (readonly string[])[];
  /** Per column: right-align it (numbers). */
  readonly numeric: readonly boolean[];
  /** What the figures mean or how they were computed; printed under the table. */
  readonly note?: string;
}

/** A chart as the document refers to it; the files are `charts/<name>.svg` and `charts/<name>.vl.json`. */
export interface ReportChartRef {
  readonly name: string;
  readonly title: string;
  /** One sentence saying what to look for. */
  readonly caption: string;
}

/** Everything a report says, in reading order. */
export interface ReportDocument {
  /** e.g. `three-cluster-shop: deployment models compared`. */
  readonly title: string;
  /** Label and value pairs: scenario, models, seed(s), replications, simulated time, version. */
  readonly facts: readonly (readonly [string, string])[];
  /** The command line that reproduces the report. */
  readonly rerun: string;
  /** A comparison's scorecard (models x criteria): shown first, before anything else. */
  readonly scorecard?: ReportTable;
  /** Heading of the highlights: `Verdict` for a comparison, `Summary` for a run. */
  readonly highlightsTitle: string;
  /** The verdict's sentences (comparison) or the run's headline figures; shown first. */
  readonly highlights: readonly string[];
  /** Tables shown before the charts: the figures a reader wants first. */
  readonly leadTables: readonly ReportTable[];
  readonly charts: readonly ReportChartRef[];
  /** Tables shown after the charts: details. */
  readonly detailTables: readonly ReportTable[];
  /** Remarks such as "No faults in this scenario, so no blast radius chart." */
  readonly notes: readonly string[];
}
