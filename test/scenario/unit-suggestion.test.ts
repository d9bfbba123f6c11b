/** Units written as spoken (`400/sec`, `90 seconds`) get the format's spelling as a "did you mean". */
import { describe, expect, it } from 'vitest';
import { bareDurationHint, unitSuggestion } from '../../src/scenario/unit-suggestion.js';

describe('scenario/unit-suggestion', () => {
  it('unitSuggestion rewrites spoken rate and duration units, and nothing else', () => {
    expect(unitSuggestion('400/sec')).toBe('400/s');
    expect(unitSuggestion('400 per second')).toBe('400/s');
    expect(unitSuggestion('30 requests per minute')).toBe('30/m');
    expect(unitSuggestion('90 seconds')).toBe('90s');
    expect(unitSuggestion('2 min')).toBe('2m');
    expect(unitSuggestion('1.5 hours')).toBe('1.5h');
    expect(unitSuggestion('400/fortnight')).toBeUndefined();
    expect(unitSuggestion('fast')).toBeUndefined();
    expect(unitSuggestion(400)).toBeUndefined();
  });

  it('bareDurationHint: a plain number under a second reads as milliseconds, so suggest seconds', () => {
    expect(bareDurationHint(90)).toBe('90s');
    expect(bareDurationHint(90_000)).toBeUndefined();
    expect(bareDurationHint('90s')).toBeUndefined();
  });
});
