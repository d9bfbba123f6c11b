export { runScenario, simulate, rerunCommand, UnknownModelError, DRAIN_MS, type RunOptions } from './run.js';
export { MESHSIM_VERSION } from './version.js';
export {
  runModelsWithRecordsParallel,
  runScenarioParallel,
  runScenarioWithRecordsParallel,
} from './run-parallel.js';
export type * from './comparison.js';
export { Criterion } from './comparison.js';
export {
  compare,
  compareRerunCommand,
  type CompareOptions,
  type CompareOutcome,
  type CompareProblem,
} from './compare.js';
export { isCriterion } from './comparison.js';
export {
  replicate,
  replicatePoints,
  replicationSeeds,
  replicationJobs,
  planJobs,
  RunAssembler,
  type ReplicationPlan,
  type Replications,
  type ReplicateOptions,
} from './replicate.js';
export { runJobs, type ReplicationJob, type JobRunOptions } from './job-runner.js';
export {
  ReplicationFailedError,
  WorkerPoolError,
  liveWorkers,
  prestartWorkers,
  replicationWorkerScript,
  stopWorkers,
  type JobTiming,
} from './replication-pool.js';
export { estimate, pairedDifference, type PairedDifference } from './estimate.js';
export {
  COMPARISON_METRICS,
  metricContext,
  metricByName,
  type ComparisonMetric,
  type MetricContext,
  type ModelRuns,
} from './comparison-metric.js';
export { MODEL_FIGURES, type FigureUnit, type ModelFigure } from './model-figures.js';
export { verdict, judgeCriterion, CRITERION_METRIC, type Judgement } from './verdict.js';
export { checkRunSlo, checkComparisonSlo, type SloCheck, type SloMiss } from './slo-check.js';
export {
  runScenarioWithTelemetry,
  runScenarioWithRecords,
  type RunWithTelemetry,
  type RunWithRecords,
} from './run-telemetry.js';
export {
  evaluateThresholds,
  thresholdsMissed,
  type ThresholdOutcome,
  type ThresholdResult,
} from './thresholds.js';
export { compareExperiment, comparePlan, comparisonOf, type ComparePlan } from './compare.js';
export {
  runExperimentJobs,
  assembleExperiment,
  replicationExperiment,
  type Experiment,
  type JobResult,
} from './experiment.js';
export {
  parseShard,
  shardFromEnvironment,
  resolveShard,
  shardJobIds,
  shardLabel,
  MAX_SHARDS,
  type Shard,
} from './shard.js';
export {
  PARTS_FORMAT,
  PARTS_VERSION,
  PARTS_FILE_SUFFIX,
  encodePartsFile,
  decodePartsFile,
  partsFileName,
  partsPlanDigest,
  PartsFormatError,
  type PartsFile,
  type PartsHeader,
  type ExperimentKind,
} from './parts-file.js';
export { encodePartValue, decodePartValue } from './parts-codec.js';
export { writeShardParts, readParts, checkParts, PartsProblem, type LoadedPart } from './parts-folder.js';
export { mergeParts, type Merged } from './merge.js';
export {
  parseSet,
  parsePath,
  setAt,
  sweepPoints,
  sweepValue,
  SweepPathError,
  MAX_SWEEP_POINTS,
  type SweepSet,
  type PathStep,
} from './sweep-grid.js';
export {
  loadSweepScenarios,
  sweepExperiment,
  sweepRerunCommand,
  type SweepOptions,
  type SweepResult,
  type SweepPointResult,
  type SweepAxis,
  sweepAxis,
} from './sweep.js';
export {
  capacityExperiment,
  capacityRerunCommand,
  CapacityProblem,
  type CapacityOptions,
  type CapacityResult,
  type CapacityModelResult,
} from './capacity.js';
export {
  judgeStep,
  sloObjectives,
  tCdf,
  type CapacityStep,
  type ObjectiveCheck,
  type SloObjective,
} from './capacity-step.js';
export { shellQuote } from './shell-quote.js';
export { runScenarioInWorker } from './run-in-worker.js';
export { WorkerOutOfMemoryError } from './replication-pool.js';
export {
  DEFAULT_MATERIAL,
  materialThresholds,
  isMaterial,
  thresholdText,
  type MaterialThresholds,
} from './material.js';
export { TIE } from './verdict.js';
export { controlPlaneFaults } from './comparison-metric.js';
