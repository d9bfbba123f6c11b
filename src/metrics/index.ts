export { RunRecorder, BATCHES, type RecorderShape } from './run-recorder.js';
export type {
  RunSummary,
  LatencySummary,
  Breakdown,
  ServiceBreakdown,
  WindowSummary,
} from './run-summary.js';
export { Tally, summarize, round } from './tally.js';
export * from './stats/index.js';
