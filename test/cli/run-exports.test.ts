/**
 * `meshsim run --openmetrics --fortio`: the export files land in the report folder with the rest, the base
 * time is the one given, and a base time without an export is refused rather than ignored.
 */
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { expectsNoTrace, meshsim, readTree, scratch } from './spawn-meshsim.js';

const FIXTURE = 'test/fixtures/telemetry/shop.yaml';
const tmp = scratch('cli-run-exports');
afterAll(tmp.cleanup);

describe.concurrent('meshsim run exports', { timeout: 120_000 }, () => {
  it('meshsim run shop.yaml --openmetrics --fortio --metrics-base-time 2030-06-01T12:00:00Z writes openmetrics.txt, metrics.prom, fortio/web.json', async () => {
    const out = join(tmp.dir, 'both');
    const r = await meshsim([
      'run',
      FIXTURE,
      '--openmetrics',
      '--fortio',
      '--metrics-base-time',
      '2030-06-01T12:00:00Z',
      '--out',
      out,
    ]);
    expect(r.status, r.stderr).toBe(0);
    const files = readTree(out);
    expect([...files.keys()]).toEqual(
      expect.arrayContaining(['summary.json', 'openmetrics.txt', 'metrics.prom', 'fortio/web.json']),
    );
    const om = files.get('openmetrics.txt') ?? '';
    // The first sample is at the end of warm-up (10 s) after the base time.
    const first = om.split('\n').find((l) => l.startsWith('istio_requests_total{'));
    expect(first?.split(' ').at(-1)).toBe(String(Date.UTC(2030, 5, 1, 12, 0, 10) / 1000) + '.000');
    expect(om.endsWith('# EOF\n')).toBe(true);
    const fortio = JSON.parse(files.get('fortio/web.json') ?? '{}') as { StartTime: string };
    expect(fortio.StartTime).toBe('2030-06-01T12:00:10Z');
  });

  it('each export alone: --openmetrics writes no fortio/, --fortio no metrics, each file the bytes of the run with both', async () => {
    // Each flag records only what its files need (RunOptions.telemetry, .fortio): what one leaves out must
    // not change what the other writes, nor the report.
    const run = async (name: string, flags: string[]) => {
      const out = join(tmp.dir, name);
      const r = await meshsim(['run', FIXTURE, ...flags, '--out', out]);
      expect(r.status, r.stderr).toBe(0);
      return readTree(out);
    };
    const [both, om, fortio] = await Promise.all([
      run('both-again', ['--openmetrics', '--fortio']),
      run('openmetrics-only', ['--openmetrics']),
      run('fortio-only', ['--fortio']),
    ]);
    const exported = (n: string) =>
      n.startsWith('fortio/') || n.endsWith('metrics.txt') || n.endsWith('.prom');
    expect([...om.keys()].filter(exported).sort()).toEqual(['metrics.prom', 'openmetrics.txt']);
    expect([...fortio.keys()].filter(exported)).toEqual(['fortio/web.json']);
    for (const [name, content] of [...om, ...fortio]) {
      if (exported(name) || name === 'summary.json') expect(content, name).toBe(both.get(name));
    }
  });

  it('meshsim run without --openmetrics or --fortio writes neither', async () => {
    const out = join(tmp.dir, 'none');
    const r = await meshsim(['run', FIXTURE, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    const names = [...readTree(out).keys()];
    expect(names.filter((n) => n.startsWith('fortio/') || n.includes('metrics'))).toEqual([]);
  });

  it('meshsim run --metrics-base-time without an export, or not in ISO UTC, exits 2 saying why', async () => {
    const [alone, bad] = await Promise.all([
      meshsim(['run', FIXTURE, '--metrics-base-time', '2030-06-01T12:00:00Z', '--out', join(tmp.dir, 'x')]),
      meshsim([
        'run',
        FIXTURE,
        '--openmetrics',
        '--metrics-base-time',
        'yesterday',
        '--out',
        join(tmp.dir, 'y'),
      ]),
    ]);
    expect(alone.status).toBe(2);
    expect(alone.stderr).toContain(
      '--metrics-base-time: sets the time of the exports; add --openmetrics or --fortio',
    );
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--metrics-base-time: expected an ISO 8601 UTC time');
    expect(expectsNoTrace(alone)).toBeUndefined();
    expect(expectsNoTrace(bad)).toBeUndefined();
  });
});
