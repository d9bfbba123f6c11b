export {
  writeReportFolder,
  writeFileAtomic,
  removeStaleTemporaries,
  reportFilesBytes,
  ReportWriteError,
  type SizedChunks,
  STOP_AT_ENV,
  testStop,
  type ReportFile,
} from './atomic-write.js';
export {
  checkOutputFolder,
  estimateReportBytes,
  withMarker,
  ReportFolderError,
  MARKER,
  LEGACY_REPORT_ENTRIES,
  type ReportMarker,
  type OutputRequest,
} from './report-folder.js';
export { summaryJson } from './summary-json.js';
export { comparisonJson } from './comparison-json.js';
export { runCsvFiles } from './run-csv.js';
export { comparisonCsvFiles } from './comparison-csv.js';
export {
  SERVICE_GRAPH_CSV_COLUMNS,
  serviceGraphCsv,
  comparisonServiceGraphCsv,
} from './service-graph-csv.js';
export { runFaultsCsv, comparisonFaultsCsv, FAULTS_CSV_COLUMNS } from './faults-csv.js';
export { runText } from './run-text.js';
export { comparisonText } from './comparison-text.js';
export { textTable } from './text-table.js';
export { runReportFiles, comparisonReportFiles } from './report-files.js';
export { runMarkdown, comparisonMarkdown, documentMarkdown, markdownTable } from './markdown.js';
export { documentHtml, escapeHtml, type RenderedChart } from './html.js';
export { runDocument } from './run-document.js';
export { comparisonDocument } from './comparison-document.js';
export type { ReportDocument, ReportTable, ReportChartRef } from './report-document.js';
export { renderSvg, normalizeSvgIds, type SvgOptions } from './svg.js';
export * from './charts/index.js';
export {
  openMetricsText,
  openMetricsTextOfModels,
  prometheusTextOfModels,
  openMetricsChunks,
  openMetricsChunksOfModels,
  prometheusChunks,
  prometheusChunksOfModels,
  metricsTexts,
  metricsTextsOfModels,
  type MetricsTexts,
  MODEL_LABEL,
  prometheusText,
  DEFAULT_METRICS_BASE_TIME_MS,
  type OpenMetricsOptions,
} from './openmetrics.js';
export { chunksToString, type TextChunks } from './text-chunks.js';
export { fortioResult, fortioResultJson, goDuration, type FortioRunContext } from './fortio-json.js';
export { thresholdsText, k6SummaryJson, type K6SummaryMeta } from './k6-summary.js';
export { sweepReportFiles, sweepJson, DEFAULT_SWEEP_FIGURES } from './sweep-report-files.js';
export { sweepCsv, sweepCsvColumns } from './sweep-csv.js';
export { sweepFigure, sweepFigureName, type SweepFigure } from './sweep-figures.js';
export { sweepDocument } from './sweep-document.js';
export { sweepChart } from './charts/sweep-chart.js';
export { capacityReportFiles, capacityJson, capacityText, capacityDocument } from './capacity-report.js';
