// metrics/stats: streaming and reference statistics (LogHistogram, RunningStats, Student t, batch means).
export { LogHistogram, LOG_HISTOGRAM_ZERO_FLOOR, type LogHistogramJSON } from './log-histogram.js';
export { RunningStats, type RunningStatsJSON } from './running-stats.js';
export { tQuantile, meanConfidenceInterval, type MeanConfidenceInterval } from './student-t.js';
export { batchMeansStandardError } from './batch-means.js';
