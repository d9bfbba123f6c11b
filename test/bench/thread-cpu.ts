/**
 * CPU seconds of every thread of this process, from Linux's /proc/self/task/<tid>/stat (utime + stime, in
 * clock ticks of 10 ms). On a shared machine the wall clock of a 2-thread run says more about the
 * neighbours than about the pool; the CPU time of the busiest thread is its critical path, which other
 * processes barely change: it estimates what the run would take with a core per thread. Undefined where
 * /proc is missing (macOS).
 */
import { readdirSync, readFileSync } from 'node:fs';

const TICK_SECONDS = 0.01;

export type ThreadCpu = ReadonlyMap<string, number>;

export function threadCpu(): ThreadCpu | undefined {
  try {
    const out = new Map<string, number>();
    for (const tid of readdirSync('/proc/self/task')) {
      let stat: string;
      try {
        stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
      } catch {
        continue; // the thread ended between the listing and the read
      }
      // Fields after the command name (which may hold spaces) start at the state, field 3: utime is 14.
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(tid, (Number(f[11]) + Number(f[12])) * TICK_SECONDS);
    }
    return out;
  } catch {
    return undefined;
  }
}

/** CPU seconds of the thread that worked most between two snapshots (threads started since count whole). */
export function busiestThread(
  before: ThreadCpu | undefined,
  after: ThreadCpu | undefined,
): number | undefined {
  if (before === undefined || after === undefined) return undefined;
  let most = 0;
  for (const [tid, s] of after) most = Math.max(most, s - (before.get(tid) ?? 0));
  return most;
}
