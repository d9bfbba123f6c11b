/**
 * What the OpenMetrics export costs a run: the bench mesh (3 clusters, 12 services, 4,000 requests/s) run
 * plain (`runScenario`) and with Istio telemetry and Fortio records kept and the OpenMetrics text written
 * (`runScenarioWithTelemetry` + `openMetricsText`), interleaved; medians of 5 of this process's CPU time
 * (user + system), which a machine shared with other work disturbs far less than wall time. Target: the
 * export adds under 10% (issue 15).
 */
import { runScenario, runScenarioWithTelemetry } from '../../src/experiment/index.js';
import { openMetricsText } from '../../src/report/index.js';
import { scenarioWith } from './mesh-throughput.js';

/** CPU time of this process so far, in ms. */
function cpuMs(): number {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

export function exportCostBench(durationS = 60, repeats = 5): boolean {
  const scenario = scenarioWith(durationS);
  const plain: number[] = [];
  const exported: number[] = [];
  let bytes = 0;
  let series = 0;
  for (let i = 0; i <= repeats; i++) {
    const t0 = cpuMs();
    runScenario(scenario);
    const t1 = cpuMs();
    const r = runScenarioWithTelemetry(scenario);
    const text = openMetricsText(r.telemetry);
    const t2 = cpuMs();
    bytes = text.length;
    series = r.telemetry.series.length;
    if (i === 0) continue; // warm-up
    plain.push((t1 - t0) / 1000);
    exported.push((t2 - t1) / 1000);
  }
  const ratio = median(exported) / median(plain);
  const pass = ratio < 1.1;
  console.log('');
  console.log(
    `OpenMetrics export: the bench mesh, ${durationS} s simulated, median of ${repeats} interleaved`,
  );
  console.log(`  run                  : ${median(plain).toFixed(2)} s CPU`);
  console.log(
    `  run + export         : ${median(exported).toFixed(2)} s CPU (${series} label sets, ${(bytes / 2 ** 20).toFixed(1)} MB of OpenMetrics)`,
  );
  console.log(`  export / run         : ${ratio.toFixed(3)}  (target < 1.10) ${pass ? 'PASS' : 'MISS'}`);
  return pass;
}
