/**
 * An edge counts its first response in two fields of its cell and any other in arrays (service-graph.ts
 * `otherResponse`): on random sequences of responses, its rows must be the plain count of every (code,
 * flags) pair, the first one's included, ordered by code then flags.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatResponseFlags } from '../../src/mesh/index.js';
import type { CallRecord } from '../../src/metrics/index.js';
import { ServiceGraphRecorder } from '../../src/metrics/service-graph.js';

/** A client's call that reached no replica: one edge (client node -> the service's unreached node). */
function call(responseCode: number, responseFlags: number): CallRecord {
  return {
    traffic: 0,
    service: { index: 0, external: undefined },
    source: { endpoint: undefined, cluster: 0, zone: 0, nodeType: 'sidecar' },
    endpoint: undefined,
    sentMs: 0,
    arrivedMs: -1,
    startedMs: -1,
    endMs: 1,
    responseCode,
    responseFlags,
  } as CallRecord;
}

describe('metrics/service-graph responses', () => {
  it("an edge's rows are the count of each (code, flags), its first response's included", () => {
    const response = fc.record({
      code: fc.constantFrom(0, 200, 404, 503, 504),
      flags: fc.constantFrom(0, 1, 2, 4),
    });
    fc.assert(
      fc.property(fc.array(response, { minLength: 1, maxLength: 80 }), (responses) => {
        const graph = new ServiceGraphRecorder(['svc'], ['web'], ['c1']);
        const cell = new Float64Array([1, 0]);
        const expected = new Map<string, { code: number; flags: string; count: number }>();
        for (const r of responses) {
          const record = call(r.code, r.flags);
          graph.record(graph.edgeOf(record), record, r.code < 500, cell);
          const flags = formatResponseFlags(r.flags);
          const row = expected.get(`${r.code} ${flags}`);
          if (row) row.count++;
          else expected.set(`${r.code} ${flags}`, { code: r.code, flags, count: 1 });
        }
        const edges = graph.summary(1000).edges;
        expect(edges).toHaveLength(1);
        expect(edges[0]?.calls).toBe(responses.length);
        expect(edges[0]?.responses).toStrictEqual(
          [...expected.values()].sort((a, b) => a.code - b.code || a.flags.localeCompare(b.flags, 'en')),
        );
      }),
      { numRuns: 300, seed: 34 },
    );
  });
});
