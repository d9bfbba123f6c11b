/**
 * Headless Chromium for the report's browser test: Debian's `/usr/bin/chromium`, driven by playwright-core
 * (which downloads no browser of its own). `.ci/run` installs it before `npm test`. Elsewhere a missing
 * Chromium is installed here with apt-get, and where that cannot be done the test fails saying what to
 * run. It is never skipped: a report that does not open in a browser is a failed report.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

const INSTALL = 'apt-get update && apt-get install -y --no-install-recommends chromium';

/** Makes sure `/usr/bin/chromium` exists, installing it outside CI; throws with the fix otherwise. */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.env['CI'] !== undefined) {
    throw new Error(`${CHROMIUM} is missing in CI: .ci/run should have installed it (${INSTALL}).`);
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot) {
    throw new Error(`${CHROMIUM} is missing and this user cannot install it. Run as root: ${INSTALL}`);
  }
  const r = spawnSync('bash', ['-c', `${INSTALL} >/dev/null`], {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.status !== 0 || !existsSync(CHROMIUM)) {
    throw new Error(`Installing Chromium failed (exit ${r.status}); run: ${INSTALL}\n${r.stderr}`);
  }
}

/** Launches headless Chromium with no network chatter of its own (updates, sync, QUIC probes). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
