/**
 * The memory guard (issue 11, point 6: "the number of workers running at once"): before simulating, `run`,
 * `compare` and `sweep` refuse a simulation whose estimated peak heap exceeds a thread's heap limit, or
 * whose workers at once (the smaller of --workers and the jobs) exceed the machine's memory, naming the
 * estimate, the workers and the ways out. Expected numbers come from the fixtures' closed forms (requests
 * waiting = (offered - capacity) x duration) and the constants' measured fit, not from output.
 */
import { totalmem } from 'node:os';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/index.js';
import {
  HEAP_BASE_BYTES,
  HEAP_BYTES_PER_CONNECTION,
  HEAP_BYTES_PER_POD,
  HEAP_BYTES_PER_PROXY_SERVICE,
  HEAP_BYTES_PER_VIEW_HOST,
  HEAP_BYTES_PER_WAITING_REQUEST,
  estimateWork,
} from '../../src/scenario/work-estimate.js';
import { meshsimEnv, traceless } from './cli-spawn.js';

const mb = (bytes: number) => `${Math.ceil(bytes / 2 ** 20).toLocaleString('en-US')} MB`;

/** One checkout pod offered 1,100/s against 100/s for `seconds`: 1,000 x seconds requests waiting. */
async function perSimulation(file: string, seconds: number): Promise<number> {
  const r = await loadScenarioFile(file, { allowLarge: true });
  if (!r.ok) throw new Error(`${file} did not load`);
  const arrivals = 1100 * seconds;
  const w = estimateWork(r.scenario, [arrivals]);
  const gateways = w.proxies - 1;
  expect(w.sharedViewHosts).toBe(1 + (gateways > 0 ? 1 : 0));
  expect(w.proxyServicePairs).toBe(gateways);
  expect(w.connections).toBe(gateways);
  expect(w.services[0]?.peakQueued).toBeCloseTo(1000 * seconds, 0);
  expect(w.peakHeapBytes).toBeCloseTo(
    HEAP_BASE_BYTES +
      HEAP_BYTES_PER_POD +
      HEAP_BYTES_PER_VIEW_HOST * w.sharedViewHosts +
      HEAP_BYTES_PER_PROXY_SERVICE * gateways +
      HEAP_BYTES_PER_CONNECTION * gateways +
      HEAP_BYTES_PER_WAITING_REQUEST * 1000 * seconds,
    -3,
  );
  return w.peakHeapBytes;
}

describe('the memory guard', { timeout: 120_000 }, () => {
  it('deep-queue.yaml (150,000 waiting, ~108 MB) is refused under a 32 MB old space (80 MB heap limit)', async () => {
    const bytes = await perSimulation('test/fixtures/size/deep-queue.yaml', 150);
    const env = { NODE_OPTIONS: '--max-old-space-size=32', MESHSIM_TEST_STOP_AT: 'simulate' };
    for (const args of [
      ['run', 'test/fixtures/size/deep-queue.yaml', '--json'],
      ['compare', 'test/fixtures/size/deep-queue.yaml', '--workers', '2', '--json'],
    ]) {
      const r = await meshsimEnv(args, { env });
      expect(r.signal, r.stderr).toBeNull();
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toContain(`one simulation needs about ${mb(bytes)} of heap`);
      // The terms are the estimate's own constants (the message once hard-coded 3.2 KB per pod and 200 B per
      // proxy-service pair after they had become 1,200 B and 1,100 B).
      expect(r.stderr).toContain(`${(HEAP_BYTES_PER_POD / 1000).toFixed(1)} KB per pod`);
      expect(r.stderr).toContain(
        `${(HEAP_BYTES_PER_PROXY_SERVICE / 1000).toFixed(1)} KB per proxy-service pair`,
      );
      expect(r.stderr).toContain(`${HEAP_BYTES_PER_VIEW_HOST} B per shared upstream view host`);
      // V8's heap limit is the old space plus the young generation (3 x 16 MB semi-spaces): 32 + 48.
      expect(r.stderr).toContain("more than a thread's heap limit of 80 MB");
      expect(r.stderr).toContain(`${args[0] === 'run' ? '1 worker' : '2 workers'} at once`);
      expect(r.stderr).toContain(`--max-old-space-size=${Math.ceil((bytes * 1.25) / 2 ** 20)}`);
      expect(r.stderr).toContain('--allow-large');
      expect(traceless(r.stderr)).toBe(true);
      expect(r.stdout).toBe('');
    }
  });

  it('huge-queue.yaml (~0.6 GB each): more workers at once than the machine holds is refused, naming the --workers that fits', async () => {
    const bytes = await perSimulation('test/fixtures/size/huge-queue.yaml', 900);
    const fits = Math.floor(totalmem() / bytes);
    const workers = fits + 2;
    const r = await meshsimEnv(
      [
        'compare',
        'test/fixtures/size/huge-queue.yaml',
        '--workers',
        String(workers),
        '--replications',
        String(workers),
        '--json',
      ],
      { env: { NODE_OPTIONS: '--max-old-space-size=4096', MESHSIM_TEST_STOP_AT: 'simulate' } },
    );
    expect(r.signal, r.stderr).toBeNull();
    expect(r.status, r.stderr).toBe(2);
    expect(r.stderr).toContain(
      `${workers} workers at once need about ${mb(workers * bytes)}, more than this machine's ${mb(totalmem())}`,
    );
    expect(r.stderr).toContain(`--workers ${fits}`);
    expect(r.stderr).toContain('--allow-large');
    // The workers at once are the smaller of --workers and the jobs: `run` without faults is one job.
    const one = await meshsimEnv(
      ['run', 'test/fixtures/size/huge-queue.yaml', '--workers', String(workers), '--json'],
      { env: { NODE_OPTIONS: '--max-old-space-size=4096', MESHSIM_TEST_STOP_AT: 'simulate' } },
    );
    expect(one.signal, one.stderr).toBe('SIGKILL');
  });

  it('a library scenario passes the guard and reaches the simulation (twenty-clusters, run and compare)', async () => {
    for (const args of [
      ['run', 'scenarios/twenty-clusters.yaml', '--json'],
      ['compare', 'scenarios/twenty-clusters.yaml', '--json'],
    ]) {
      const r = await meshsimEnv(args, { env: { MESHSIM_TEST_STOP_AT: 'simulate' } });
      expect(r.signal, r.stderr).toBe('SIGKILL');
    }
  });
});
