/**
 * The command a user can paste to run meshsim again the way they just did, so that a printed next step
 * works where they are: `meshsim` when it was run through an installed `meshsim` bin (a global install,
 * npm link); `npx meshsim` when run through npx or a project's node_modules/.bin (not on PATH outside npm);
 * else `node <the script they ran>` (`node dist/cli/main.js` in a clone, as `npm start` runs it).
 *
 * Results keep meshsim's own words: the JSON `rerun` field (and the report pages that show it) says
 * `meshsim run ...` whoever ran it, so that a report is the same bytes however meshsim was started;
 * only what is printed to the terminal is rewritten (`asInvoked`).
 *
 * Contents: `invokedAs`, `asInvoked`.
 */
import { basename, relative, sep } from 'node:path';

export function invokedAs(
  argv: readonly string[] = process.argv,
  cwd = process.cwd(),
  env: NodeJS.ProcessEnv = process.env,
): string {
  const script = argv[1];
  if (script === undefined) return 'meshsim';
  if (basename(script) === 'meshsim') {
    const local = script.includes(`${sep}node_modules${sep}.bin${sep}`);
    return env['npm_command'] === 'exec' || local ? 'npx meshsim' : 'meshsim';
  }
  const path = relative(cwd, script);
  return `node ${path.startsWith('..') || path === '' ? script : path}`;
}

/**
 * Where meshsim prints a command to paste: a `rerun:` line, "rerun alone:", "That run alone:", `Run
 * "meshsim --help"`, "e.g. meshsim run ...", "a starter with meshsim init", "Once every shard is done:
 * meshsim merge", "give --check-slo to meshsim merge", "meshsim compare <file>".
 */
const COMMAND_AT =
  /(^rerun: |rerun alone: |That run alone: |Run "|e\.g\. |starter with |(?:meshsim init|shard is done|then): |to |on your own topology: |\()meshsim (?=--help|(?:run|compare|sweep|capacity|merge|validate|init|report|models|import)\b)/gm;

/**
 * `text` with every pasteable meshsim command in it (the forms above) started the way meshsim was
 * started. Other mentions of meshsim (a message's `meshsim:` prefix, "a meshsim report folder") are left.
 */
export function asInvoked(text: string, me: string = invokedAs()): string {
  if (me === 'meshsim') return text;
  return text.replace(COMMAND_AT, `$1${me} `);
}
