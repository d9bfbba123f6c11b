/**
 * A paired baseline shares every random stream with the run it is paired with: the same arrivals, from
 * the same clients, in every window; only what the fault changed differs.
 */
import { describe, expect, it } from 'vitest';
import { simulate } from '../../src/experiment/index.js';
import { loadScenarioFile, type Scenario } from '../../src/scenario/index.js';
import { REPO_ROOT } from '../helpers/cli.js';

async function load(name: string): Promise<Scenario> {
  const r = await loadScenarioFile(`${REPO_ROOT}test/fixtures/blast-radius/${name}`);
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  return r.scenario;
}

describe('e2e/paired-baseline', () => {
  it('simulate(without fault i) starts the same requests, per (client cluster, traffic source) and window', async () => {
    const scenario = await load('primary-outage-churn.yaml');
    const model = scenario.models[0];
    if (model === undefined) throw new Error('no model');
    const faulted = simulate(scenario, model, 9, () => true);
    const baseline = simulate(scenario, model, 9, (i) => i !== 0);
    const f = faulted.unitWindows.requests;
    const b = baseline.unitWindows.requests;
    expect(Array.from(b.started)).toEqual(Array.from(f.started));
    expect(f.started.reduce((x, y) => x + y, 0)).toBeGreaterThan(40_000);
    // ...while the fault did change outcomes.
    expect(Array.from(b.failed)).not.toEqual(Array.from(f.failed));
  });

  it('simulate(...) of the same seed twice gives identical cells; before the fault, the baseline’s are identical too', async () => {
    const scenario = await load('own-clients.yaml');
    const model = scenario.models[0];
    if (model === undefined) throw new Error('no model');
    const a = simulate(scenario, model, 4, () => true).unitWindows.requests;
    const again = simulate(scenario, model, 4, () => true).unitWindows.requests;
    const baseline = simulate(scenario, model, 4, () => false).unitWindows.requests;
    expect(Array.from(again.completed)).toEqual(Array.from(a.completed));
    expect(Array.from(again.failed)).toEqual(Array.from(a.failed));
    // The fault starts at 25 s: windows 0 to 2 (10 s to 25 s) hold the same outcomes in both runs.
    for (let u = 0; u < a.units; u++) {
      for (let w = 0; w < 3; w++) {
        const c = a.cell(u, w);
        expect([u, w, baseline.completed[c], baseline.failed[c]]).toEqual([
          u,
          w,
          a.completed[c],
          a.failed[c],
        ]);
        expect(baseline.histogram(u, w)?.toJSON()).toEqual(a.histogram(u, w)?.toJSON());
      }
    }
  });
});
