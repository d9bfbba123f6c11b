/**
 * `meshsim calibrate`: a scenario's traffic and services from Istio telemetry (Prometheus, its saved
 * answers, or a Kiali graph). Knows nothing of the simulator: it reads telemetry and writes scenario text.
 */
export { fitLatency, type BucketCounts, type LatencyFit, type DistributionText } from './fit.js';
export {
  CalibrationInputError,
  type EdgeSample,
  type Observations,
  type ReplicaSample,
  type WorkloadRef,
} from './observations.js';
export {
  calibrationQueries,
  observationsFromSaved,
  queryPrometheus,
  savedQueriesText,
  type SavedQueries,
} from './prometheus-source.js';
export { observationsFromKiali } from './kiali-source.js';
export { inferCalibration, type BaseShape, type Calibration } from './infer.js';
export { baseShape } from './base-shape.js';
export { buildScenarioText, updateScenarioText, type CalibratedText } from './write-scenario.js';
