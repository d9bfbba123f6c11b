export { writeReportFolder, writeFileAtomic, type ReportFile } from './atomic-write.js';
export { summaryJson } from './summary-json.js';
export { runCsvFiles } from './run-csv.js';
export { runText } from './run-text.js';
export { textTable } from './text-table.js';
