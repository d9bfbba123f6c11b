export {
  loadScenarioFile,
  loadScenarioText,
  type LoadResult,
  type LoadOptions,
  MAX_FILE_BYTES,
  MAX_ISSUES,
} from './load.js';
export {
  type Scenario,
  type Slo,
  type CostSettings,
  type BlastRadiusSettings,
  Defaults,
} from './scenario.js';
export {
  type ScenarioIssue,
  type IssueCode,
  type IssueSeverity,
  isIssueCode,
  formatIssue,
  formatPath,
} from './issue.js';
export { ScenarioInputSchema, type ScenarioInput } from './schema.js';
export { scenarioJsonSchema, scenarioJsonSchemaText, SCHEMA_FILE } from './json-schema.js';
export { estimateRequests, requestLimitExceeded, type RequestEstimate, MAX_PODS } from './check-size.js';
export { simulationHeapBytes, memoryLimitExceeded, type MemoryLimits } from './check-memory.js';
export { parseDuration, parseRate, parseFraction, formatDuration } from './units.js';
export { suggest, editDistance } from './suggest.js';
export { buildMesh, pickModel } from './build.js';
export {
  THRESHOLD_METRICS,
  THRESHOLD_TAGS,
  aggregationKey,
  compareThreshold,
  parseThresholdExpression,
  parseThresholdKey,
  type Threshold,
  type ThresholdExpression,
  type ThresholdMetricType,
  type ThresholdTag,
} from './thresholds.js';
export { importKubernetes, type KubernetesImport, type ClusterManifests } from './import/kubernetes.js';
export { readManifestFiles } from './istio/include.js';
export { DEFAULT_NAMESPACE } from './istio/host-resolver.js';
export { importIsotope } from './import/isotope.js';
