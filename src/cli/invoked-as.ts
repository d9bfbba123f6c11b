/**
 * The command a user can paste to run meshsim again the way they just did: `meshsim` when it was run
 * through the `meshsim` bin (npm link, a global install, npx), else `node <the script they ran>`, so a
 * printed next step works in a fresh clone without `npm link`.
 *
 * Contents: `invokedAs`.
 */
import { basename, relative } from 'node:path';

export function invokedAs(argv: readonly string[] = process.argv, cwd = process.cwd()): string {
  const script = argv[1];
  if (script === undefined || basename(script) === 'meshsim') return 'meshsim';
  const path = relative(cwd, script);
  return `node ${path.startsWith('..') || path === '' ? script : path}`;
}
