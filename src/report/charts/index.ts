export { availabilityChart } from './availability-chart.js';
export { latencyChart } from './latency-chart.js';
export { blastRadiusChart, faultLabel, BLAST_MEASURES } from './blast-radius-chart.js';
export { trafficMatrixChart } from './traffic-matrix-chart.js';
export { costChart } from './cost-chart.js';
export { runCharts, comparisonCharts, type ReportChart, type ChartSet } from './report-charts.js';
export { type ChartInput, isComparison, seriesNames } from './chart-input.js';
export { CHART_WIDTH, SERIES_COLOURS, chartConfig, seriesColourScale } from './chart-theme.js';
