/**
 * `meshsim run` with `thresholds:`: k6's ✓/✗ block, k6-summary.json in the report folder, and
 * `--check-slo` exiting 3 naming each missed expression (exit 0 without the flag: thresholds report, the
 * flag gates).
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { meshsim, readTree, scratch } from './spawn-meshsim.js';

const FIXTURE = 'test/fixtures/thresholds/gate.yaml';
const tmp = scratch('cli-run-thresholds');
afterAll(tmp.cleanup);

describe.concurrent('meshsim run thresholds', { timeout: 120_000 }, () => {
  it('meshsim run gate.yaml --check-slo prints ✓/✗ per expression, writes k6-summary.json, exits 3 naming the miss', async () => {
    const out = join(tmp.dir, 'gate');
    const r = await meshsim(['run', FIXTURE, '--check-slo', '--out', out]);
    expect(r.status).toBe(3);
    expect(r.stdout).toContain('█ THRESHOLDS');
    expect(r.stdout).toMatch(/✓ 'p\(95\)<250' p\(95\)=\d+\.\d\dms/);
    expect(r.stdout).toMatch(/✗ 'avg<5' avg=\d+\.\d\dms/);
    expect(r.stdout).toMatch(/✓ 'rate<0.01' rate=0.00%/);
    expect(r.stderr).toContain("missed: http_req_duration{service:server} 'avg<5'");
    const k6 = JSON.parse(readTree(out).get('k6-summary.json') ?? '{}') as {
      metrics: Record<string, { thresholds: Record<string, boolean>; count?: number }>;
    };
    // k6's export maps an expression to true when it FAILED.
    expect(k6.metrics['http_req_duration{service:server}']?.thresholds).toEqual({
      'p(95)<250': false,
      'avg<5': true,
    });
    expect(k6.metrics['http_reqs{traffic:load}']?.count).toBeGreaterThan(900);
  });

  it('meshsim run gate.yaml --json keeps stdout JSON and prints the thresholds on stderr; exit 0 without --check-slo', async () => {
    const r = await meshsim(['run', FIXTURE, '--json', '--out', join(tmp.dir, 'json')]);
    expect(r.status, r.stderr).toBe(0);
    expect(() => JSON.parse(r.stdout) as unknown).not.toThrow();
    expect(r.stderr).toContain("✗ 'avg<5'");
  });
});
