/**
 * CSV text from rows with fast-csv: a header line always (even without rows), every line newline-ended.
 *
 * Cells reach spreadsheets, which run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
 * return as a formula (CSV injection). Text cells that start so are neutralised as OWASP's CSV Injection
 * page recommends: a leading `'` makes the spreadsheet show the text as text. Numbers stay numbers (a
 * negative difference is data, not a formula), and so does text that is exactly a plain number.
 */
import { writeToString } from 'fast-csv';

/** A CSV row: column name to value; null is written as an empty cell. */
export type CsvRow = Record<string, string | number | boolean | null>;

const FORMULA_START = /^[=+\-@\t\r]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?%?$/;

/** A text cell a spreadsheet will not evaluate (OWASP: prefix a single quote). */
export function neutraliseCell(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

function safeRow(row: CsvRow): CsvRow {
  const out: CsvRow = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'string' ? neutraliseCell(v) : v;
  return out;
}

/** Rows as CSV text in the given column order. */
export async function csvText(rows: readonly CsvRow[], headers: readonly string[]): Promise<string> {
  return writeToString(rows.map(safeRow), {
    headers: headers.map(neutraliseCell),
    alwaysWriteHeaders: true,
    includeEndRowDelimiter: true,
  });
}
