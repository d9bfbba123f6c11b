export { runScenario, simulate, rerunCommand, UnknownModelError, DRAIN_MS, type RunOptions } from './run.js';
export { MESHSIM_VERSION } from './version.js';
export type * from './comparison.js';
export { Criterion } from './comparison.js';
