/**
 * A progress bar on stderr when it is a terminal (cli-progress: maintained, handles redraws and widths);
 * nothing at all when output is piped or `--json` is given, so logs and pipelines stay clean.
 */
import cliProgress from 'cli-progress';

export interface Progress {
  update(fraction: number): void;
  stop(): void;
}

/**
 * A bar that shows simulations done out of `simulations` and an estimate of the time left (from the
 * rate so far: cli-progress's ETA), e.g. `comparing quickstart [=====-----] 12/36 simulations | ETA 14s`.
 */
export function progressBar(label: string, enabled: boolean, simulations = 1): Progress | undefined {
  if (!enabled || !process.stderr.isTTY) return undefined;
  const total = Math.max(1, simulations);
  const bar = new cliProgress.SingleBar(
    {
      format: `${label} [{bar}] {done}/${total} simulations | {percentage}% | ETA {eta_formatted}`,
      stream: process.stderr,
      hideCursor: true,
      clearOnComplete: true,
      etaBuffer: 20,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(1000, 0, { done: 0 });
  return {
    update: (f) => bar.update(Math.round(f * 1000), { done: Math.min(total, Math.floor(f * total)) }),
    stop: () => bar.stop(),
  };
}
