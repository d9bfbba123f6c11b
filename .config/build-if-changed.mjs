// `npm start`'s build step: runs the TypeScript build only when its inputs changed since the last build
// that this script ran and saw succeed. On an up-to-date tree it costs a few dozen stat calls instead of a
// full `tsc` (several seconds).
//
// The inputs' fingerprint is every file under src/ plus the two tsconfigs and package-lock.json (compiler
// version), each as (path, size, mtime). Any change to one (an edit, a new or deleted file, a checkout, an
// older file copied over a newer one) changes the fingerprint and rebuilds: it compares for equality, not
// "newer than", so no clock or copy order can make it skip a needed build. The fingerprint is written to
// dist/ after tsc succeeded, never before, so a failed or interrupted build is retried next time. A
// missing dist/ (a fresh clone) has no fingerprint and builds.
//
// Usage: node .config/build-if-changed.mjs [root]   (root defaults to the repository this file is in)
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
const stampFile = join(root, 'dist', '.build-fingerprint');
const configs = ['tsconfig.json', '.config/tsconfig.build.json', 'package-lock.json'];

/** Every regular file under `dir`, depth first, sorted so the fingerprint does not depend on readdir order. */
function filesUnder(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
    a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
  )) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...filesUnder(path));
    else out.push(path);
  }
  return out;
}

function fingerprint(dir) {
  const hash = createHash('sha256');
  const files = [...filesUnder(join(dir, 'src')), ...configs.map((c) => join(dir, c))];
  for (const file of files) {
    const line = existsSync(file)
      ? (() => {
          const s = statSync(file);
          return `${relative(dir, file)}\u0000${s.size}\u0000${s.mtimeMs}`;
        })()
      : `${relative(dir, file)}\u0000missing`;
    hash.update(line + '\n');
  }
  return hash.digest('hex');
}

const before = fingerprint(root);
const stamp = existsSync(stampFile) ? readFileSync(stampFile, 'utf8').trim() : '';
// The entry point too: a dist/ emptied by hand with the fingerprint left behind still builds.
if (stamp === before && existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  if (process.env.MESHSIM_BUILD_VERBOSE) console.error('build: up to date (sources unchanged)');
} else {
  const tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  const r = spawnSync(process.execPath, [tsc, '-p', join(root, '.config/tsconfig.build.json')], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
  if (process.env.MESHSIM_BUILD_VERBOSE) console.error('build: rebuilt (sources changed)');
  // A source edited while tsc ran leaves the pre-build fingerprint in place: the next start rebuilds.
  writeFileSync(stampFile, `${before}\n`);
}
