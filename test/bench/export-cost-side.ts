/**
 * One side of the export bench (export-cost.ts), in a process of its own as `meshsim run` is: the bench
 * mesh run plain, or with the OpenMetrics export as `run --openmetrics` makes it. Prints one JSON line:
 * the CPU time of the work (after the modules are loaded: both sides load the same), the OpenMetrics bytes
 * and label sets.
 *
 *   node --expose-gc --import tsx/esm test/bench/export-cost-side.ts plain|export DURATION_S
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario, runScenarioWithRecords } from '../../src/experiment/index.js';
import { metricsTexts, type TextChunks } from '../../src/report/index.js';
import { cpuSeconds } from './measure.js';
import { scenarioWith } from './mesh-throughput.js';

export interface ExportSide {
  readonly cpuMs: number;
  /** CPU ms of the run with its recorders, before the texts (export side only; else 0). */
  readonly recordedMs: number;
  readonly bytes: number;
  readonly series: number;
}

/**
 * Writes the chunks to a new file at `path`, as the report writer does: its free-space check reads their
 * size bound first; without its fsync (I/O wait, not CPU). Returns the bytes.
 */
function writeChunks(path: string, chunks: TextChunks): number {
  if (chunks.maxBytes === undefined) throw new Error('export bench: the export states no size bound');
  const fd = openSync(path, 'wx');
  let bytes = 0;
  try {
    for (const c of chunks) {
      for (let at = 0; at < c.length;) at += writeSync(fd, c, at);
      bytes += c.length;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function side(mode: 'plain' | 'export', durationS: number): ExportSide {
  const scenario = scenarioWith(durationS);
  // The report folder is new for every run (rewriting files would time the file system freeing them).
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-export-bench-'));
  try {
    gc();
    const t0 = cpuSeconds();
    if (mode === 'plain') {
      runScenario(scenario);
      // Each side ends with a full collection, so the export pays for collecting its own garbage.
      gc();
      return { cpuMs: (cpuSeconds() - t0) * 1000, recordedMs: 0, bytes: 0, series: 0 };
    }
    // What `run --openmetrics` records: Istio's series only (Fortio's record is `--fortio`'s).
    const r = runScenarioWithRecords(scenario, { telemetry: true });
    if (r.telemetry === undefined) throw new Error('export bench: the run recorded no telemetry');
    const t1 = cpuSeconds();
    const texts = metricsTexts(r.telemetry);
    const bytes = writeChunks(join(dir, 'openmetrics.txt'), texts.openMetrics);
    writeChunks(join(dir, 'metrics.prom'), texts.prometheus);
    gc();
    return {
      cpuMs: (cpuSeconds() - t0) * 1000,
      recordedMs: (t1 - t0) * 1000,
      bytes,
      series: r.telemetry.series.length,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('export-cost-side.ts')) {
  const mode = process.argv[2];
  if (mode !== 'plain' && mode !== 'export')
    throw new Error('usage: export-cost-side.ts plain|export DURATION_S');
  console.log(JSON.stringify(side(mode, Number(process.argv[3] ?? 60))));
}
