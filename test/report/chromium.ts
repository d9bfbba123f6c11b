/**
 * Headless Chromium for the report's browser test: Debian's `/usr/bin/chromium`, driven by playwright-core
 * (which downloads no browser of its own). `.ci/run` installs it before `npm test`. Elsewhere a missing
 * Chromium is installed here with apt-get, and where that cannot be done the test fails saying what to
 * run. It is never skipped: a report that does not open in a browser is a failed report.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's Chromium, or any Chromium or Chrome named by `MESHSIM_CHROMIUM`. */
export const CHROMIUM = process.env['MESHSIM_CHROMIUM'] ?? '/usr/bin/chromium';

const INSTALL = 'apt-get update && apt-get install -y --no-install-recommends chromium';

/** What to do when no Chromium is found and this test cannot install one, for the machine at hand. */
function howToGetChromium(): string {
  const point = 'then point the test at it: MESHSIM_CHROMIUM=<path to the browser binary> npm test';
  const lines = [
    `The report test needs headless Chromium and found none at ${CHROMIUM}.`,
    process.platform === 'darwin'
      ? `On macOS: brew install --cask chromium (or use Google Chrome), ${point}, e.g. MESHSIM_CHROMIUM="/Applications/Google Chrome.app/Contents/MacOS/Google Chrome".`
      : process.platform === 'win32'
        ? `On Windows: install Chrome or Chromium, ${point}.`
        : `On Debian or Ubuntu, as root: ${INSTALL}. Without root: any Chrome or Chromium binary you can run works; ${point}.`,
    'It is never skipped: a report that does not open in a browser is a failed report.',
  ];
  return lines.join('\n');
}

/** Makes sure the browser exists, installing Debian's outside CI when root; throws with the fix otherwise. */
export function ensureChromium(): void {
  if (existsSync(CHROMIUM)) return;
  if (process.env['CI'] !== undefined) {
    throw new Error(`${CHROMIUM} is missing in CI: .ci/run should have installed it (${INSTALL}).`);
  }
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || process.platform !== 'linux' || process.env['MESHSIM_CHROMIUM'] !== undefined) {
    throw new Error(howToGetChromium());
  }
  const r = spawnSync('bash', ['-c', `${INSTALL} >/dev/null`], {
    encoding: 'utf8',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  if (r.status !== 0 || !existsSync(CHROMIUM)) {
    throw new Error(`Installing Chromium failed (exit ${r.status}).\n${howToGetChromium()}\n${r.stderr}`);
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
