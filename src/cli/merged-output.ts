/**
 * What `merge` writes and prints for each kind of experiment: the same report folder and stdout as the
 * one-machine command, through the same report functions.
 *
 * Contents: `writeMergedReport`.
 */
import { join } from 'node:path';
import type { Merged } from '../experiment/index.js';

export async function writeMergedReport(
  merged: Merged,
  out: string | undefined,
  json: boolean,
): Promise<void> {
  const report = await import('../report/index.js');
  switch (merged.kind) {
    case 'compare': {
      const result = merged.result;
      const dir = out ?? join('reports', merged.scenario.name);
      await report.writeReportFolder(dir, await report.comparisonReportFiles(result));
      process.stdout.write(json ? report.comparisonJson(result) : report.comparisonText(result, dir));
      return;
    }
  }
}
