/**
 * k6's threshold grammar, on k6's own cases (grafana/k6 metrics/thresholds_parser_test.go at
 * 87883075ccd5e3d3fb961a860b3d6e422bbc353b: TestParseThresholdExpression, TestParseThresholdAggregationMethod),
 * and `thresholds:` in a scenario: what loads, and what is refused with its path.
 */
import { describe, expect, it } from 'vitest';
import { loadScenarioText, parseThresholdExpression, parseThresholdKey } from '../../src/scenario/index.js';

describe('parseThresholdExpression (k6 TestParseThresholdExpression)', () => {
  it.each(['count!20', 'foo>20', 'count>abc'])('%s fails', (input) => {
    expect('error' in parseThresholdExpression(input)).toBe(true);
  });

  it('count>20 is count, >, 20', () => {
    expect(parseThresholdExpression('count>20')).toEqual({
      aggregation: 'count',
      operator: '>',
      value: 20,
      source: 'count>20',
    });
  });

  it.each([
    ['count>1', 'count', undefined],
    ['rate<1', 'rate', undefined],
    ['value<1', 'value', undefined],
    ['avg<1', 'avg', undefined],
    ['min<1', 'min', undefined],
    ['max<1', 'max', undefined],
    ['med<1', 'med', undefined],
    ['p(99)<1', 'p', 99],
    ['p(99.9)<1', 'p', 99.9],
    ['p(0)<1', 'p', 0],
    ['p(100)<1', 'p', 100],
  ])('%s parses its method (k6 TestParseThresholdAggregationMethod)', (input, aggregation, percentile) => {
    const e = parseThresholdExpression(input);
    expect('error' in e ? e.error : [e.aggregation, e.percentile]).toEqual([aggregation, percentile]);
  });

  it.each(['foo<1', 'p()<1', 'p(99<1', 'p(foo)<1', 'p(-1)<1', 'p(101)<1'])('%s fails', (input) => {
    expect('error' in parseThresholdExpression(input)).toBe(true);
  });

  it('tries operators in k6’s order: p(95)<=250 is <=, count>=1 is >=, rate!=0 is !=', () => {
    const op = (s: string) => {
      const e = parseThresholdExpression(s);
      return 'error' in e ? e.error : e.operator;
    };
    expect([op('p(95)<=250'), op('count>=1'), op('rate!=0'), op('avg==3'), op('avg===3')]).toEqual([
      '<=',
      '>=',
      '!=',
      '==',
      '===',
    ]);
  });
});

describe('parseThresholdKey', () => {
  it('reads a metric and its tags as k6 writes them', () => {
    expect(parseThresholdKey('http_req_duration{service:api, cluster:"east-1"}')).toEqual({
      metric: 'http_req_duration',
      tags: [
        ['service', 'api'],
        ['cluster', 'east-1'],
      ],
    });
    expect('error' in parseThresholdKey('http_req_duration{service}')).toBe(true);
  });
});

const BASE = `
name: t
duration: 1m
clusters: [{ name: east-1, region: us-east }]
services: [{ name: api, deployments: [{ cluster: east-1 }], serviceTime: 1ms }]
traffic: [{ name: web, entry: api, from: east-1, rate: 10/s }]
`;

async function problems(thresholds: string, extra = ''): Promise<string[]> {
  const r = await loadScenarioText(`${BASE}${extra}thresholds:\n${thresholds}`, 't.yaml');
  return r.ok ? [] : r.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('thresholds: in a scenario', () => {
  it('loads k6’s own forms, string and object, with tag scopes', async () => {
    const r = await loadScenarioText(
      `${BASE}thresholds:
  http_req_duration{service:api}: ['p(95)<250', { threshold: 'avg<100', abortOnFail: false }]
  http_req_failed: ['rate<0.01']
  http_reqs{traffic:web}: ['count>0']
`,
      't.yaml',
    );
    expect(r.ok ? r.scenario.thresholds.map((t) => [t.key, t.expressions.length]) : r.issues).toEqual([
      ['http_req_duration{service:api}', 2],
      ['http_req_failed', 1],
      ['http_reqs{traffic:web}', 1],
    ]);
  });

  it('refuses, with its path, what it cannot honour or does not know', async () => {
    expect(await problems(`  http_req_duraton: ['p(95)<250']\n`)).toEqual([
      expect.stringContaining('thresholds.http_req_duraton: unknown metric "http_req_duraton"'),
    ]);
    expect(await problems(`  http_req_failed: ['p(95)<250']\n`)).toEqual([
      expect.stringContaining('its aggregations are rate'),
    ]);
    expect(await problems(`  http_reqs: [{ threshold: 'count>0', abortOnFail: true }]\n`)).toEqual([
      expect.stringContaining('thresholds.http_reqs.0.abortOnFail: abortOnFail: a simulation always runs'),
    ]);
    expect(await problems(`  http_req_duration{service:api,cluster:east-1}: ['avg<1']\n`)).toEqual([
      expect.stringContaining('not broken down by traffic source or client cluster'),
    ]);
    expect(await problems(`  within_slo: ['rate>0.99']\n`)).toEqual([
      expect.stringContaining('within_slo needs slo.latency.p99'),
    ]);
    expect(await problems(`  http_req_duration{service:apy}: ['avg<1']\n`)).toEqual([
      expect.stringContaining('apy'),
    ]);
    expect(await problems(`  blast_radius{service:api}: ['value<0.1']\n`)).toEqual([
      expect.stringContaining('blast_radius cannot be scoped by "service"'),
    ]);
  });
});
