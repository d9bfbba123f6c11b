/**
 * `--shard I/N` and `--parts DIR` for the commands whose work is a numbered job list (compare, sweep,
 * capacity): with a shard (the flag, or Kubernetes' JOB_COMPLETION_INDEX and JOB_COMPLETIONS), the command
 * runs its slice of the jobs and writes them as a parts file for `meshsim merge`, instead of a report.
 *
 * Contents: `shardOf`, `runShard`, `emitJobIfAsked`, `ShardArgs` (the flags themselves: flags.ts).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Experiment, Shard } from '../experiment/index.js';
import { MESHSIM_VERSION } from '../experiment/version.js';
import { UsageError } from './exit-code.js';
import type { ShardFlagArgs, SimulationArgs } from './flags.js';
import { progressBar } from './progress.js';
import { asInvoked } from './invoked-as.js';

/** What the shard functions read: the shard flags and the output flags they refuse or pass on. */
export type ShardArgs = ShardFlagArgs &
  Pick<SimulationArgs, 'out' | 'checkSlo' | 'json' | 'allowLarge' | 'workers'> & {
    file?: string | undefined;
  };

/** `--emit-job`: prints the Job for the experiment and returns true; false when not asked. */
export async function emitJobIfAsked<R>(
  experiment: Experiment<R>,
  args: ShardArgs,
  command: string,
): Promise<boolean> {
  if (!args.emitJob) return false;
  const { emitJobText, requestFlags } = await import('./emit-job.js');
  const file = args.file ?? '';
  const shards = args.shards ?? 4;
  if (shards > experiment.jobs)
    throw new UsageError(
      `meshsim: --shards ${shards}: the ${command} has ${experiment.jobs} jobs, so at most ${experiment.jobs} shards have work`,
    );
  process.stdout.write(
    emitJobText({
      command,
      file,
      fileText: await readFile(file, 'utf8'),
      scenario: experiment.scenarios[0]?.name ?? command,
      flags: requestFlags(experiment.request, args.allowLarge),
      shards,
      image: args.image ?? `meshsim:${MESHSIM_VERSION}`,
      workers: args.workers ?? 2,
      jobs: experiment.jobs,
    }),
  );
  return true;
}

/** The shard to run, from the flag or the environment; bad values are bad input. */
export async function shardOf(args: ShardArgs): Promise<Shard | undefined> {
  const { resolveShard } = await import('../experiment/index.js');
  const r = resolveShard(args.shard, process.env);
  if (!r.ok) throw new UsageError(`meshsim: ${r.message}`);
  if (r.shard !== undefined && args.checkSlo)
    throw new UsageError(
      'meshsim: --check-slo: a shard has no result to check; give --check-slo to meshsim merge',
    );
  if (r.shard !== undefined && args.out !== undefined)
    throw new UsageError(
      'meshsim: --out: a shard writes parts (--parts), not a report; meshsim merge --out writes the report',
    );
  return r.shard;
}

/** Runs the shard's jobs and writes its parts file; prints where, and what to run next. */
export async function runShard<R>(
  experiment: Experiment<R>,
  shard: Shard,
  args: ShardArgs,
  workers: number,
): Promise<void> {
  const { runExperimentJobs, shardJobIds, shardLabel, writeShardParts, PartsProblem } =
    await import('../experiment/index.js');
  const name = experiment.scenarios[0]?.name ?? 'experiment';
  const dir = args.parts ?? join('parts', name);
  const ids = shardJobIds(experiment.jobs, shard);
  const bar = progressBar(`shard ${shardLabel(shard)} of ${name}`, !args.json);
  const results = await runExperimentJobs(experiment, ids, {
    workers,
    // In worker threads only (isolate): a shard out of memory is a message and exit 2, which the Job's
    // podFailurePolicy treats as bad input, not a V8 crash it would retry.
    isolate: true,
    ...(bar ? { onProgress: bar.update } : {}),
  });
  bar?.stop();
  let path: string;
  try {
    path = await writeShardParts(dir, experiment, shard, results);
  } catch (e) {
    if (e instanceof PartsProblem) throw new UsageError(`meshsim: --parts: ${e.message}`);
    throw e;
  }
  if (args.json) {
    process.stdout.write(
      `${JSON.stringify({ shard: shardLabel(shard), jobs: ids.length, of: experiment.jobs, parts: path })}\n`,
    );
    return;
  }
  process.stdout.write(
    `meshsim: shard ${shardLabel(shard)}: ${ids.length} of ${experiment.jobs} jobs of ${experiment.kind} ${name} -> ${path}\n` +
      asInvoked(`Once every shard is done: meshsim merge ${dir}\n`),
  );
}
