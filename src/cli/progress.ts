/**
 * A progress bar on stderr when it is a terminal (cli-progress: maintained, handles redraws and widths);
 * nothing at all when output is piped or `--json` is given, so logs and pipelines stay clean.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(fraction: number): void;
  stop(): void;
}

export function progressBar(label: string, enabled: boolean): Progress | undefined {
  if (!enabled || !process.stderr.isTTY) return undefined;
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {percentage}% | {duration_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(100, 0);
  return {
    update: (f) => bar.update(Math.round(f * 100)),
    stop: () => bar.stop(),
  };
}
