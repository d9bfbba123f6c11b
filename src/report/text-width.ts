/**
 * Text width as a chart will show it, estimated per character. Vega lays out titles, legends and axis
 * labels by measuring text; without a canvas (Node, no native modules) it guesses 0.8 em for every
 * character, about half as wide again as real glyphs, so long titles made SVGs far wider than their plots
 * and pages scaled them down. These widths follow DejaVu Sans, a little wider than Helvetica or Arial, so
 * a reader whose browser substitutes either still sees text fit. Pure arithmetic: same text, same width.
 */

const NARROW = new Set([..." .,:;'|!"]);
const THIN = new Set([...'iljIJ']);
const SLIM = new Set([...'ft()[]{}-/\\']);
const DIGITS = new Set([...'0123456789']);

/** Width of one character in em. */
function charEm(c: string): number {
  if (NARROW.has(c)) return 0.32;
  if (THIN.has(c)) return 0.28;
  if (SLIM.has(c)) return 0.39;
  if (c === 'r') return 0.41;
  if (DIGITS.has(c)) return 0.64;
  if (c === 'm') return 0.97;
  if (c === 'w') return 0.82;
  if (c === 'M') return 0.86;
  if (c === 'W') return 0.99;
  if (c === '%') return 0.95;
  if (c >= 'a' && c <= 'z') return 0.59;
  if (c >= 'A' && c <= 'Z') return 0.72;
  return 0.64;
}

/** Estimated width in pixels of `text` at `fontSize` pixels; bold text is about a tenth wider. */
export function estimateTextWidth(text: string, fontSize: number, bold = false): number {
  let em = 0;
  for (const c of text) em += charEm(c);
  return em * fontSize * (bold ? 1.1 : 1);
}
