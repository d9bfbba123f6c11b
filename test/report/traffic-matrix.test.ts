/** Beyond six clusters the traffic matrix chart and tables group clusters by region; CSV keeps every pair. */
import { describe, expect, it } from 'vitest';
import type { ComparisonResult } from '../../src/experiment/index.js';
import { comparisonCsvFiles } from '../../src/report/index.js';
import { comparisonDocument } from '../../src/report/comparison-document.js';
import {
  MAX_MATRIX_CLUSTERS,
  groupedByRegion,
  trafficMatrixChart,
} from '../../src/report/charts/traffic-matrix-chart.js';
import { comparisonFixture } from './fixtures.js';

const REGIONS = ['us-east', 'us-west', 'eu-west', 'ap-south'];
const CLUSTERS = Array.from({ length: 20 }, (_, i) => ({
  cluster: `c${i}`,
  region: REGIONS[i % 4] as string,
}));
const TRAFFIC = CLUSTERS.flatMap((a) =>
  CLUSTERS.map((b) => ({ from: a.cluster, to: b.cluster, requests: 1 })),
);

describe('report/traffic-matrix', () => {
  it('groupedByRegion sums 20 clusters into 4 regions and keeps 6 or fewer as they are', () => {
    const names = CLUSTERS.map((c) => c.cluster);
    const g = groupedByRegion(TRAFFIC, names, CLUSTERS);
    expect(g.grouped).toBe(true);
    expect(g.names).toEqual(REGIONS.map((r) => `${r} (5 clusters)`));
    expect(g.traffic.reduce((s, t) => s + t.requests, 0)).toBe(400);
    const few = names.slice(0, MAX_MATRIX_CLUSTERS);
    expect(groupedByRegion(TRAFFIC, few, CLUSTERS).grouped).toBe(false);
    // Without every cluster's region there is nothing to group by: the matrix stays as it is.
    expect(groupedByRegion(TRAFFIC, names, CLUSTERS.slice(1)).grouped).toBe(false);
  });

  it('a 20-cluster comparison draws a 4 x 4 region matrix per model, its tables too, and the CSV every pair', async () => {
    const big: ComparisonResult = {
      ...comparisonFixture,
      clusterRegions: CLUSTERS,
      models: comparisonFixture.models.map((m) => ({ ...m, traffic: TRAFFIC })),
    };
    const spec = JSON.stringify(trafficMatrixChart(big));
    expect(spec).toContain('serving region');
    expect(spec).toContain('us-east (5 clusters)');
    expect(spec).not.toContain('"c17"');
    const table = comparisonDocument(big).detailTables.find((t) => t.id === 'traffic-multi-primary');
    expect(table?.header).toEqual(['client / serving', ...REGIONS.map((r) => `${r} (5 clusters)`)]);
    expect(table?.rows[0]?.[1]).toBe('25');
    const csv = (await comparisonCsvFiles(big)).find((f) => f.name === 'traffic-matrix.csv');
    expect(String(csv?.content).trim().split('\n')).toHaveLength(1 + 3 * 400);
  });
});
