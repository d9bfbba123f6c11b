import { parseString } from 'fast-csv';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/metrics/index.js';
import {
  FAULTS_CSV_COLUMNS,
  SERVICE_GRAPH_CSV_COLUMNS,
  comparisonCsvFiles,
  comparisonFaultsCsv,
  runCsvFiles,
  runFaultsCsv,
  type ReportFile,
} from '../../src/report/index.js';
import { MODELS, comparisonFixture, runFixture } from './fixtures.js';

type Row = Record<string, string>;

/** Parses CSV text with fast-csv's own parser: the header line and the rows as strings. */
function parse(text: string): Promise<{ headers: string[]; rows: Row[] }> {
  return new Promise((resolve, reject) => {
    const rows: Row[] = [];
    let headers: string[] = [];
    parseString<Row, Row>(text, { headers: true })
      .on('headers', (h: string[]) => (headers = h))
      .on('error', reject)
      .on('data', (r: Row) => rows.push(r))
      .on('end', () => resolve({ headers, rows }));
  });
}

/** What a value reads back as: numbers and booleans as their text, null as an empty cell. */
const cell = (v: string | number | boolean | null | undefined) =>
  v === null || v === undefined ? '' : String(v);

function file(files: readonly ReportFile[], name: string): string {
  const f = files.find((x) => x.name === name);
  if (f === undefined) throw new Error(`no ${name} in ${files.map((x) => x.name).join(', ')}`);
  return String(f.content);
}

describe('report/csv', () => {
  it('comparisonCsvFiles(comparison) timeline.csv round-trips through fast-csv to the same rows', async () => {
    const { headers, rows } = await parse(file(await comparisonCsvFiles(comparisonFixture), 'timeline.csv'));
    expect(headers).toEqual(['model', 'window_start_ms', 'availability_ratio', 'latency_p99_ms']);
    expect(rows).toEqual(
      comparisonFixture.models.flatMap((m) =>
        m.timeline.map((w) => ({
          model: m.model,
          window_start_ms: cell(w.startMs),
          availability_ratio: cell(w.availability),
          latency_p99_ms: cell(w.p99Ms),
        })),
      ),
    );
  });

  it('comparisonCsvFiles(comparison) comparison.csv holds one row per model and metric with its interval', async () => {
    const { headers, rows } = await parse(
      file(await comparisonCsvFiles(comparisonFixture), 'comparison.csv'),
    );
    expect(headers).toEqual([
      'model',
      'metric',
      'unit',
      'mean',
      'mean_ci95_lo',
      'mean_ci95_hi',
      'replications_total',
    ]);
    expect(rows.length % MODELS.length).toBe(0);
    expect(new Set(rows.map((r) => r.model))).toEqual(new Set(MODELS));
    const first = comparisonFixture.models[0];
    expect(rows.find((r) => r.model === 'multi-primary' && r.metric === 'latency_p99_ms')).toEqual({
      model: 'multi-primary',
      metric: 'latency_p99_ms',
      unit: 'ms',
      mean: cell(first?.latencyMs.p99?.mean),
      mean_ci95_lo: cell(first?.latencyMs.p99?.ci95[0]),
      mean_ci95_hi: cell(first?.latencyMs.p99?.ci95[1]),
      replications_total: '5',
    });
    expect(rows.find((r) => r.model === 'multi-primary' && r.metric === 'istiods_total')).toMatchObject({
      unit: 'count',
      mean: '3',
      mean_ci95_lo: '',
    });
  });

  it('comparisonCsvFiles(comparison) traffic-matrix.csv and differences.csv round-trip', async () => {
    const files = await comparisonCsvFiles(comparisonFixture);
    const traffic = await parse(file(files, 'traffic-matrix.csv'));
    expect(traffic.rows).toEqual(
      comparisonFixture.models.flatMap((m) =>
        m.traffic.map((t) => ({
          model: m.model,
          from_cluster: t.from,
          to_cluster: t.to,
          calls_mean: cell(t.requests),
        })),
      ),
    );
    const diffs = await parse(file(files, 'differences.csv'));
    expect(diffs.rows.map((r) => [r.metric, r.model_a, r.model_b, r.difference, r.significant])).toEqual(
      comparisonFixture.differences.map((d) => [d.metric, d.a, d.b, cell(d.mean), cell(d.significant)]),
    );
  });

  it('runFaultsCsv(run) round-trips names with commas and quotes, and writes "never" as an empty cell', async () => {
    const awkward: RunSummary = {
      ...runFixture,
      faults: (runFixture.faults ?? []).map((f, i) =>
        i === 0 ? { ...f, target: 'us-east, "primary" <-> eu-west' } : f,
      ),
    };
    const { headers, rows } = await parse(await runFaultsCsv(awkward));
    expect(headers).toEqual([...FAULTS_CSV_COLUMNS]);
    expect(rows).toEqual(
      (awkward.faults ?? []).map((f) => ({
        model: 'primary-remote',
        fault_type: f.type,
        fault_kind: f.kind ?? 'fault',
        fault_target: f.target,
        fault_at_ms: cell(f.atMs),
        fault_for_ms: cell(f.forMs),
        ...Object.fromEntries(
          (['clusters', 'services', 'traffic', 'failed', 'slow', 'collateral'] as const).flatMap((m) => [
            [`blast_${m}_ratio`, cell(f.blastRadius?.[m])],
            [`blast_${m}_ratio_ci95_lo`, ''],
            [`blast_${m}_ratio_ci95_hi`, ''],
          ]),
        ),
        time_to_recover_ms: cell(f.timeToRecoverMs),
        time_to_recover_ms_ci95_lo: '',
        time_to_recover_ms_ci95_hi: '',
        availability_recovery_ms: cell(f.availabilityRecoveryMs),
        availability_recovery_ms_ci95_lo: '',
        availability_recovery_ms_ci95_hi: '',
        never_recovered_total: f.blastRadius !== null && f.timeToRecoverMs === null ? '1' : '0',
        replications_total: '1',
      })),
    );
    expect(rows[1]?.time_to_recover_ms).toBe('');
  });

  it("comparisonFaultsCsv(comparison) has the run's columns: per model each fault with intervals, then the average", async () => {
    const { headers, rows } = await parse(await comparisonFaultsCsv(comparisonFixture));
    expect(headers).toEqual([...FAULTS_CSV_COLUMNS]);
    const faults = comparisonFixture.faults.length;
    expect(rows).toHaveLength(comparisonFixture.models.length * (faults + 1));
    expect(
      rows.map((r) => [r.model, r.fault_type, r.blast_traffic_ratio, r.blast_traffic_ratio_ci95_lo]),
    ).toEqual(
      comparisonFixture.models.flatMap((m) => [
        ...(m.faults ?? []).map((f) => [
          m.model,
          f.type,
          cell(f.blastRadius.traffic?.mean),
          cell(f.blastRadius.traffic?.ci95[0]),
        ]),
        [m.model, 'all', cell(m.blastRadius?.traffic?.mean), cell(m.blastRadius?.traffic?.ci95[0])],
      ]),
    );
    // A fault row carries its window and time to recover; the average row has neither.
    const first = comparisonFixture.models[0]?.faults?.[0];
    expect(rows[0]).toMatchObject({
      fault_at_ms: cell(first?.atMs),
      time_to_recover_ms: cell(first?.timeToRecoverMs?.mean),
      replications_total: String(comparisonFixture.replications),
    });
    expect(rows[faults]).toMatchObject({ fault_at_ms: '', time_to_recover_ms: '' });
    const none = await parse(await comparisonFaultsCsv({ ...comparisonFixture, faults: [] }));
    expect(none).toEqual({ headers: [...FAULTS_CSV_COLUMNS], rows: [] });
  });

  it('runCsvFiles(run) timeline.csv round-trips, a window without requests as empty cells', async () => {
    const { rows } = await parse(file(await runCsvFiles(runFixture), 'timeline.csv'));
    expect(rows).toEqual(
      runFixture.timeline.map((w) => ({
        window_start_ms: cell(w.startMs),
        requests_total: cell(w.requests),
        succeeded_total: cell(w.succeeded),
        availability_ratio: cell(w.availability),
        latency_mean_ms: cell(w.latencyMs?.mean),
        latency_p50_ms: cell(w.latencyMs?.p50),
        latency_p99_ms: cell(w.latencyMs?.p99),
      })),
    );
    expect(rows[3]?.availability_ratio).toBe('');
  });

  it('runCsvFiles(run) service-graph.csv: a totals row per edge, then a row per response code and flag', async () => {
    const { headers, rows } = await parse(file(await runCsvFiles(runFixture), 'service-graph.csv'));
    expect(headers).toEqual([...SERVICE_GRAPH_CSV_COLUMNS]);
    const edges = runFixture.serviceGraph?.edges ?? [];
    expect(rows).toHaveLength(edges.reduce((n, e) => n + 1 + e.responses.length, 0));
    const v2 = rows.filter((r) => r.destination === 'catalog' && r.destination_version === 'v2');
    expect(v2.map((r) => [r.response_code, r.response_flags, r.calls_total, r.edge_share_ratio])).toEqual([
      ['', '', '7200', '1'],
      ['200', '', '7164', '0.995'],
      ['500', '', '36', '0.005'],
    ]);
    expect(v2[0]).toMatchObject({
      error_ratio: '0.005',
      latency_p99_ms: '30',
      request_rate_per_second: '40',
    });
    // A call that reached no replica: empty destination cluster and version, not a made-up one.
    const unrouted = rows.find((r) => r.destination === 'orders' && r.response_code === '503');
    expect(unrouted).toMatchObject({
      destination_cluster: '',
      destination_version: '',
      response_flags: 'UH',
    });
  });

  it('comparisonCsvFiles(comparison) service-graph.csv: the run rows per model, mean calls per replication', async () => {
    const { headers, rows } = await parse(
      file(await comparisonCsvFiles(comparisonFixture), 'service-graph.csv'),
    );
    expect(headers[0]).toBe('model');
    expect(headers).toContain('calls_mean');
    expect(headers).not.toContain('calls_total');
    expect(new Set(rows.map((r) => r.model))).toEqual(new Set(MODELS));
  });

  it('every CSV column name ends in its unit (Prometheus-like), is a label, or sits beside a unit column', async () => {
    const files = [
      ...(await comparisonCsvFiles(comparisonFixture)),
      ...(await runCsvFiles(runFixture)),
      { name: 'faults.csv (run)', content: await runFaultsCsv(runFixture) },
    ];
    const plain =
      /^(model|metric|unit|service|cluster|from_cluster|to_cluster|fault_type|fault_kind|fault_target|service_kind|model_a|model_b|significant|material|source_kind|source|source_version|source_cluster|destination_kind|destination|destination_version|destination_cluster|response_code|response_flags)$/;
    // Units last; every interval named `<figure>_ci95_lo` / `_ci95_hi`, and nothing else ends in lo or hi.
    const withUnit = /_(ms|ratio|total|mean|per_second)(_ci95_(lo|hi))?$/;
    // The files this convention covers, so that a new one cannot slip past it.
    expect(files.map((f) => f.name)).toEqual(expect.arrayContaining(['service-graph.csv']));
    expect(files.filter((f) => f.name === 'service-graph.csv')).toHaveLength(2);
    for (const f of files) {
      const { headers } = await parse(String(f.content));
      for (const h of headers) {
        // Long files: a `unit` column states the unit of `mean` or `difference` on each row.
        const besideUnit = /^(mean|difference)(_ci95_(lo|hi))?$/.test(h) && headers.includes('unit');
        const ok = plain.test(h) || withUnit.test(h) || besideUnit;
        expect(ok, `${f.name}: ${h}`).toBe(true);
      }
    }
  });
});
