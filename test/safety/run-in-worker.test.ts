/**
 * `meshsim run` simulates in a worker thread (so running out of memory is a message, issue 11 point 6);
 * its summary must be the bytes of `runScenario` in this thread, rerun line included, with and without
 * --model and --seed, for a file with faults (paired baselines run as separate parts).
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/experiment/index.js';
import { summaryJson } from '../../src/report/index.js';
import { loadScenarioFile } from '../../src/scenario/index.js';
import { meshsimEnv } from './cli-spawn.js';

const FILE = 'test/fixtures/experiment/outage.yaml';

describe('run in a worker', { timeout: 120_000 }, () => {
  it.each([[[]], [['--model', 'primary-remote', '--seed', '7']]] as string[][][])(
    "meshsim run %j --json gives runScenario's bytes",
    async (flags) => {
      const loaded = await loadScenarioFile(FILE);
      if (!loaded.ok) throw new Error('fixture did not load');
      const model = flags[1];
      const seed = flags[3] === undefined ? undefined : Number(flags[3]);
      const here = summaryJson(
        runScenario(loaded.scenario, {
          ...(model === undefined ? {} : { model }),
          ...(seed === undefined ? {} : { seed }),
        }),
      );
      const r = await meshsimEnv(['run', FILE, ...flags, '--json']);
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe(here);
    },
  );
});
