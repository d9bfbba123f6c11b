/**
 * Every scenario of the library runs under every one of its models, and its summary (what `run --json`
 * prints, paired fault baselines included) equals its golden file exactly:
 * test/scenarios/golden/<file>.<model>.json. Runs are in-process (`runScenario`), seeded by the file.
 *
 * The model is still being tuned, so goldens move: `npm run golden` (UPDATE_GOLDEN=1) rewrites them, and
 * the diff of the golden files is the review of what changed.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { format, resolveConfig } from 'prettier';
import { afterAll, describe, expect, it } from 'vitest';
import { runScenario } from '../../src/experiment/index.js';
import { loadScenarioText, type Scenario } from '../../src/scenario/index.js';
import { REPO_ROOT } from './schema-file.js';

const GOLDEN_DIR = `${REPO_ROOT}test/scenarios/golden`;
const UPDATE = process.env['UPDATE_GOLDEN'] === '1';
/**
 * Per model, per file: the library promises a few seconds; this is the hard ceiling a test enforces. It is
 * CPU time of this test process (vitest runs each test file in its own forked process), not wall time, so a
 * busy machine (other test files, other work on the two cores) cannot fail it: a lone quickstart run took
 * 7.7 s of wall time on a loaded machine and 3.7 s idle, for the same CPU time.
 */
const MAX_RUN_MS = 6000;

/** CPU milliseconds (user + system) this process has used. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const files = readdirSync(`${REPO_ROOT}scenarios`)
  .filter((f) => f.endsWith('.yaml'))
  .sort();
const timings: { run: string; ms: number }[] = [];

function load(file: string): Scenario {
  // Named relative to the repository, as users type it: the name is part of the summary's rerun command.
  const result = loadScenarioText(readFileSync(`${REPO_ROOT}scenarios/${file}`, 'utf8'), `scenarios/${file}`);
  if (!result.ok) throw new Error(result.issues.map((i) => i.message).join('\n'));
  return result.scenario;
}

/** The summary as JSON would carry it: undefined dropped, exactly what summary.json holds. */
function asJson(value: unknown): unknown {
  return JSON.parse(JSON.stringify(value)) as unknown;
}

async function writeGolden(path: string, value: unknown): Promise<void> {
  // Prettier-formatted, so `npm run lint` (prettier --check) accepts the golden files as they are written.
  const options = (await resolveConfig(path)) ?? {};
  writeFileSync(path, await format(JSON.stringify(value), { ...options, filepath: path }));
}

describe('scenarios/ (the library) against test/scenarios/golden', () => {
  if (UPDATE) mkdirSync(GOLDEN_DIR, { recursive: true });

  for (const file of files) {
    const name = file.replace(/\.yaml$/, '');
    describe(file, () => {
      it(`runScenario(${name}) under each model matches its golden summary`, async () => {
        const scenario = load(file);
        for (const model of scenario.models) {
          const start = cpuMs();
          const summary = asJson(runScenario(scenario, { model: model.name }));
          const ms = cpuMs() - start;
          timings.push({ run: `${name} ${model.name}`, ms });
          const path = `${GOLDEN_DIR}/${name}.${model.name}.json`;
          if (UPDATE) await writeGolden(path, summary);
          expect(existsSync(path), `${path} is missing: run npm run golden`).toBe(true);
          const golden = JSON.parse(readFileSync(path, 'utf8')) as unknown;
          expect(summary, `${name} under ${model.name} differs from ${path}`).toEqual(golden);
          expect(ms, `${name} under ${model.name} took ${ms.toFixed(0)} ms of CPU`).toBeLessThan(MAX_RUN_MS);
        }
      }, 120_000);
    });
  }

  it('every golden file belongs to a scenario and one of its models (none left behind)', () => {
    const expected = new Set<string>();
    for (const file of files) {
      const scenario = load(file);
      for (const m of scenario.models) expected.add(`${file.replace(/\.yaml$/, '')}.${m.name}.json`);
    }
    const present = existsSync(GOLDEN_DIR) ? readdirSync(GOLDEN_DIR) : [];
    expect(present.sort()).toEqual([...expected].sort());
  });

  afterAll(() => {
    if (timings.length === 0) return;
    const total = timings.reduce((s, t) => s + t.ms, 0);
    const slowest = [...timings].sort((a, b) => b.ms - a.ms)[0];
    process.stdout.write(
      `scenario library: ${timings.length} runs in ${(total / 1000).toFixed(1)} s, slowest ${slowest?.run} ${(
        (slowest?.ms ?? 0) / 1000
      ).toFixed(1)} s\n`,
    );
  });
});
