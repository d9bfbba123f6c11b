export {
  RunRecorder,
  BATCHES,
  type RecorderShape,
  type RunUnits,
  type RunUnitsJSON,
  runUnitsToJSON,
  runUnitsFromJSON,
  type RecorderStateSize,
} from './run-recorder.js';
export type {
  ReportHeader,
  RunSummary,
  LatencySummary,
  Breakdown,
  ServiceBreakdown,
  WindowSummary,
  SloSummary,
  FaultImpact,
  FaultImpactDetail,
  ControlPlaneSummary,
  CostSummary,
} from './run-summary.js';
export { OUTPUT_CONTRACT_VERSION } from './run-summary.js';
export { summarize, round, LATENCY_RELATIVE_ACCURACY } from './tally.js';
export { UnitWindows, UNIT_WINDOW_ACCURACY, type UnitWindowsJSON } from './unit-windows.js';
export { TrafficMatrix, TRACKED_CLUSTERS, type ZoneRef, type CrossingCounts } from './traffic-matrix.js';
export { ControlPlaneRecorder } from './control-plane-recorder.js';
export {
  blastRadius,
  impacted,
  DEFAULT_BLAST_RADIUS_THRESHOLDS,
  type BlastRadiusThresholds,
  type BlastRadiusLayout,
  type FaultWindowSpec,
} from './blast-radius.js';
export { DEFAULT_COST_CONSTANTS, costConstants, type CostConstants } from './cost-constants.js';
export { estimateCost, costMethod, type CostInput } from './estimate-cost.js';
export * from './stats/index.js';
export { IstioTelemetryRecorder, ISTIO_DURATION_BUCKETS_MS } from './istio-telemetry-recorder.js';
export type {
  IstioTelemetry,
  TelemetrySeries,
  TelemetryWorkload,
  TelemetryShape,
} from './istio-telemetry.js';
export {
  IstiodTelemetryRecorder,
  PILOT_CONVERGENCE_BUCKETS_S,
  type IstiodTelemetry,
} from './istiod-telemetry-recorder.js';
export { FortioRecorder, type FortioRecord, type FortioTrafficRecord } from './fortio-recorder.js';
export {
  FortioHistogram,
  FORTIO_BUCKET_VALUES,
  FORTIO_RESOLUTION_S,
  FORTIO_DEFAULT_PERCENTILES,
  fortioBucket,
  fortioHistogramData,
  fortioPercentile,
  type FortioHistogramState,
  type FortioHistogramData,
  type FortioBucket,
  type FortioPercentile,
} from './fortio-histogram.js';
export { ThresholdRecorder, type ThresholdRecord, type ThresholdCellJSON } from './threshold-recorder.js';
export { ExportRecorders } from './export-recorders.js';
export {
  RecordBuffer,
  RECORD_BUFFER_CAPACITY,
  type RecordSink,
  type StartedRequestRecord,
  type RequestRecord,
  type CallRecord,
  type RecordedService,
  type RecordedProxy,
} from './record-buffer.js';
export { estimateTelemetrySeries, OUTCOMES_PER_PAIR } from './telemetry-series-estimate.js';
export {
  ServiceGraphRecorder,
  edgeKey,
  meanServiceGraph,
  type ServiceGraphEdge,
  type ServiceGraphSummary,
} from './service-graph.js';
