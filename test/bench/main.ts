/**
 * `npm run bench`: performance targets as ratios against baselines measured in this same run, so that the
 * numbers mean the same on a slower or busier machine. Not a test: it reports, and says PASS or MISS.
 */
import { mm1Bare } from './mm1-bare.js';
import { mm1Kernel } from './mm1-kernel.js';
import { fmtRate, medianTime } from './measure.js';

const CUSTOMERS = 1_000_000;
const REPEATS = 5;

function kernelBench(): boolean {
  const bare = medianTime(() => mm1Bare(CUSTOMERS), REPEATS);
  const kernel = medianTime(() => mm1Kernel(CUSTOMERS), REPEATS);
  const bareRate = bare.result.events / bare.seconds;
  const kernelRate = kernel.result.events / kernel.seconds;
  const ratio = kernelRate / bareRate;
  const pass = ratio >= 0.5;
  console.log(`M/M/1, lambda 0.9, mu 1, ${CUSTOMERS.toLocaleString('en')} customers, median of ${REPEATS}`);
  console.log(
    `  bare typed-array loop : ${fmtRate(bareRate)} events/s (mean sojourn ${bare.result.meanSojourn.toFixed(3)}, theory 10)`,
  );
  console.log(
    `  meshsim kernel        : ${fmtRate(kernelRate)} events/s (mean sojourn ${kernel.result.meanSojourn.toFixed(3)})`,
  );
  console.log(`  kernel / bare         : ${ratio.toFixed(2)}  (target >= 0.50) ${pass ? 'PASS' : 'MISS'}`);
  return pass;
}

const results = [kernelBench()];
process.exitCode = results.every(Boolean) ? 0 : 1;
