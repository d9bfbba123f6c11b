/**
 * `meshsim calibrate` as a user runs it (the built CLI): --help with examples, a Kiali graph to a new
 * scenario that validates, and bad input — flags, files, an unreachable Prometheus, an existing --out —
 * exiting 2 with a located message, no trace, nothing written. The Prometheus path end to end is in
 * test/calibrate/prometheus-round-trip.test.ts.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadScenarioText } from '../../src/scenario/index.js';
import { expectsNoTrace, meshsim, scratch } from './spawn-meshsim.js';

const KIALI = 'test/fixtures/calibrate/kiali-bookinfo-graph.json';
const { dir, cleanup } = scratch('calibrate');
afterAll(cleanup);

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const a = s.address();
      const port = typeof a === 'object' && a !== null ? a.port : 1;
      s.close(() => resolve(port));
    });
  });
}

async function refused(args: string[], message: RegExp, out?: string): Promise<void> {
  const r = await meshsim(['calibrate', ...args]);
  expect(r.stderr).toMatch(message);
  expect(r.status, r.stderr).toBe(2);
  expect(expectsNoTrace(r)).toBeUndefined();
  if (out !== undefined) expect(existsSync(out)).toBe(false);
}

describe('meshsim calibrate', () => {
  it('--help lists the sources and shows examples', async () => {
    const r = await meshsim(['calibrate', '--help']);
    expect(r.status).toBe(0);
    for (const flag of [
      '--prometheus',
      '--start',
      '--end',
      '--from-json',
      '--kiali',
      '--scenario',
      '--save-queries',
      '--out',
    ])
      expect(r.stdout).toContain(flag);
    expect(r.stdout).toMatch(/Examples:[\s\S]*calibrate --prometheus http:\/\/127\.0\.0\.1:9090/);
    expect(r.stdout).toMatch(/maximum likelihood/);
  });

  it('a Kiali graph to a new scenario that validates; the file is never overwritten', async () => {
    const out = join(dir, 'bookinfo.yaml');
    const r = await meshsim(['calibrate', '--kiali', KIALI, '--out', out]);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(
      /bookinfo\.yaml: 3 services, traffic productpage-ingress 20\.00\/s, ratings-external 2\.00\/s/,
    );
    const text = readFileSync(out, 'utf8');
    const loaded = loadScenarioText(text, out);
    expect(loaded.ok ? [] : loaded.issues).toEqual([]);
    await refused(['--kiali', KIALI, '--out', out], /--out .*bookinfo\.yaml exists; nothing was written/);
    expect(readFileSync(out, 'utf8')).toBe(text);
  });

  it('bad flags: exit 2 naming what to give', async () => {
    const out = join(dir, 'x.yaml');
    await refused(['--out', out], /give one source: --prometheus URL/, out);
    await refused(['--kiali', KIALI, '--from-json', KIALI, '--out', out], /give one source/, out);
    await refused(['--kiali', KIALI], /--out FILE is required/);
    await refused(
      ['--prometheus', 'http://127.0.0.1:9', '--out', out],
      /--prometheus needs --start and --end/,
      out,
    );
    await refused(
      [
        '--prometheus',
        'http://127.0.0.1:9',
        '--start',
        'yesterday',
        '--end',
        '2026-01-01T00:00:00Z',
        '--out',
        out,
      ],
      /--start: expected an ISO 8601 UTC time/,
      out,
    );
    await refused(
      [
        '--prometheus',
        'http://127.0.0.1:9',
        '--start',
        '2026-01-01T01:00:00Z',
        '--end',
        '2026-01-01T00:00:00Z',
        '--out',
        out,
      ],
      /--end must be after --start/,
      out,
    );
    await refused(
      ['--kiali', KIALI, '--start', '2026-01-01T00:00:00Z', '--out', out],
      /go with --prometheus only/,
      out,
    );
    await refused(
      [
        '--prometheus',
        'ftp://x',
        '--start',
        '2026-01-01T00:00:00Z',
        '--end',
        '2026-01-01T01:00:00Z',
        '--out',
        out,
      ],
      /expected http/,
      out,
    );
  });

  it('an unreachable Prometheus, unreadable and malformed files: exit 2, located, nothing written', async () => {
    const out = join(dir, 'y.yaml');
    const port = await closedPort();
    await refused(
      [
        '--prometheus',
        `http://127.0.0.1:${port}`,
        '--start',
        '2026-01-01T00:00:00Z',
        '--end',
        '2026-01-01T01:00:00Z',
        '--out',
        out,
      ],
      new RegExp(`http://127\\.0\\.0\\.1:${port}/api/v1/query: cannot reach Prometheus`),
      out,
    );
    await refused(
      ['--from-json', join(dir, 'missing.json'), '--out', out],
      /--from-json .*missing\.json: cannot read \(ENOENT\)/,
      out,
    );
    const notJson = join(dir, 'not.json');
    writeFileSync(notJson, '{ nope');
    await refused(['--from-json', notJson, '--out', out], /not\.json: not JSON/, out);
    const wrong = join(dir, 'wrong.json');
    writeFileSync(
      wrong,
      JSON.stringify({
        meshsimCalibrate: 1,
        time: 1,
        rangeSeconds: 60,
        results: { requests: { status: 'success', data: { resultType: 'matrix', result: [] } } },
      }),
    );
    await refused(
      ['--from-json', wrong, '--out', out],
      /wrong\.json: results\.requests\.data: expected \{resultType: "vector"/,
      out,
    );
    await refused(
      ['--kiali', notJson.replace('not', 'missing'), '--out', out],
      /--kiali .*: cannot read/,
      out,
    );
    const empty = join(dir, 'empty.json');
    writeFileSync(
      empty,
      JSON.stringify({
        meshsimCalibrate: 1,
        time: 1,
        rangeSeconds: 60,
        results: {
          requests: { status: 'success', data: { resultType: 'vector', result: [] } },
          durationSum: { status: 'success', data: { resultType: 'vector', result: [] } },
          durationBuckets: { status: 'success', data: { resultType: 'vector', result: [] } },
        },
      }),
    );
    await refused(['--from-json', empty, '--out', out], /no istio_requests_total increase in the range/, out);
    const badBase = join(dir, 'bad-base.yaml');
    writeFileSync(badBase, 'name: x\nduration: soon\n');
    await refused(
      ['--kiali', KIALI, '--scenario', badBase, '--out', out],
      /bad-base\.yaml:2:11.*duration/,
      out,
    );
  });
});
