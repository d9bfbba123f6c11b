/**
 * `meshsim compare` with `--openmetrics` and with `thresholds:`: every model's replication 0 in one
 * OpenMetrics text labelled `meshsim_model` (the same run, byte for byte, as `meshsim run --model M` exports,
 * once the label is taken off), Prometheus's own tools accept it, and k6's thresholds evaluated per model
 * with `--check-slo` exiting 3 naming the model and the expression.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectsNoTrace, meshsim, readTree, scratch } from './spawn-meshsim.js';
import { promtool, requirePrometheus } from '../helpers/prometheus.js';

const SHOP = 'test/fixtures/telemetry/shop.yaml';
const GATE = 'test/fixtures/thresholds/gate.yaml';
const tmp = scratch('cli-compare-exports');
afterAll(tmp.cleanup);

describe.concurrent('meshsim compare exports and thresholds', { timeout: 300_000 }, () => {
  it('--openmetrics: one text, every model labelled; each model’s series are its replication 0, as run exports it', async () => {
    requirePrometheus();
    const out = join(tmp.dir, 'shop');
    const r = await meshsim(['compare', SHOP, '--replications', '2', '--openmetrics', '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const files = readTree(out);
    const text = files.get('openmetrics.txt') ?? '';
    const models = [...new Set([...text.matchAll(/meshsim_model="([^"]+)"/g)].map((m) => m[1]))];
    expect(models.length).toBeGreaterThan(1);
    // One HELP per family, whatever the number of models (OpenMetrics wants a family's samples together).
    expect(text.match(/^# HELP istio_requests /gm)).toHaveLength(1);
    expect(text.endsWith('# EOF\n')).toBe(true);
    const blocks = promtool([
      'tsdb',
      'create-blocks-from',
      'openmetrics',
      join(out, 'openmetrics.txt'),
      join(tmp.dir, 'tsdb'),
    ]);
    expect(blocks.stderr).toBe('');
    expect(blocks.code).toBe(0);
    const lint = promtool(['check', 'metrics'], files.get('metrics.prom') ?? '');
    // Istio's own names: a histogram in ms, and istiod's sums without _total (as its /metrics has them).
    expect(`${lint.stdout}${lint.stderr}`.trim()).toBe(
      [
        'istio_request_duration_milliseconds use base unit "seconds" instead of "milliseconds"',
        'pilot_xds_pushes counter metrics should have "_total" suffix',
      ].join('\n'),
    );
    const model = models[0] as string;
    const single = join(tmp.dir, `run-${model}`);
    const run = await meshsim(['run', SHOP, '--model', model, '--openmetrics', '--out', single]);
    expect(run.status, run.stderr).toBe(0);
    const own = (readTree(single).get('openmetrics.txt') ?? '').split('\n').filter((l) => !l.startsWith('#'));
    const fromCompare = text
      .split('\n')
      .filter((l) => l.includes(`meshsim_model="${model}"`))
      .map((l) =>
        l
          .replace(`,meshsim_model="${model}"`, '')
          .replace(`{meshsim_model="${model}"}`, '')
          .replace(`meshsim_model="${model}",`, ''),
      );
    expect(fromCompare).toEqual(own.filter((l) => l !== ''));
  });

  it('thresholds: evaluated per model; --check-slo exits 3 naming the model and the expression; k6/<model>.json', async () => {
    const out = join(tmp.dir, 'gate');
    const r = await meshsim(['compare', GATE, '--replications', '2', '--check-slo', '--out', out]);
    expect(r.status, r.stderr).toBe(3);
    const models = [...r.stdout.matchAll(/^ {2}(\S+) \(replication 0, seed 1\)$/gm)].map(
      (m) => m[1] as string,
    );
    expect(models.length).toBeGreaterThan(0);
    expect(r.stdout.match(/█ THRESHOLDS/g)).toHaveLength(models.length);
    expect(r.stdout).toMatch(/✗ 'avg<5' avg=\d+\.\d\dms/);
    for (const m of models) {
      expect(r.stderr).toContain(`missed: ${m}: http_req_duration{service:server} 'avg<5'`);
      const k6 = JSON.parse(readTree(out).get(`k6/${m}.json`) ?? '{}') as {
        metrics: Record<string, { thresholds: Record<string, boolean> }>;
      };
      expect(k6.metrics['http_req_duration{service:server}']?.thresholds).toEqual({
        'p(95)<250': false,
        'avg<5': true,
      });
    }
  });

  it('refuses an export with nowhere to go and a base time without an export (exit 2)', async () => {
    for (const [args, message] of [
      [
        ['compare', SHOP, '--openmetrics', '--json'],
        /--openmetrics writes openmetrics.txt into the report folder/,
      ],
      [
        ['compare', SHOP, '--metrics-base-time', '2026-01-01T00:00:00Z', '--json'],
        /--metrics-base-time: sets the time/,
      ],
      [['run', SHOP, '--openmetrics', '--json'], /--openmetrics writes into the report folder/],
    ] as const) {
      const r = await meshsim(args);
      expect(r.stderr).toMatch(message);
      expect(r.status).toBe(2);
      expect(expectsNoTrace(r)).toBeUndefined();
    }
  });
});

// Not in the concurrent block above: two more processes at once pushed it past the 60 s spawn limit at load 25.
describe('meshsim compare exports on the pool', { timeout: 300_000 }, () => {
  it("--openmetrics and thresholds: the same bytes on 1 and 2 workers (each model's extras run on the pool)", async () => {
    // shop (several models, a fault) with thresholds: openmetrics.txt, metrics.prom and k6/<model>.json.
    const file = join(tmp.dir, 'shop-thresholds.yaml');
    writeFileSync(
      file,
      `${readFileSync(SHOP, 'utf8')}thresholds:\n  http_req_failed: ['rate<0.5']\n  http_req_duration: ['p(95)<250']\n`,
    );
    const trees = await Promise.all(
      ['1', '2'].map(async (workers) => {
        const out = join(tmp.dir, `shop-workers-${workers}`);
        const r = await meshsim([
          'compare',
          file,
          '--replications',
          '2',
          '--openmetrics',
          '--out',
          out,
          '--workers',
          workers,
        ]);
        expect(r.status, r.stderr).toBe(0);
        return readTree(out);
      }),
    );
    const [one, two] = trees as [Map<string, string>, Map<string, string>];
    expect([...one.keys()].filter((k) => k.startsWith('k6/')).length).toBeGreaterThan(1);
    expect(one.get('openmetrics.txt')).toMatch(/meshsim_model=/);
    expect(two).toEqual(one);
  });
});
