/**
 * Honest work estimates (issue 11, point 6): the size guard counts the calls a request makes through the
 * call graph (parallel groups, probabilities, worst-case retries), names an overloaded service with its
 * offered load and capacity, counts one run for `run`, and a worker that still runs out of memory ends with
 * a message naming the model, the seed and the ways out, never a V8 crash dump. Expected numbers come from
 * closed forms of the fixtures, not from the code's output.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioFile } from '../../src/scenario/index.js';
import { estimateWork } from '../../src/scenario/work-estimate.js';
import { meshsimEnv, traceless } from './cli-spawn.js';

const FAN_OUT = 'test/fixtures/size/fan-out.yaml';
// Five levels of W = 8 parallel calls, T = 3 worst-case tries each (Istio's default 2 retries, no VS).
const W = 8;
const T = 3;
const L = 5;
const below = Array.from({ length: L }, (_, i) => (W * T) ** (i + 1)).reduce((a, b) => a + b, 0);
const worstCallsPerRequest = T * (1 + below); // the entry call is retried too, and redoes its tree
const inFlight = 1 + Array.from({ length: L }, (_, i) => W ** (i + 1)).reduce((a, b) => a + b, 0);
const expectedCalls = inFlight; // probability 1 everywhere: without retries every call happens once

describe('the work estimate', { timeout: 120_000 }, () => {
  it('fan-out.yaml: calls per request through 5 levels of 8 parallel calls, and calls in flight at once', async () => {
    const r = await loadScenarioFile(FAN_OUT, { allowLarge: true });
    if (!r.ok) throw new Error('fixture did not load');
    const w = estimateWork(r.scenario, [40]);
    expect(worstCallsPerRequest).toBe(24_926_475);
    expect(w.callsPerRequest).toEqual([worstCallsPerRequest]);
    expect(w.expectedCallsPerRequest).toEqual([expectedCalls]);
    expect(w.inFlightPerRequest).toEqual([inFlight]);
    expect(w.callsPerSimulation).toBe(40 * worstCallsPerRequest);
    // Views are shared: every called service's pods once (the entry's 1 and the 40 below it), the gateways'
    // view of all 41 once; a record per pod and callee (1 x 8 + 32 x 8) and per gateway and service.
    const gateways = w.proxies - 41;
    expect(w.sharedViewHosts).toBe(41 + (gateways > 0 ? 41 : 0));
    expect(w.proxyServicePairs).toBe(8 + 32 * 8 + gateways * r.scenario.mesh.services.length);
  });

  it('fan-out.yaml is refused with the numbers, naming --allow-large; 40 requests would pass the request limit', async () => {
    const r = await meshsimEnv(['validate', FAN_OUT]);
    expect(r.status).toBe(2);
    const calls = 40 * worstCallsPerRequest * 2; // 2 replications of 1 model
    expect(calls).toBe(1_994_118_000);
    expect(r.stderr).toContain('this would simulate about 1.994 billion calls');
    expect(r.stderr).toContain('makes up to 24.93 million calls through the call graph');
    expect(r.stderr).toContain(`${inFlight.toLocaleString('en-US')} without retries`);
    expect(r.stderr).toContain('x 40 requests per simulation');
    expect(r.stderr).toContain('--allow-large');
    expect(traceless(r.stderr)).toBe(true);
  });

  it('overloaded.yaml: a warning names the service, its offered load and its capacity; the file is valid', async () => {
    const r = await meshsimEnv(['validate', 'test/fixtures/size/overloaded.yaml']);
    expect(r.status, r.stderr).toBe(0);
    // 1 replica x 1 slot / 10 ms = 100/s; offered 150/s for 60 s: (150 - 100) x 60 = 3,000 waiting.
    expect(r.stderr).toMatch(
      /warning \[too-large\] services\[0\]\.deployments: service "checkout" is offered 150\/s at peak but can serve at most 100\/s .* for 60 s: its queue has no limit and grows to about 3,000 waiting requests/,
    );
  });

  it('overloaded-unbounded.yaml: refused, (20,000 - 100) x 60 = 1.194 million waiting', async () => {
    const r = await meshsimEnv(['validate', 'test/fixtures/size/overloaded-unbounded.yaml']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      'service "checkout" is offered 20,000/s at peak but can serve at most 100/s (replicas x concurrency / mean service time) for 60 s: its queue has no limit and grows to about 1.194 million waiting requests, more than 1 million',
    );
    expect(r.stderr).toContain('--allow-large');
  });

  it("run counts one run: one-run-fits.yaml runs, while validate (compare's 10 replications) refuses it", async () => {
    const v = await meshsimEnv(['validate', 'test/fixtures/size/one-run-fits.yaml']);
    expect(v.status).toBe(2);
    expect(v.stderr).toContain('10,000 client requests (1,000 per run x 1 model x 10 replications)');
    const run = await meshsimEnv(['run', 'test/fixtures/size/one-run-fits.yaml', '--json']);
    expect(run.status, run.stderr).toBe(0);
  });

  it('with --allow-large, a worker out of memory ends with exit 2 and the message, no V8 dump (compare and run)', async () => {
    const env = { NODE_OPTIONS: '--max-old-space-size=96' };
    const file = 'test/fixtures/size/overloaded-unbounded.yaml';
    for (const args of [
      ['compare', file, '--allow-large', '--workers', '2', '--json'],
      ['run', file, '--allow-large', '--json'],
    ]) {
      const r = await meshsimEnv(args, { env, timeoutMs: 110_000 });
      expect(r.signal, r.stderr).toBeNull();
      expect(r.status, r.stderr).toBe(2);
      expect(r.stderr).toMatch(/the run of model multi-primary, replication seed \d+ ran out of memory/);
      expect(r.stderr).toContain('--workers 1');
      expect(r.stderr).toContain('--max-old-space-size');
      // compare's jobs name their model; `run` without --model reruns the file's default model, as asked;
      // said the way the test ran meshsim (node dist/cli/main.js), which works without npm link.
      expect(r.stderr).toContain(
        args[0] === 'compare'
          ? 'That run alone: node dist/cli/main.js run test/fixtures/size/overloaded-unbounded.yaml --model multi-primary --seed'
          : 'That run alone: node dist/cli/main.js run test/fixtures/size/overloaded-unbounded.yaml --seed',
      );
      expect(r.stderr).not.toMatch(/FATAL ERROR|heap out of memory|<--- Last few GCs --->/);
      expect(traceless(r.stderr)).toBe(true);
      expect(r.stdout).toBe('');
    }
  });
});
