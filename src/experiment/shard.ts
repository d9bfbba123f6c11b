/**
 * Shards: one slice of an experiment's numbered job list, for one machine (or one Kubernetes pod) of
 * several. Shard i of N (0-based here) takes the jobs whose number is i modulo N: every job in exactly
 * one shard for any N, and each shard a mix of every model and point, so shards take about as long as
 * each other (a model or a grid point that is slower than the rest is spread over all of them).
 *
 * Users write shards 1-based (`--shard 2/4`); Kubernetes sets `JOB_COMPLETION_INDEX` 0-based in each pod
 * of an Indexed Job, from the pod's completion-index annotation (kubernetes/kubernetes
 * pkg/controller/job/indexed_job_utils.go, `addCompletionIndexEnvVariable`, commit 0370912). Kubernetes
 * sets no count, so the Job meshsim emits sets `JOB_COMPLETIONS` to its `completions` beside it.
 *
 * Contents: `Shard`, `parseShard`, `shardFromEnvironment`, `resolveShard`, `shardJobIds`, `shardLabel`.
 */

/** Shard `index` (0-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

/** At most this many shards: far more than an experiment has jobs to share (and than a Job's pods). */
export const MAX_SHARDS = 100_000;

type Parsed = { ok: true; shard: Shard } | { ok: false; message: string };

/** `I/N`, 1-based: `1/3`, `2/3`, `3/3`. */
export function parseShard(text: string): Parsed {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  const i = Number(m?.[1]);
  const n = Number(m?.[2]);
  if (m === null || !Number.isSafeInteger(i) || !Number.isSafeInteger(n))
    return { ok: false, message: `expected I/N with whole numbers, 1-based (e.g. 2/4), got "${text}"` };
  if (n < 1 || n > MAX_SHARDS)
    return { ok: false, message: `the shard count must be 1 to ${MAX_SHARDS}, got ${n} in "${text}"` };
  if (i < 1 || i > n)
    return { ok: false, message: `shards are numbered 1 to ${n} (1-based), got ${i} in "${text}"` };
  return { ok: true, shard: { index: i - 1, count: n } };
}

const wholeText = (s: string | undefined) => (s !== undefined && /^\s*\d+\s*$/.test(s) ? Number(s) : NaN);

/**
 * The shard Kubernetes' Indexed Job gives this pod: `JOB_COMPLETION_INDEX` (0-based) of
 * `JOB_COMPLETIONS`; undefined when the index is not set. An index without a count is refused: which
 * slice is this pod's depends on how many there are.
 */
export function shardFromEnvironment(env: Readonly<Record<string, string | undefined>>): Parsed | undefined {
  const rawIndex = env['JOB_COMPLETION_INDEX'];
  if (rawIndex === undefined || rawIndex === '') return undefined;
  const rawCount = env['JOB_COMPLETIONS'];
  const index = wholeText(rawIndex);
  const count = wholeText(rawCount);
  if (rawCount === undefined || rawCount === '')
    return {
      ok: false,
      message: `JOB_COMPLETION_INDEX is ${rawIndex} but JOB_COMPLETIONS is not set: set it to the Job's completions (meshsim --emit-job does), or give --shard I/N`,
    };
  if (!Number.isSafeInteger(count) || count < 1 || count > MAX_SHARDS)
    return {
      ok: false,
      message: `JOB_COMPLETIONS must be a whole number 1 to ${MAX_SHARDS}, got "${rawCount}"`,
    };
  if (!Number.isSafeInteger(index) || index < 0 || index >= count)
    return {
      ok: false,
      message: `JOB_COMPLETION_INDEX must be a whole number 0 to ${count - 1} (0-based, of JOB_COMPLETIONS=${count}), got "${rawIndex}"`,
    };
  return { ok: true, shard: { index, count } };
}

/**
 * The shard to run: `--shard` if given, else the Kubernetes variables, else none (the whole list). Both
 * given and different is refused rather than one silently winning.
 */
export function resolveShard(
  flag: string | undefined,
  env: Readonly<Record<string, string | undefined>>,
): { ok: true; shard: Shard | undefined } | { ok: false; message: string } {
  const fromFlag = flag === undefined ? undefined : parseShard(flag);
  if (fromFlag !== undefined && !fromFlag.ok) return { ok: false, message: `--shard: ${fromFlag.message}` };
  const fromEnv = shardFromEnvironment(env);
  if (fromEnv !== undefined && !fromEnv.ok) return fromEnv;
  if (fromFlag?.ok && fromEnv?.ok) {
    const a = fromFlag.shard;
    const b = fromEnv.shard;
    if (a.index !== b.index || a.count !== b.count)
      return {
        ok: false,
        message: `--shard ${shardLabel(a)} disagrees with JOB_COMPLETION_INDEX=${b.index} JOB_COMPLETIONS=${b.count} (shard ${shardLabel(b)}); give one or the other`,
      };
  }
  return { ok: true, shard: fromFlag?.ok ? fromFlag.shard : fromEnv?.ok ? fromEnv.shard : undefined };
}

/** The numbers of the jobs of `shard` among `total` jobs, ascending. */
export function shardJobIds(total: number, shard: Shard): number[] {
  const ids: number[] = [];
  for (let id = shard.index; id < total; id += shard.count) ids.push(id);
  return ids;
}

/** `2/4` for shard index 1 of 4: as users write it. */
export function shardLabel(shard: Shard): string {
  return `${shard.index + 1}/${shard.count}`;
}
