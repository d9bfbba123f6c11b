/**
 * Figures per service version: calls to reviews split by the serving pod's version label, the split a
 * VirtualService asks for (50/50 between subsets v1 and v2, each with its own service time), in the
 * summary JSON, the services table and services.csv.
 */
import { describe, expect, it } from 'vitest';
import { runScenario } from '../../src/experiment/index.js';
import { loadScenarioText } from '../../src/scenario/index.js';
import { reviewsUnversioned, reviewsVersions } from '../helpers/reviews-versions.js';
import { runCsvFiles, runText } from '../../src/report/index.js';

const SCENARIO = reviewsVersions('20s');

describe('per-version figures', () => {
  it('runScenario: byServiceVersion rows add up to the service row, each with its own latency and errors', async () => {
    const r = loadScenarioText(SCENARIO, 'v.yaml');
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
    const s = runScenario(r.scenario, { baselines: false });
    const rows = s.byServiceVersion ?? [];
    expect(rows.map((v) => [v.service, v.version])).toEqual([
      ['reviews', 'v1'],
      ['reviews', 'v2'],
    ]);
    const [v1, v2] = rows as [(typeof rows)[number], (typeof rows)[number]];
    const reviews = s.byService.find((b) => b.service === 'reviews');
    expect(v1.requests + v2.requests).toBe(reviews?.requests);
    // 50/50 within 5 binomial standard errors.
    const n = v1.requests + v2.requests;
    expect(Math.abs(v1.requests / n - 0.5)).toBeLessThan(5 * Math.sqrt(0.25 / n));
    expect(v1.availability).toBe(1);
    expect(Math.abs((v2.availability ?? 0) - 0.9)).toBeLessThan(5 * Math.sqrt(0.09 / v2.requests));
    // v2's own 20 ms service time against v1's 2 ms.
    expect(v2.latencyMs?.p50 ?? 0).toBeGreaterThan(20);
    expect(v1.latencyMs?.p99 ?? Infinity).toBeLessThan(10);
    const text = runText(s, undefined);
    expect(text).toMatch(/\n {2}reviews v1 +\d+/);
    expect(text).toMatch(/\n {2}reviews v2 +\d+/);
    const csv = String((await runCsvFiles(s)).find((f) => f.name === 'services.csv')?.content ?? '');
    expect(csv.split('\n')[0]).toMatch(/^service,service_kind,version,requests_total/);
    expect(csv).toMatch(/\nreviews,service,v2,\d+/);
  });

  it('a run without versioned pods has no breakdown (and its summary no new key)', () => {
    const r = loadScenarioText(reviewsUnversioned('20s'), 'v.yaml');
    if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
    const s = runScenario(r.scenario, { baselines: false });
    expect('byServiceVersion' in s).toBe(false);
  });
});
