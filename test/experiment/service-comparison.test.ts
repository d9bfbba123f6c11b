/**
 * `compare` breaks figures down per service and per service version, as `run` does (issue 13, point 5):
 * the 50/50 VirtualService split of reviews between v1 (2 ms) and v2 (20 ms, 10% errors) appears per model
 * as means over replications, in the comparison JSON and its services.csv.
 */
import { describe, expect, it } from 'vitest';
import { compare } from '../../src/experiment/index.js';
import { comparisonCsvFiles, comparisonMarkdown, comparisonText } from '../../src/report/index.js';
import { loadScenarioText } from '../../src/scenario/index.js';
import { reviewsUnversioned, reviewsVersions } from '../helpers/reviews-versions.js';

const SCENARIO = reviewsVersions('5s');

async function compared(text: string) {
  const r = loadScenarioText(text, 'v.yaml');
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  const out = await compare(r.scenario, { replications: 3, seed: 7 });
  if (!out.ok) throw new Error(JSON.stringify(out.problem));
  return out.result;
}

describe('per-service and per-version figures in a comparison', () => {
  it('each model has byService and byServiceVersion means; the version calls add up to the service', async () => {
    const result = await compared(SCENARIO);
    expect(result.models.length).toBeGreaterThan(0);
    for (const m of result.models) {
      const reviews = m.byService?.find((b) => b.service === 'reviews');
      const versions = m.byServiceVersion ?? [];
      expect(versions.map((v) => [v.service, v.version])).toEqual([
        ['reviews', 'v1'],
        ['reviews', 'v2'],
      ]);
      const [v1, v2] = versions as [(typeof versions)[number], (typeof versions)[number]];
      // Every call reaches a pod here, so per replication v1 + v2 = reviews; the means (3 decimals) too.
      expect((v1.requests?.mean ?? 0) + (v2.requests?.mean ?? 0)).toBeCloseTo(
        reviews?.requests?.mean ?? -1,
        2,
      );
      expect(v1.requests?.n).toBe(3);
      expect(v1.availability?.mean).toBe(1);
      // v2's 10% errors: its mean availability well below 1 and its interval around 0.9 (about 500 calls a run).
      expect(v2.availability?.mean ?? 1).toBeLessThan(0.95);
      expect(v2.availability?.mean ?? 0).toBeGreaterThan(0.85);
      expect(v2.latencyMs.p50?.mean ?? 0).toBeGreaterThan(20);
      expect(v1.latencyMs.p99?.mean ?? Infinity).toBeLessThan(10);
    }
    const csv = String(
      (await comparisonCsvFiles(result)).find((f) => f.name === 'services.csv')?.content ?? '',
    );
    const [header, ...lines] = csv.trim().split('\n');
    expect(header).toBe(
      'model,service,service_kind,version,requests_mean,requests_mean_ci95_lo,requests_mean_ci95_hi,availability_ratio,' +
        'availability_ratio_ci95_lo,availability_ratio_ci95_hi,latency_p50_ms,latency_p50_ms_ci95_lo,' +
        'latency_p50_ms_ci95_hi,latency_p99_ms,latency_p99_ms_ci95_lo,latency_p99_ms_ci95_hi,replications_total',
    );
    const first = result.models[0];
    const v2 = first?.byServiceVersion?.[1];
    // The service's row (empty version) comes right before its versions.
    const at = lines.findIndex((l) => l.startsWith(`${first?.model},reviews,service,,`));
    expect(at).toBeGreaterThanOrEqual(0);
    expect(lines[at + 1]).toMatch(new RegExp(`^${first?.model},reviews,service,v1,`));
    expect(lines[at + 2]).toBe(
      [
        first?.model,
        'reviews',
        'service',
        'v2',
        v2?.requests?.mean,
        v2?.requests?.ci95[0],
        v2?.requests?.ci95[1],
        v2?.availability?.mean,
        v2?.availability?.ci95[0],
        v2?.availability?.ci95[1],
        v2?.latencyMs.p50?.mean,
        v2?.latencyMs.p50?.ci95[0],
        v2?.latencyMs.p50?.ci95[1],
        v2?.latencyMs.p99?.mean,
        v2?.latencyMs.p99?.ci95[0],
        v2?.latencyMs.p99?.ci95[1],
        3,
      ].join(','),
    );
    // The report's services table per model, versions indented under their service.
    const md = comparisonMarkdown(result);
    expect(md).toContain(`Services: ${first?.model}`);
    expect(md).toMatch(/\|\s+reviews v2 \| [\d,]+ \| \d+\.\d+%/);
  });

  it("compare's terminal text has the services table: each model's mean availability and p99 side by side, versions indented", async () => {
    const result = await compared(SCENARIO);
    const text = comparisonText(result, undefined);
    const lines = text.split('\n');
    const head = lines.findIndex((l) => l.startsWith('service  '));
    expect(head).toBeGreaterThan(0);
    const pct = (x: number | undefined) => `${((x ?? NaN) * 100).toFixed(3)}%`;
    expect(lines[head]?.split(/ {2,}/)).toEqual([
      'service',
      ...result.models.flatMap((m) => [`${m.model} availability`, `${m.model} p99 ms`]),
    ]);
    // front, reviews, then reviews' versions, each cell the JSON's mean as the report formats it.
    const body = lines.slice(head + 2, head + 6).map((l) => l.trim().split(/ {2,}/));
    expect(body.map((r) => r[0])).toEqual(['front', 'reviews', 'reviews v1', 'reviews v2']);
    const v2 = body[3] as string[];
    result.models.forEach((m, i) => {
      const f = m.byServiceVersion?.find((v) => v.version === 'v2');
      expect(v2[1 + 2 * i]).toBe(pct(f?.availability?.mean));
      expect(v2[2 + 2 * i]).toBe((f?.latencyMs.p99?.mean ?? NaN).toFixed(2));
    });
    expect(lines[head + 6]).toMatch(
      /^per service \(indented: per version of the serving pod\), mean over replications/,
    );
  });

  it('without versioned pods: byService only, and services.csv has no version column', async () => {
    const result = await compared(reviewsUnversioned('5s'));
    for (const m of result.models) {
      expect('byServiceVersion' in m).toBe(false);
      expect(m.byService?.map((b) => b.service)).toEqual(['front', 'reviews']);
    }
    const csv = String(
      (await comparisonCsvFiles(result)).find((f) => f.name === 'services.csv')?.content ?? '',
    );
    expect(csv.split('\n')[0]).toMatch(/^model,service,service_kind,requests_mean,/);
  });
});
