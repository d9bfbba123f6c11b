/**
 * The CLI's memory check before simulating: the largest estimated simulation of the command against one
 * thread's heap limit (this process's; worker threads get the same) and, times the workers that will run
 * at once, against the machine's memory. `--allow-large` lifts it.
 */
import { totalmem } from 'node:os';
import { getHeapStatistics } from 'node:v8';
import type { Scenario } from '../scenario/index.js';
import { UsageError } from './exit-code.js';

export async function refuseIfMemoryTooLarge(
  file: string,
  scenarios: readonly Scenario[],
  jobs: number,
  workers: number,
  allowLarge: boolean,
): Promise<void> {
  if (allowLarge) return;
  const { simulationHeapBytes, memoryLimitExceeded } = await import('../scenario/index.js');
  const perSimulation = Math.max(0, ...scenarios.map(simulationHeapBytes));
  const tooLarge = memoryLimitExceeded(perSimulation, {
    workers,
    jobs,
    heapLimitBytes: getHeapStatistics().heap_size_limit,
    totalMemoryBytes: totalmem(),
  });
  if (tooLarge !== undefined) throw new UsageError(`${file}: ${tooLarge}; nothing was run.`);
}
