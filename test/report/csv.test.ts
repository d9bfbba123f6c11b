import { parseString } from 'fast-csv';
import { describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/metrics/index.js';
import {
  FAULTS_CSV_COLUMNS,
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
    expect(headers).toEqual(['model', 'window_start_ms', 'availability', 'latency_p99_ms']);
    expect(rows).toEqual(
      comparisonFixture.models.flatMap((m) =>
        m.timeline.map((w) => ({
          model: m.model,
          window_start_ms: cell(w.startMs),
          availability: cell(w.availability),
          latency_p99_ms: cell(w.p99Ms),
        })),
      ),
    );
  });

  it('comparisonCsvFiles(comparison) comparison.csv holds one row per model and metric with its interval', async () => {
    const { headers, rows } = await parse(
      file(await comparisonCsvFiles(comparisonFixture), 'comparison.csv'),
    );
    expect(headers).toEqual(['model', 'metric', 'unit', 'mean', 'ci95_lo', 'ci95_hi', 'replications']);
    expect(rows.length % MODELS.length).toBe(0);
    expect(new Set(rows.map((r) => r.model))).toEqual(new Set(MODELS));
    const first = comparisonFixture.models[0];
    expect(rows.find((r) => r.model === 'multi-primary' && r.metric === 'latency_p99_ms')).toEqual({
      model: 'multi-primary',
      metric: 'latency_p99_ms',
      unit: 'ms',
      mean: cell(first?.latencyMs.p99?.mean),
      ci95_lo: cell(first?.latencyMs.p99?.ci95[0]),
      ci95_hi: cell(first?.latencyMs.p99?.ci95[1]),
      replications: '5',
    });
    expect(rows.find((r) => r.model === 'multi-primary' && r.metric === 'istiods')).toMatchObject({
      unit: 'count',
      mean: '3',
      ci95_lo: '',
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
          requests_mean: cell(t.requests),
        })),
      ),
    );
    const diffs = await parse(file(files, 'differences.csv'));
    expect(diffs.rows.map((r) => [r.metric, r.model_a, r.model_b, r.difference_mean, r.significant])).toEqual(
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
        fault_target: f.target,
        fault_at_ms: cell(f.atMs),
        fault_for_ms: cell(f.forMs),
        blast_clusters_fraction: cell(f.blastRadius?.clusters),
        blast_clusters_fraction_ci_lo: '',
        blast_clusters_fraction_ci_hi: '',
        blast_services_fraction: cell(f.blastRadius?.services),
        blast_services_fraction_ci_lo: '',
        blast_services_fraction_ci_hi: '',
        blast_traffic_fraction: cell(f.blastRadius?.traffic),
        blast_traffic_fraction_ci_lo: '',
        blast_traffic_fraction_ci_hi: '',
        blast_collateral_fraction: cell(f.blastRadius?.collateral),
        blast_collateral_fraction_ci_lo: '',
        blast_collateral_fraction_ci_hi: '',
        time_to_recover_ms: cell(f.timeToRecoverMs),
        replications: '1',
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
      rows.map((r) => [r.model, r.fault_type, r.blast_traffic_fraction, r.blast_traffic_fraction_ci_lo]),
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
      replications: String(comparisonFixture.replications),
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
        requests: cell(w.requests),
        succeeded: cell(w.succeeded),
        availability: cell(w.availability),
        latency_mean_ms: cell(w.latencyMs?.mean),
        latency_p50_ms: cell(w.latencyMs?.p50),
        latency_p99_ms: cell(w.latencyMs?.p99),
      })),
    );
    expect(rows[3]?.availability).toBe('');
  });

  it('every CSV column name carries its unit, or is a name, a count, a fraction or beside a unit column', async () => {
    const files = [...(await comparisonCsvFiles(comparisonFixture)), ...(await runCsvFiles(runFixture))];
    const plain =
      /^(model|metric|unit|service|cluster|from_cluster|to_cluster|fault_type|fault_target|model_a|model_b|significant|requests|succeeded|replications|availability)$/;
    const withUnit = /_(ms|fraction|mean|lo|hi)$/;
    for (const f of files) {
      const { headers } = await parse(String(f.content));
      for (const h of headers) {
        // comparison.csv is long: its `unit` column states the unit of `mean` on each row.
        const ok = plain.test(h) || withUnit.test(h) || (h === 'mean' && headers.includes('unit'));
        expect(ok, `${f.name}: ${h}`).toBe(true);
      }
    }
  });
});
