export { runScenario, simulate, rerunCommand, UnknownModelError, DRAIN_MS, type RunOptions } from './run.js';
export { MESHSIM_VERSION } from './version.js';
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
  replicationSeeds,
  replicationJobs,
  type ReplicationPlan,
  type Replications,
  type ReplicationJob,
  type ReplicateOptions,
} from './replicate.js';
export { ReplicationFailedError, WorkerPoolError, replicationWorkerScript } from './replication-pool.js';
export { estimate, pairedDifference, type PairedDifference } from './estimate.js';
export { modelWiring, type ModelWiring } from './model-wiring.js';
export {
  COMPARISON_METRICS,
  metricContext,
  metricByName,
  type ComparisonMetric,
  type MetricContext,
  type ModelRuns,
} from './comparison-metric.js';
export { verdict, judgeCriterion, CRITERION_METRIC, type Judgement } from './verdict.js';
export { checkRunSlo, checkComparisonSlo, type SloCheck, type SloMiss } from './slo-check.js';
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
