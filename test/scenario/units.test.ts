import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  editDistance,
  formatDuration,
  formatPath,
  parseDuration,
  parseFraction,
  parseRate,
  suggest,
} from '../../src/scenario/index.js';

describe('scenario/units', () => {
  it.each([
    ['250ms', 250],
    ['1.5s', 1500],
    ['10m', 600_000],
    ['24h', 86_400_000],
    ['2d', 172_800_000],
    ['.5s', 500],
    [' 3 s ', 3000],
    ['0ms', 0],
    ['1h30m', 5_400_000],
    ['2m15s', 135_000],
    ['1m0.5s', 60_500],
  ] as const)('parseDuration(%j) is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('parseDuration("500us") and parseDuration("500µs") are 0.5 ms', () => {
    expect(parseDuration('500us')).toBeCloseTo(0.5, 12);
    expect(parseDuration('500µs')).toBeCloseTo(0.5, 12);
  });

  it('parseDuration(number) passes milliseconds through', () => {
    expect(parseDuration(0)).toBe(0);
    expect(parseDuration(42)).toBe(42);
    expect(parseDuration(0.25)).toBe(0.25);
  });

  it.each(['10 minutes', '10', '', 'ms', '-5s', '1e3ms', '5 sec', '1,5s', '5S', 'abc'])(
    'parseDuration(%j) is undefined',
    (text) => {
      expect(parseDuration(text)).toBeUndefined();
    },
  );

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('parseDuration(%d) is undefined', (n) => {
    expect(parseDuration(n)).toBeUndefined();
  });

  it.each([
    ['500/s', 0.5],
    ['30000/m', 0.5],
    ['2/ms', 2],
    ['3600/h', 0.001],
    ['100rps', 0.1],
    [' 250 /s ', 0.25],
  ] as const)('parseRate(%j) is %d per ms', (text, perMs) => {
    expect(parseRate(text)).toBeCloseTo(perMs, 12);
  });

  it('parseRate(number) reads requests per second: 800 is 0.8 per ms', () => {
    expect(parseRate(800)).toBeCloseTo(0.8, 12);
    expect(parseRate(0)).toBe(0);
  });

  it.each(['100 per second', '500', '-5/s', '5/d', '/s', ''])('parseRate(%j) is undefined', (text) => {
    expect(parseRate(text)).toBeUndefined();
  });

  it.each([-1, Number.NaN, Number.POSITIVE_INFINITY])('parseRate(%d) is undefined', (n) => {
    expect(parseRate(n)).toBeUndefined();
  });

  it.each([
    ['25%', 0.25],
    ['0%', 0],
    ['100%', 1],
    ['12.5%', 0.125],
    [' 50 % ', 0.5],
  ] as const)('parseFraction(%j) is %d', (text, x) => {
    expect(parseFraction(text)).toBeCloseTo(x, 12);
  });

  it('parseFraction(number) passes a number in [0, 1] through', () => {
    expect(parseFraction(0.3)).toBe(0.3);
    expect(parseFraction(0)).toBe(0);
    expect(parseFraction(1)).toBe(1);
  });

  it.each(['150%', '100.5%', '-5%', '25', 'half', ''])('parseFraction(%j) is undefined', (text) => {
    expect(parseFraction(text)).toBeUndefined();
  });

  it.each([1.5, -0.1, Number.NaN])('parseFraction(%d) is undefined', (n) => {
    expect(parseFraction(n)).toBeUndefined();
  });

  it.each([
    [0, '0ms'],
    [250, '250ms'],
    [1500, '1500ms'],
    [90_000, '90s'],
    [120_000, '2m'],
    [7_200_000, '2h'],
  ] as const)('formatDuration(%d) is %j', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('parseDuration(formatDuration(ms)) is ms for whole milliseconds', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e10 }), (ms) => parseDuration(formatDuration(ms)) === ms),
    );
  });
});

describe('scenario/suggest', () => {
  it.each([
    ['', '', 0],
    ['abc', 'abc', 0],
    ['', 'abc', 3],
    ['kitten', 'sitting', 3],
    ['servics', 'services', 1],
    ['serviceTme', 'serviceTime', 1],
    ['ab', 'ba', 1],
    ['lognormel', 'lognormal', 1],
  ] as const)('editDistance(%j, %j) is %d', (a, b, d) => {
    expect(editDistance(a, b)).toBe(d);
    expect(editDistance(b, a)).toBe(d);
  });

  const topLevel = ['name', 'duration', 'warmup', 'clusters', 'network', 'mesh', 'services', 'traffic'];

  it('suggest("servics", top-level keys) is "services"', () => {
    expect(suggest('servics', topLevel)).toBe('services');
  });

  it('suggest("Traffic", top-level keys) ignores case and keeps the candidate\'s spelling', () => {
    expect(suggest('Traffic', topLevel)).toBe('traffic');
  });

  it('suggest("serviceTme", service keys) is the closest key, "serviceTime"', () => {
    expect(suggest('serviceTme', ['name', 'serviceTime', 'calls', 'concurrency', 'errorRate'])).toBe(
      'serviceTime',
    );
  });

  it('suggest("lognormel", distributions) is "lognormal"', () => {
    const dists = ['constant', 'exponential', 'normal', 'lognormal', 'uniform', 'pareto', 'empirical'];
    expect(suggest('lognormel', dists)).toBe('lognormal');
  });

  it('suggest("clustr", ...) is the closest candidate in either order', () => {
    expect(suggest('clustr', ['clusters', 'cluster'])).toBe('cluster');
    expect(suggest('clustr', ['cluster', 'clusters'])).toBe('cluster');
  });

  it('suggest(a camelCase key cut short at a word boundary) is the one key it starts', () => {
    const prices = ['crossZonePricePerGbEachSide', 'crossRegionPricePerGb', 'requestBytes'];
    expect(suggest('crossZonePrice', prices)).toBe('crossZonePricePerGbEachSide');
    expect(suggest('crossregionprice', prices)).toBe('crossRegionPricePerGb');
    // Not at a word boundary, a start of two keys, or too short to mean one key: no guess.
    expect(suggest('crossZonePr', prices)).toBeUndefined();
    expect(suggest('cross', prices)).toBeUndefined();
    expect(suggest('cert', ['certTtl', 'certRotation'])).toBeUndefined();
    expect(suggest('req', prices)).toBeUndefined();
    // Names have no camelCase boundary: "frontend" is not taken for "frontend-canary-v2".
    expect(suggest('frontend', ['frontend-canary-v2', 'backend'])).toBeUndefined();
  });

  it('suggest(nothing close) is undefined', () => {
    expect(suggest('frobnicate', topLevel)).toBeUndefined();
    expect(suggest('services', [])).toBeUndefined();
  });
});

describe('scenario/issue formatPath', () => {
  it.each([
    [['services', 1, 'calls', 0, 'service'], 'services[1].calls[0].service'],
    [['services', 0, 'calls', 1, 0, 'service'], 'services[0].calls[1][0].service'],
    [['traffic', 0, 'from', 'us-east-1'], 'traffic[0].from.us-east-1'],
    [['duration'], 'duration'],
    [[], '(top level)'],
  ] as const)('formatPath(%j) is %j', (path, text) => {
    expect(formatPath(path)).toBe(text);
  });
});
