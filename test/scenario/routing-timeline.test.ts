import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatPath, loadScenarioText, type LoadResult } from '../../src/scenario/index.js';
import { REPO_ROOT } from './bad-fixtures.js';

const MINIMAL = readFileSync(`${REPO_ROOT}test/scenario/minimal.yaml`, 'utf8').replace(
  'replicas: 2',
  'replicas: 2\n        labels: { version: v1 }',
);

const ROUTING = `routing:
  virtualServices:
    - hosts: [backend]
      http: [{ route: [{ destination: { host: backend, subset: v1 } }] }]
  destinationRules:
    - host: backend
      subsets: [{ name: v1, labels: { version: v1 } }]
    - host: frontend
      trafficPolicy: { outlierDetection: { consecutive5xxErrors: 3 } }
`;

const load = (faults: string, routing = ROUTING): LoadResult =>
  loadScenarioText(`${MINIMAL}${routing}faults:\n${faults}`, 'push.yaml');

function pushedRouting(r: LoadResult, index = 0) {
  if (!r.ok) throw new Error(r.issues.map((i) => i.message).join('\n'));
  const pushes = r.scenario.mesh.faults.filter((f) => f.type === 'config-push');
  const f = pushes[index];
  if (f?.type !== 'config-push') throw new Error('no config-push');
  return f.routing;
}

describe('scenario/routing-timeline (config-push is a kubectl apply to one cluster)', () => {
  it('loadScenarioText(push of a VirtualService) replaces the one with the same hosts and keeps the DestinationRules', () => {
    const r = load(`  - at: 2s
    type: config-push
    cluster: east
    virtualServices:
      - hosts: [backend.default.svc.cluster.local]
        http: [{ route: [{ destination: { host: backend } }], timeout: 1s }]
`);
    const routing = pushedRouting(r);
    // One VirtualService left (the pushed one replaced the short-host one), its host resolved to the
    // service it names by the one resolver validate uses (resolvePushed, issue 13).
    expect(routing.virtualServices.map((v) => [v.hosts, v.http[0]?.timeoutMs])).toEqual([
      [['backend'], 1000],
    ]);
    expect(routing.destinationRules.map((d) => d.host)).toEqual(['backend', 'frontend']);
  });

  it('loadScenarioText(push of a DestinationRule) replaces the rule for that host and appends new hosts', () => {
    const r = load(`  - at: 2s
    type: config-push
    cluster: east
    destinationRules:
      - host: frontend
      - host: backend
        subsets: [{ name: v1, labels: { version: v1 } }, { name: v2, labels: { version: v2 } }]
`);
    const routing = pushedRouting(r);
    expect(
      routing.destinationRules.map((d) => [d.host, d.trafficPolicy === undefined, d.subsets.length]),
    ).toEqual([
      ['backend', true, 2],
      ['frontend', true, 0],
    ]);
    expect(routing.virtualServices.length).toBe(1);
  });

  it('loadScenarioText(a timed push, then a later push) builds the later one on the config from before the timed one', () => {
    const r = load(`  - at: 1s
    for: 2s
    type: config-push
    cluster: east
    virtualServices:
      - hosts: [backend]
        http: [{ route: [{ destination: { host: backend } }], timeout: 9s }]
  - at: 5s
    type: config-push
    cluster: east
    virtualServices:
      - hosts: [frontend]
        http: [{ route: [{ destination: { host: frontend } }] }]
`);
    const later = pushedRouting(r, 1);
    expect(later.virtualServices.map((v) => [v.hosts[0], v.http[0]?.timeoutMs])).toEqual([
      ['backend', 0],
      ['frontend', 0],
    ]);
  });

  it('loadScenarioText(a push routing to an undefined subset) loads, with a located warning', () => {
    const faults = `  - at: 2s
    type: config-push
    cluster: east
    virtualServices:
      - hosts: [backend]
        http: [{ route: [{ destination: { host: backend, subset: v3 } }] }]
`;
    const r = load(faults);
    const line =
      `${MINIMAL}${ROUTING}faults:\n${faults}`.split('\n').findIndex((l) => l.includes('subset: v3')) + 1;
    expect(r.ok).toBe(true);
    expect(r.warnings.map((w) => [w.severity, w.code, formatPath(w.path), w.line])).toEqual([
      [
        'warning',
        'unknown-reference',
        'faults[0].virtualServices[0].http[0].route[0].destination.subset',
        line,
      ],
    ]);
    expect(r.warnings[0]?.message).toMatch(/503 NC\. Allowed, to simulate a bad rollout/);
  });

  it('loadScenarioText(a push that brings the DestinationRule for its new subset) has no warning', () => {
    const r = load(`  - at: 2s
    type: config-push
    cluster: east
    virtualServices:
      - hosts: [backend]
        http: [{ route: [{ destination: { host: backend, subset: v2 } }] }]
    destinationRules:
      - host: backend
        subsets: [{ name: v2, labels: { version: v2 } }]
`);
    expect(r.ok).toBe(true);
    expect(r.warnings).toEqual([]);
  });

  it('loadScenarioText(a pushed DestinationRule dropping a subset a route still uses) warns at that rule', () => {
    const r = load(`  - at: 2s
    type: config-push
    cluster: east
    destinationRules:
      - host: backend
        subsets: [{ name: v2, labels: { version: v2 } }]
`);
    expect(r.warnings.map((w) => [w.code, formatPath(w.path)])).toEqual([
      ['unknown-reference', 'faults[0].destinationRules[0]'],
    ]);
  });

  it('loadScenarioText(routing: to an undefined subset) is an error, not a warning', () => {
    const r = load('  []\n', ROUTING.replace('subset: v1 } }', 'subset: v9 } }'));
    expect(r.ok ? [] : r.issues.map((i) => [i.severity ?? 'error', i.code, formatPath(i.path)])).toEqual([
      ['error', 'unknown-reference', 'routing.virtualServices[0].http[0].route[0].destination.subset'],
    ]);
  });

  it('loadScenarioText(a push to a cluster that does not exist) names the cluster, with a suggestion', () => {
    const r = load(`  - at: 2s
    type: config-push
    cluster: eats
    virtualServices: []
`);
    expect(r.ok ? [] : r.issues.map((i) => [i.code, formatPath(i.path), i.suggestion])).toEqual([
      ['unknown-reference', 'faults[0].cluster', 'east'],
    ]);
  });
});
