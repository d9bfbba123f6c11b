/**
 * Calibration from a Kiali graph JSON: the fixture test/fixtures/calibrate/kiali-bookinfo-graph.json is a
 * Bookinfo workload graph constructed in Kiali's Cytoscape format (kiali/kiali
 * graph/config/cytoscape/cytoscape.go at 9f38f4d64e923388076d0be7d9d19b9b8894382a: Config, NodeData,
 * EdgeData, ProtocolTraffic with `rates` and `responses` by code then flags in percent), with a service node
 * (reviews) between productpage and the reviews workloads, an unknown caller, an ingress gateway, a box
 * node and a tcp edge. Its numbers are chosen so every answer is known: 600 s; the ingress sends
 * productpage 20/s, 4% answered 500 with no flag; productpage calls reviews 16/s, 2.5% failing 503 UH
 * (no healthy upstream: passed on as productpage 500s); reviews-v2 (6/s of reviews' 16) calls ratings; an
 * outside caller sends ratings 2/s.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildScenarioText, inferCalibration, observationsFromKiali } from '../../src/calibrate/index.js';
import { loadScenarioText } from '../../src/scenario/index.js';

const FIXTURE = 'test/fixtures/calibrate/kiali-bookinfo-graph.json';
const graph = JSON.parse(readFileSync(FIXTURE, 'utf8')) as unknown;

describe('calibrate from a Kiali graph', () => {
  const obs = observationsFromKiali(graph, FIXTURE);
  const c = inferCalibration(obs);
  const svc = (n: string) => c.services.find((s) => s.name === n);

  it('reads rates times the graph’s duration; the tcp edge and the box are no requests', () => {
    expect(obs.rangeSeconds).toBe(600);
    const total = obs.edges.reduce((s, e) => s + e.requests, 0);
    // 20 + 16 (split over the reviews workloads) + 6 + 2 per second, for 600 s.
    expect(total).toBeCloseTo((20 + 16 + 6 + 2) * 600, 6);
    expect(obs.edges.some((e) => e.destination.service === 'box')).toBe(false);
  });

  it('entry rates: the ingress gateway’s edge and the unknown caller’s', () => {
    expect(c.traffic.map((t) => [t.name, t.via, t.ratePerS, t.from])).toEqual([
      ['productpage-ingress', 'ingress', 20, [{ cluster: 'east', share: 1 }]],
      ['ratings-external', 'direct', 2, [{ cluster: 'east', share: 1 }]],
    ]);
  });

  it('error rates: 500 with no flag less the UH failures passed on; UH itself is no application error', () => {
    expect(svc('productpage')?.errorRate).toBeCloseTo((0.04 * 20 - 0.025 * 16) / 20, 12);
    expect(svc('reviews')?.errorRate).toBe(0);
  });

  it('call probabilities: edge rate over the caller’s rate (less its own errors)', () => {
    expect(svc('productpage')?.calls[0]?.probability).toBeCloseTo(16 / (20 - 0.4), 12);
    expect(svc('reviews')?.calls[0]?.probability).toBeCloseTo(6 / 16, 12);
    expect(svc('ratings')?.calls).toEqual([]);
  });

  it('deployments from the workloads behind the service node, with their versions and clusters', () => {
    expect(svc('reviews')?.deployments.map((d) => [d.cluster, d.version, d.workload])).toEqual([
      ['east', 'v1', 'reviews-v1'],
      ['west', 'v2', 'reviews-v2'],
    ]);
  });

  it('no histogram in a graph: the built scenario validates, service times marked as placeholders', () => {
    const out = buildScenarioText(c, 'bookinfo');
    const loaded = loadScenarioText(out.text, 'bookinfo.yaml');
    expect(loaded.ok ? [] : loaded.issues).toEqual([]);
    expect(out.text.match(/serviceTime: 1ms is a PLACEHOLDER \(ASSUMED\), not a measurement/g)).toHaveLength(
      3,
    );
    expect(out.text).toMatch(/ASSUMED: regions, zones and networks are not in Istio/);
  });

  it('a located message for what is not a graph', () => {
    expect(() => observationsFromKiali({}, 'g.json')).toThrow(/g.json: expected a Kiali graph/);
    expect(() => observationsFromKiali({ elements: {}, duration: 0 }, 'g.json')).toThrow(
      /g.json: duration: expected/,
    );
    const bad = {
      duration: 60,
      elements: { nodes: [], edges: [{ data: { id: 'e', source: 'a', target: 'b' } }] },
    };
    expect(() => observationsFromKiali(bad, 'g.json')).toThrow(
      /g.json: elements.edges\[0\].data: names node a, which elements.nodes lacks/,
    );
  });
});
