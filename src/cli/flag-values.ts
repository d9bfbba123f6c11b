/**
 * Flag values that yargs cannot check in plain words by itself. Whole numbers are declared without a type, so
 * yargs hands over what was typed (a number when it reads as one, else the text) and they are checked
 * here: `--seed abc` says `got "abc"` rather than `NaN`, and a flag given twice is named.
 *
 * Contents: `wholeNumber`, `isoTime`, `modelList`.
 */

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
