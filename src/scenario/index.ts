export { loadScenarioFile, loadScenarioText, type LoadResult } from './load.js';
export { type Scenario, type Slo, Defaults } from './scenario.js';
export { type ScenarioIssue, type IssueCode, formatIssue, formatPath } from './issue.js';
export { ScenarioInputSchema, type ScenarioInput } from './schema.js';
export { parseDuration, parseRate, parseFraction, formatDuration } from './units.js';
export { suggest, editDistance } from './suggest.js';
export { buildMesh, pickModel } from './build.js';
export { faultTarget } from './normalize-faults.js';
