/**
 * "Did you mean" for units written the way people speak rather than the way the format reads them:
 * `400/sec` or `400 per second` for a rate (`400/s`), `90 seconds` or `2 min` for a duration (`90s`,
 * `2m`). Only a rewrite that the format accepts is suggested; anything else gets no suggestion.
 *
 * Contents: `unitSuggestion`, `bareDurationHint`.
 */
import { parseDuration, parseRate } from './units.js';

/** Unit words and their short forms, longest first so `seconds` is not read as `s` + `econds`. */
const WORDS: readonly (readonly [RegExp, string])[] = [
  [/^(milliseconds?|millis|msecs?)$/, 'ms'],
  [/^(microseconds?|usecs?|µs)$/, 'us'],
  [/^(seconds?|secs?)$/, 's'],
  [/^(minutes?|mins?)$/, 'm'],
  [/^(hours?|hrs?)$/, 'h'],
  [/^days?$/, 'd'],
];

function shortUnit(word: string): string | undefined {
  const w = word.toLowerCase();
  return WORDS.find(([re]) => re.test(w))?.[1];
}

/** A rewrite of `value` in the format's units, when one is accepted as a rate or a duration. */
export function unitSuggestion(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  // A rate: `400/sec`, `400 / second`, `400 per second`, `400 req/s`, `400 requests per minute`.
  const rate = /^(\d+(?:\.\d+)?)\s*(?:req(?:uests?)?|rps)?\s*(?:\/|per)\s*([a-zµ]+)$/i.exec(text);
  if (rate !== null) {
    const unit = shortUnit(rate[2] ?? '');
    const fixed = unit === undefined ? undefined : `${rate[1]}/${unit}`;
    if (fixed !== undefined && parseRate(fixed) !== undefined) return fixed;
  }
  // A duration: `90 seconds`, `2 min`, `1.5 hours`.
  const duration = /^(\d+(?:\.\d+)?)\s*([a-zµ]+)$/i.exec(text);
  if (duration !== null) {
    const unit = shortUnit(duration[2] ?? '');
    const fixed = unit === undefined ? undefined : `${duration[1]}${unit}`;
    if (fixed !== undefined && fixed !== text && parseDuration(fixed) !== undefined) return fixed;
  }
  return undefined;
}

/**
 * For a top-level duration written as a bare number under a second: the format reads it as milliseconds,
 * which for a whole run is almost never what was meant (`duration: 90` is 90 ms, not 90 s).
 */
export function bareDurationHint(value: unknown): string | undefined {
  if (typeof value !== 'number' || value <= 0 || value >= 1000) return undefined;
  return `${value}s`;
}
