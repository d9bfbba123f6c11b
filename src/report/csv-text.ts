/** CSV text from rows with fast-csv: a header line always (even without rows), every line newline-ended. */
import { writeToString } from 'fast-csv';

/** A CSV row: column name to value; null is written as an empty cell. */
export type CsvRow = Record<string, string | number | boolean | null>;

/** Rows as CSV text in the given column order. */
export async function csvText(rows: readonly CsvRow[], headers: readonly string[]): Promise<string> {
  return writeToString([...rows], {
    headers: [...headers],
    alwaysWriteHeaders: true,
    includeEndRowDelimiter: true,
  });
}
