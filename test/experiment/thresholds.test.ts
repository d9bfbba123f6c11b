/**
 * k6-style thresholds on constructed runs whose answers are known by hand: which requests a tag scope
 * takes, k6's aggregations over them, and the verdicts, including the cases that must not pass silently
 * (no samples, a fault impact not measured, another model's scope).
 */
import { describe, expect, it } from 'vitest';
import { evaluateThresholds, type ThresholdOutcome } from '../../src/experiment/index.js';
import type { MeshRequest } from '../../src/mesh/index.js';
import { ThresholdRecorder, type CallRecord, type RunSummary } from '../../src/metrics/index.js';
import {
  THRESHOLD_METRICS,
  parseThresholdExpression,
  parseThresholdKey,
  type Threshold,
  type ThresholdExpression,
  type ThresholdTag,
} from '../../src/scenario/index.js';

function th(key: string, ...exprs: string[]): Threshold {
  const k = parseThresholdKey(key);
  if ('error' in k) throw new Error(k.error);
  const type = THRESHOLD_METRICS[k.metric]?.type;
  if (type === undefined) throw new Error(key);
  return {
    key,
    metric: k.metric,
    type,
    tags: k.tags as [ThresholdTag, string][],
    expressions: exprs.map((s) => {
      const e = parseThresholdExpression(s);
      if ('error' in e) throw new Error(e.error);
      return e as ThresholdExpression;
    }),
  };
}

// traffic web=0, batch=1; clusters a=0, b=1; services api=0, db=1; 10 s measured; deadline 50 ms.
const rec = new ThresholdRecorder({
  traffic: ['web', 'batch'],
  clusters: ['a', 'b'],
  services: ['api', 'db'],
  warmupMs: 0,
  durationMs: 10_000,
  deadlineMs: 50,
});
const request = (traffic: number, cluster: number, ms: number, code = 200) =>
  rec.requestCompleted({
    traffic,
    clientCluster: cluster,
    startMs: 1,
    endMs: 1 + ms,
    responseCode: code,
  } as MeshRequest);
const call = (service: number, ms: number, code = 200) =>
  rec.callCompleted({
    service: { index: service },
    sentMs: 1,
    endMs: 1 + ms,
    responseCode: code,
  } as unknown as CallRecord);
for (let i = 0; i < 90; i++) request(0, 0, 10); // web/a: 90 at 10 ms
for (let i = 0; i < 10; i++) request(0, 0, 200); // web/a: 10 at 200 ms (answered, late)
for (let i = 0; i < 45; i++) request(0, 1, 20); // web/b: 45 at 20 ms
for (let i = 0; i < 5; i++) request(0, 1, 1, 503); // web/b: 5 failed at 1 ms
for (let i = 0; i < 10; i++) request(1, 0, 40); // batch/a: 10 at 40 ms
for (let i = 0; i < 100; i++) call(0, 5); // api: 100 at 5 ms
for (let i = 0; i < 10; i++) call(1, 2, 500); // db: 10 failed at 2 ms
const record = rec.record();

const summary = {
  model: 'multi-primary',
  faults: [
    {
      type: 'pod-failure',
      blastRadius: { clusters: 0.5, services: 0.5, traffic: 0.02, collateral: 0 },
      timeToRecoverMs: 5000,
    },
    {
      type: 'control-plane-outage',
      blastRadius: { clusters: 1, services: 1, traffic: 0.08, collateral: 0.03 },
      timeToRecoverMs: null,
    },
  ],
} as unknown as RunSummary;

function verdicts(o: ThresholdOutcome): [string, boolean, number | null][] {
  return o.results.map((r) => [r.source, r.ok, r.measured]);
}
const one = (t: Threshold, s: RunSummary = summary) =>
  evaluateThresholds([t], record, s)[0] as ThresholdOutcome;

describe('evaluateThresholds on a constructed run', () => {
  it('http_req_duration{traffic:web,cluster:a}: p(95) is the 200 ms tail, p(90) the 10 ms body, avg exact', () => {
    const o = one(
      th('http_req_duration{traffic:web,cluster:a}', 'p(95)<250', 'p(95)<150', 'p(90)<11', 'avg==29'),
    );
    expect(o.results.map((r) => r.ok)).toEqual([true, false, true, true]);
    // Percentiles within the histogram's 1%.
    expect(o.values['p(95)']).toBeGreaterThan(198);
    expect(o.values['p(95)']).toBeLessThan(202);
    expect(o.values.avg).toBe(29);
  });

  it('http_req_failed{traffic:web} is 5/150; over every request 5/160', () => {
    expect(verdicts(one(th('http_req_failed{traffic:web}', 'rate<0.01', 'rate<0.05')))).toEqual([
      ['rate<0.01', false, 5 / 150],
      ['rate<0.05', true, 5 / 150],
    ]);
    expect(one(th('http_req_failed', 'rate<0.05')).values.rate).toBe(5 / 160);
  });

  it('http_reqs counts 160 at 16/s; {expected_response:false} counts the 5 failures', () => {
    expect(verdicts(one(th('http_reqs', 'count==160', 'rate>15.9', 'count<160')))).toEqual([
      ['count==160', true, 160],
      ['rate>15.9', true, 16],
      ['count<160', false, 160],
    ]);
    expect(one(th('http_reqs{expected_response:false}', 'count>0')).values.count).toBe(5);
  });

  it('http_req_duration{expected_response:true,cluster:b}: max is exactly 20 ms (the failed 1 ms left out)', () => {
    expect(
      verdicts(
        one(th('http_req_duration{expected_response:true,cluster:b}', 'max<=20', 'max<20', 'min>=20')),
      ),
    ).toEqual([
      ['max<=20', true, 20],
      ['max<20', false, 20],
      ['min>=20', true, 20],
    ]);
  });

  it('availability and within_slo: batch answered all; within 50 ms are 145 of 160', () => {
    expect(verdicts(one(th('availability{traffic:batch}', 'rate==1')))).toEqual([['rate==1', true, 1]]);
    expect(one(th('within_slo', 'rate>0.9')).values.rate).toBe(145 / 160);
  });

  it('{service:db} reads the calls: all failed, median 2 ms', () => {
    expect(one(th('http_req_failed{service:db}', 'rate<1')).results[0]?.measured).toBe(1);
    const med = one(th('http_req_duration{service:db}', 'med<3'));
    expect(med.results[0]?.ok).toBe(true);
  });

  it('a scope with no samples fails, saying so, rather than passing', () => {
    const o = one(th('http_req_duration{traffic:batch,cluster:b}', 'p(95)<250'));
    expect(o.results).toEqual([
      { source: 'p(95)<250', aggregation: 'p(95)', measured: null, ok: false, reason: 'no samples in scope' },
    ]);
  });

  it('model: another model’s scope is not evaluated (not passed); this model’s is', () => {
    const other = one(th('http_reqs{model:primary-remote}', 'count>0'));
    expect([other.results, other.notEvaluated]).toEqual([
      [],
      "model primary-remote is not this run's (multi-primary)",
    ]);
    expect(one(th('http_reqs{model:multi-primary}', 'count>0')).results[0]?.ok).toBe(true);
  });

  it('blast_radius takes the worst fault in scope; {fault:0} and {fault:<type>} pick theirs; never recovered fails', () => {
    expect(verdicts(one(th('blast_radius', 'value<0.05')))).toEqual([['value<0.05', false, 0.08]]);
    expect(verdicts(one(th('blast_radius{fault:0}', 'value<0.05')))).toEqual([['value<0.05', true, 0.02]]);
    expect(verdicts(one(th('collateral{fault:control-plane-outage}', 'value<0.05')))).toEqual([
      ['value<0.05', true, 0.03],
    ]);
    expect(verdicts(one(th('time_to_recover{fault:control-plane-outage}', 'value<60000')))).toEqual([
      ['value<60000', false, Infinity],
    ]);
  });

  it('a blast radius that was not measured (no baselines) fails with the reason', () => {
    const unmeasured = {
      model: 'multi-primary',
      faults: [{ type: 'pod-failure', blastRadius: null, timeToRecoverMs: null }],
    } as unknown as RunSummary;
    expect(one(th('blast_radius', 'value<1'), unmeasured).results[0]).toEqual({
      source: 'value<1',
      aggregation: 'value',
      measured: null,
      ok: false,
      reason: 'blast radius not measured (run without paired baselines)',
    });
  });
});
