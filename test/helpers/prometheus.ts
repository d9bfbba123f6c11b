/**
 * Debian's Prometheus binaries for tests (`.ci/run` installs the `prometheus` package when missing): run
 * `promtool`, and start a `prometheus` on 127.0.0.1 over a temporary TSDB, stopped by the test's teardown.
 * No service of the package is used.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const PROMTOOL = '/usr/bin/promtool';
export const PROMETHEUS = '/usr/bin/prometheus';

/** Fails (never skips) when the binaries are missing, saying how to get them. */
export function requirePrometheus(): void {
  for (const bin of [PROMTOOL, PROMETHEUS]) {
    if (!existsSync(bin))
      throw new Error(
        `${bin} is missing: apt-get install -y --no-install-recommends prometheus (as .ci/run does)`,
      );
  }
}

export function promtool(
  args: readonly string[],
  stdin?: string,
): { code: number; stdout: string; stderr: string } {
  const r = spawnSync(PROMTOOL, args, { input: stdin ?? '', encoding: 'utf8', maxBuffer: 64 << 20 });
  return { code: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const address = s.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      s.close(() => resolve(port));
    });
  });
}

export interface RunningPrometheus {
  readonly url: string;
  /** Instant query at `timeS` (seconds since the epoch): the vector's samples. */
  query(promql: string, timeS: number): Promise<{ metric: Record<string, string>; value: number }[]>;
  stop(): Promise<void>;
}

/** Starts Prometheus on loopback over the TSDB in `dir` (no scraping, retention long enough for old blocks). */
export async function startPrometheus(dir: string): Promise<RunningPrometheus> {
  const config = join(dir, 'prometheus.yml');
  await writeFile(config, 'global: {}\n');
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    PROMETHEUS,
    [
      `--config.file=${config}`,
      `--storage.tsdb.path=${dir}`,
      `--storage.tsdb.retention.time=100y`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let log = '';
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited: ${log}`);
    try {
      const r = await fetch(`${url}/-/ready`);
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready after 60 s: ${log}`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url,
    stop,
    async query(promql, timeS) {
      const r = await fetch(
        `${url}/api/v1/query?${new URLSearchParams({ query: promql, time: String(timeS) })}`,
      );
      const body = (await r.json()) as {
        status: string;
        error?: string;
        data?: { resultType: string; result: { metric: Record<string, string>; value: [number, string] }[] };
      };
      if (body.status !== 'success' || body.data === undefined) throw new Error(`${promql}: ${body.error}`);
      return body.data.result.map((s) => ({ metric: s.metric, value: Number(s.value[1]) }));
    },
  };
}
