/**
 * What the OpenMetrics export costs a run: the bench mesh (3 clusters, 12 services, 4,000 requests/s) run
 * plain (`runScenario`) and with Istio telemetry and Fortio records kept and both metric files written as
 * `run --openmetrics` writes them (`runScenarioWithTelemetry`, then `openMetricsChunks` and
 * `prometheusChunks` streamed to files in the system's temporary folder), interleaved; medians of 5 of this
 * process's CPU time (user + system), which a machine shared with other work disturbs far less than wall
 * time. Target: the export adds under 10% (issue 15).
 */
import { closeSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScenario, runScenarioWithTelemetry } from '../../src/experiment/index.js';
import { openMetricsChunks, prometheusChunks, type TextChunks } from '../../src/report/index.js';
import { scenarioWith } from './mesh-throughput.js';

/** CPU time of this process so far, in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

/** Writes the chunks to `path`, as the report writer does (without its fsync); returns the bytes. */
function writeChunks(path: string, chunks: TextChunks): number {
  const fd = openSync(path, 'w');
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

export function exportCostBench(durationS = 60, repeats = 5): boolean {
  const scenario = scenarioWith(durationS);
  const dir = mkdtempSync(join(tmpdir(), 'meshsim-export-bench-'));
  const plain: number[] = [];
  const exported: number[] = [];
  let bytes = 0;
  let series = 0;
  try {
    for (let i = 0; i <= repeats; i++) {
      const t0 = cpuMs();
      runScenario(scenario);
      const t1 = cpuMs();
      const r = runScenarioWithTelemetry(scenario);
      bytes = writeChunks(join(dir, 'openmetrics.txt'), openMetricsChunks(r.telemetry));
      writeChunks(join(dir, 'metrics.prom'), prometheusChunks(r.telemetry));
      const t2 = cpuMs();
      series = r.telemetry.series.length;
      if (i === 0) continue; // warm-up
      plain.push((t1 - t0) / 1000);
      exported.push((t2 - t1) / 1000);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const ratio = median(exported) / median(plain);
  const pass = ratio < 1.1;
  console.log('');
  console.log(
    `OpenMetrics export: the bench mesh, ${durationS} s simulated, median of ${repeats} interleaved`,
  );
  console.log(`  run                  : ${median(plain).toFixed(2)} s CPU`);
  console.log(
    `  run + export         : ${median(exported).toFixed(2)} s CPU (${series} label sets, ${(bytes / 2 ** 20).toFixed(1)} MB of OpenMetrics written)`,
  );
  console.log(`  export / run         : ${ratio.toFixed(3)}  (target < 1.10) ${pass ? 'PASS' : 'MISS'}`);
  return pass;
}
