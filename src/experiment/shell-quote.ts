/**
 * Words of a printed command line quoted for a POSIX shell, so that a line pasted into a terminal runs
 * exactly what it shows and nothing else: a file named `$(touch x).yaml` stays a file name.
 *
 * Contents: `shellQuote`.
 */

/**
 * Characters that never need quoting (a conservative set: no glob, no expansion, no separators; `=` not
 * first, which zsh expands).
 */
const SAFE = /^[A-Za-z0-9_@%+:,./-][A-Za-z0-9_@%+=:,./-]*$/;

/** `word` as one POSIX shell word: as is when plainly safe, else in single quotes (' as '\''). */
export function shellQuote(word: string): string {
  if (word !== '' && SAFE.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
