/**
 * Flags that yargs cannot check in plain words by itself. Whole numbers are declared without a type, so
 * yargs hands over what was typed (a number when it reads as one, else the text) and they are checked
 * here: `--seed abc` says `got "abc"` rather than `NaN`, and a flag given twice is named.
 *
 * Contents: `wholeNumber`, `isoTime`, `modelList`, `reportFlags`.
 */
import type { Argv } from 'yargs';
import { UsageError } from './exit-code.js';

/** What yargs hands a coerce function: a number or the text, or an array when the flag was given twice. */
type Raw = string | number | readonly (string | number)[] | undefined;

function single(flag: string, raw: Raw): string | undefined {
  if (Array.isArray(raw)) throw new Error(`${flag} was given ${raw.length} times; give it once`);
  return raw === undefined ? undefined : String(raw);
}

/** A coerce function for a whole-number flag of at least `min`, with `what` saying what it counts. */
export function wholeNumber(flag: string, min: number, what = ''): (raw: Raw) => number | undefined {
  return (raw) => {
    const text = single(flag, raw);
    if (text === undefined) return undefined;
    const n = Number(text.trim());
    if (text.trim() === '' || !/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < min) {
      const got = text === '' ? 'nothing' : `"${text}"`;
      throw new Error(`${flag}: expected a whole number >= ${min}${what}, got ${got}`);
    }
    return n;
  };
}

/** A coerce function for an ISO 8601 UTC time flag (`2026-01-01T00:00:00Z`), to ms since the epoch. */
export function isoTime(flag: string): (raw: Raw) => number | undefined {
  return (raw) => {
    const text = single(flag, raw);
    if (text === undefined) return undefined;
    const ms = Date.parse(text);
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/.test(text) || Number.isNaN(ms)) {
      throw new Error(`${flag}: expected an ISO 8601 UTC time such as 2026-01-01T00:00:00Z, got "${text}"`);
    }
    return ms;
  };
}

/** `--models a,b`: names separated by commas, none empty. */
export function modelList(raw: Raw): string[] | undefined {
  const text = single('--models', raw);
  if (text === undefined) return undefined;
  const names = text.split(',').map((s) => s.trim());
  if (names.some((n) => n === '')) {
    throw new Error(
      `--models: expected model names separated by commas (e.g. multi-primary,primary-remote), got "${text}"`,
    );
  }
  return names;
}

/** `--istio-config [CLUSTER=]PATH` (repeatable): Istio resource files or folders applied after the scenario's routing. */
export const ISTIO_CONFIG_OPTION = {
  type: 'string',
  array: true,
  nargs: 1,
  describe:
    "Istio resource file or folder (VirtualServices, DestinationRules, Gateways, ServiceEntries; multi-document, List) applied after the scenario routing, in every cluster; CLUSTER=PATH applies it to that cluster's API server only (seen by the istiods that read that cluster under each model); repeatable",
} as const;

/**
 * The flags every command that simulates a scenario file ends with (`run`, `compare`): the report folder,
 * JSON output, the size-limit escape and the SLO check; and the refusal, in plain words, of no file.
 */
export function reportFlags(
  y: Argv,
  command: 'run' | 'compare',
  says: { readonly json: string; readonly checkSlo: string },
): Argv {
  return y
    .option('out', {
      type: 'string',
      describe: `Report folder: a new path, an empty folder, or a meshsim report folder (one with .meshsim-report.json); anything else is refused, and so is a symbolic link (default: reports/<scenario name>/${command === 'run' ? 'run-<model>' : 'compare'}; none with --json)`,
    })
    .option('force', {
      type: 'boolean',
      default: false,
      describe: `Let --out replace a meshsim report of another kind (a ${command === 'run' ? 'comparison' : 'run'}); never a folder meshsim did not write`,
    })
    .option('json', { type: 'boolean', default: false, describe: says.json })
    .option('allow-large', {
      type: 'boolean',
      default: false,
      describe: 'Run a file over its size limits (report.maxRequests; a safety net against a stray zero)',
    })
    .option('check-slo', { type: 'boolean', default: false, describe: says.checkSlo })
    .option('istio-config', ISTIO_CONFIG_OPTION)
    .check((a) => {
      if (a.file === undefined) {
        throw new UsageError(
          `meshsim ${command}: no scenario file given. Name one, e.g. meshsim ${command} scenarios/quickstart.yaml, or write a starter with meshsim init.\nRun "meshsim --help" for usage.`,
        );
      }
      return true;
    });
}
