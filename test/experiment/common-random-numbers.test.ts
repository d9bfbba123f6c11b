/**
 * Common random numbers: replication k of every model runs on the same seed, and every random source
 * draws from its own named stream seeded by (seed, name) alone, so the models see the same arrivals and
 * the same fault timeline; they differ only where their control planes make them differ. Checked three
 * ways: per-replication request counts in a fault-free scenario, arrival timestamps seen by a recording
 * observer, and the values every named stream yields.
 */
import { describe, expect, it } from 'vitest';
import { Engine, RngStreams, type AleaStates, type Uniform } from '../../src/des/index.js';
import { DRAIN_MS, replicate, replicationSeeds } from '../../src/experiment/index.js';
import type { DeploymentModel, MeshObserver } from '../../src/mesh/index.js';
import { buildMesh, type Scenario } from '../../src/scenario/index.js';
import { loadFixture } from './load-fixture.js';

/**
 * RngStreams that logs every value drawn, and when, per stream name: through `stream`'s closures and
 * through `alea` by index (`streamIndex`, `ownStreamIndex`), which samplers, balancing and client placement
 * draw from without a closure.
 */
class RecordingStreams extends RngStreams {
  readonly draws = new Map<string, number[]>();
  readonly times = new Map<string, number[]>();
  clock: Engine | undefined;
  private readonly nameOf = new Map<number, string>();

  override stream(name: string): Uniform {
    const inner = super.stream(name);
    return () => {
      const x = inner();
      this.log(name, x);
      return x;
    };
  }

  override streamIndex(name: string): number {
    const i = super.streamIndex(name);
    this.nameOf.set(i, name);
    return i;
  }

  override ownStreamIndex(name: string): number {
    const i = super.ownStreamIndex(name);
    this.nameOf.set(i, name);
    return i;
  }

  override get alea(): AleaStates {
    const states = super.alea;
    return new Proxy(states, {
      get: (target, key) =>
        key === 'next'
          ? (i: number) => {
              const x = target.next(i);
              this.log(this.nameOf.get(i) ?? `#${i}`, x);
              return x;
            }
          : (Reflect.get(target, key, target) as unknown),
    });
  }

  private log(name: string, x: number): void {
    let draws = this.draws.get(name);
    let times = this.times.get(name);
    if (draws === undefined || times === undefined) {
      draws = [];
      times = [];
      this.draws.set(name, draws);
      this.times.set(name, times);
    }
    draws.push(x);
    times.push(this.clock?.now ?? -1);
  }
}

interface Recorded {
  /** `startMs traffic clientCluster` of every request, in the order they started. */
  readonly arrivals: string[];
  readonly streams: RecordingStreams;
}

/** Runs `model` once on `seed` with a recording observer (only requestStarted is of interest). */
function record(scenario: Scenario, model: DeploymentModel, seed: number): Recorded {
  const arrivals: string[] = [];
  const started = (r: { startMs: number; traffic: number; clientCluster: number }) =>
    arrivals.push(`${r.startMs} ${r.traffic} ${r.clientCluster}`);
  // Every other observer method is a no-op, whatever the interface grows to.
  const observer = new Proxy(
    {},
    { get: (_target, key) => (key === 'requestStarted' ? started : () => undefined) },
  ) as MeshObserver;
  const engine = new Engine(4096);
  const streams = new RecordingStreams(seed);
  streams.clock = engine;
  const mesh = buildMesh(scenario, model, engine, streams, observer);
  mesh.start(scenario.durationMs);
  engine.run(scenario.durationMs + DRAIN_MS);
  return { arrivals, streams };
}

function twoModels(scenario: Scenario): [DeploymentModel, DeploymentModel] {
  const [a, b] = scenario.models;
  if (a === undefined || b === undefined) throw new Error('two models expected');
  return [a, b];
}

describe('experiment/common random numbers', { timeout: 60_000 }, () => {
  it('replicate(two-regions, 4 models x 4 seeds): replication k counts the same requests under every model', async () => {
    const scenario = await loadFixture('two-regions.yaml');
    const seeds = replicationSeeds(scenario.seed, 4);
    const r = await replicate(scenario, { models: scenario.models, seeds }, { workers: 1 });
    expect(r.runs.length).toBe(4);
    const totals = r.runs.map((runs) => runs.map((s) => s.requests.total));
    for (const t of totals) expect(t).toEqual(totals[0]);
    // ...and different replications really are different draws.
    expect(new Set(totals[0]).size).toBe(4);
    for (const runs of r.runs) expect(runs.map((s) => s.seed)).toEqual(seeds);
  });

  it('record(outage, multi-primary | primary-remote): identical arrival timestamps, clusters and sources', async () => {
    const scenario = await loadFixture('outage.yaml');
    const [a, b] = twoModels(scenario);
    for (const seed of replicationSeeds(scenario.seed, 2)) {
      const x = record(scenario, a, seed);
      const y = record(scenario, b, seed);
      expect(x.arrivals.length).toBeGreaterThan(3000);
      expect(y.arrivals).toEqual(x.arrivals);
    }
  });

  it('record(outage, ...): arrival and client-placement streams are identical in full', async () => {
    const scenario = await loadFixture('outage.yaml');
    const [a, b] = twoModels(scenario);
    const x = record(scenario, a, 123).streams;
    const y = record(scenario, b, 123).streams;
    // Arrivals are exogenous: the same under any model. Service times are drawn per call served, so a
    // model that retries or reroutes draws more of them (the same values, in the same order).
    const exogenous = [...x.draws.keys()].filter((n) => /^(arrivals|client-placement)\//.test(n));
    expect(exogenous.length).toBeGreaterThanOrEqual(2);
    for (const name of exogenous) expect(y.draws.get(name), name).toEqual(x.draws.get(name));
  });

  it('record(outage, ...): every named stream yields the same values under both models (they differ only in how many they draw)', async () => {
    const scenario = await loadFixture('outage.yaml');
    const [a, b] = twoModels(scenario);
    const x = record(scenario, a, 7).streams;
    const y = record(scenario, b, 7).streams;
    let drawnByBoth = 0;
    for (const name of new Set([...x.draws.keys(), ...y.draws.keys()])) {
      const p = x.draws.get(name) ?? [];
      const q = y.draws.get(name) ?? [];
      const n = Math.min(p.length, q.length);
      drawnByBoth += n;
      expect(q.slice(0, n), name).toEqual(p.slice(0, n));
    }
    expect(drawnByBoth).toBeGreaterThan(10_000);
  });

  it('replicate(outage, 2 models x 3 seeds): replication k has the same fault timeline and requests under both models', async () => {
    const scenario = await loadFixture('outage.yaml');
    const seeds = replicationSeeds(scenario.seed, 3);
    const r = await replicate(scenario, { models: scenario.models, seeds }, { workers: 1 });
    const [x, y] = r.runs;
    if (x === undefined || y === undefined) throw new Error('two models expected');
    const timeline = (runs: typeof x) =>
      runs.map((s) => (s.faults ?? []).map((f) => `${f.type} ${f.atMs} ${f.forMs} ${f.target}`));
    expect(timeline(x)[0]).toEqual([
      'control-plane-outage 10000 20000 istiod serving east-1',
      'pod-churn 12000 15000 back in east-2',
    ]);
    expect(timeline(y)).toEqual(timeline(x));
    expect(y.map((s) => s.requests.total)).toEqual(x.map((s) => s.requests.total));
  });

  it('record(outage, ...): pod-churn draws its victims from its own stream, the same values at the same instants', async () => {
    const scenario = await loadFixture('outage.yaml');
    const [a, b] = twoModels(scenario);
    const x = record(scenario, a, 7).streams;
    const y = record(scenario, b, 7).streams;
    const churn = [...x.draws.keys()].filter((n) => n.startsWith('churn/'));
    expect(churn.length).toBe(1);
    const name = churn[0] as string;
    const draws = (s: RecordingStreams) =>
      (s.draws.get(name) ?? []).map((v, i) => `${s.times.get(name)?.[i]} ${v}`);
    // One kill every 3 s from 12 s while the fault lasts (until 27 s) and pods are left to kill.
    expect(draws(x).map((d) => d.split(' ')[0])).toEqual(['12000', '15000', '18000', '21000', '24000']);
    const n = Math.min(draws(x).length, draws(y).length);
    expect(n).toBeGreaterThanOrEqual(3);
    expect(draws(y).slice(0, n)).toEqual(draws(x).slice(0, n));
  });
});
