/**
 * meshsim's copy of Fortio's histogram against Fortio's own test vectors: fortio/fortio stats/stats_test.go
 * at 45e18710810d864a615618087228996a0a824b2f (TestHistogramExport1, TestHistogramData, TestBucketLookUp).
 */
import { describe, expect, it } from 'vitest';
import {
  FORTIO_BUCKET_VALUES,
  fortioBucket,
  FortioHistogram,
  fortioHistogramData,
  FortioRecorder,
} from '../../src/metrics/index.js';
import { fortioScan } from '../helpers/fortio-scan.js';

describe('FortioHistogram (Fortio stats_test.go vectors)', () => {
  it('TestHistogramExport1: Export().CalcPercentiles([50, 99, 99.9]) marshals to Fortio’s exact JSON', () => {
    const h = new FortioHistogram(0, 10);
    expect(fortioHistogramData(h.state(), [50, 99, 99.9])).toEqual({
      Count: 0,
      Min: 0,
      Max: 0,
      Sum: 0,
      Avg: 0,
      StdDev: 0,
      Data: [],
    });
    for (const v of [-137.4, 251, 501, 751, 1001.67]) h.record(v);
    const text = JSON.stringify(fortioHistogramData(h.state(), [50, 99, 99.9]), null, 1);
    expect(text).toBe(`{
 "Count": 5,
 "Min": -137.4,
 "Max": 1001.67,
 "Sum": 2367.27,
 "Avg": 473.454,
 "StdDev": 394.8242896074151,
 "Data": [
  {
   "Start": -137.4,
   "End": 0,
   "Percent": 20,
   "Count": 1
  },
  {
   "Start": 250,
   "End": 300,
   "Percent": 40,
   "Count": 1
  },
  {
   "Start": 500,
   "End": 600,
   "Percent": 60,
   "Count": 1
  },
  {
   "Start": 700,
   "End": 800,
   "Percent": 80,
   "Count": 1
  },
  {
   "Start": 1000,
   "End": 1001.67,
   "Percent": 100,
   "Count": 1
  }
 ],
 "Percentiles": [
  {
   "Percentile": 50,
   "Value": 550
  },
  {
   "Percentile": 99,
   "Value": 1001.5865
  },
  {
   "Percentile": 99.9,
   "Value": 1001.66165
  }
 ]
}`);
  });

  it('TestHistogramData: percentiles of -1, 0×3, 1, 2, 3, 4, 5×2 with divider 1', () => {
    const h = new FortioHistogram(0, 1);
    h.record(-1);
    h.recordN(0, 3);
    for (const v of [1, 2, 3, 4]) h.record(v);
    h.recordN(5, 2);
    const percs = [0, 1, 10, 25, 40, 50, 60, 70, 80, 90, 99, 100];
    const e = fortioHistogramData(h.state(), percs);
    expect(e.Count).toBe(10);
    expect(e.Avg).toBe(1.9);
    expect(e.Percentiles?.map((p) => p.Value)).toEqual([-1, -1, -1, -0.5, 0, 1, 2, 3, 4, 4.5, 4.95, 5]);
  });

  it('TestBucketLookUp: each value lands in Fortio’s ]start, end] bucket', () => {
    const cases: [number, number, number][] = [
      [11, 10, 11],
      [171, 160, 180],
      [180, 160, 180],
      [801, 800, 900],
      [900, 800, 900],
      [999, 900, 1000],
      [999.99, 900, 1000],
      [1000, 900, 1000],
      [1000.01, 1000, 2000],
      [1001, 1000, 2000],
      [1001.1, 1000, 2000],
      [1999.99, 1000, 2000],
      [2000, 1000, 2000],
      [2001, 2000, 3000],
      [2001.1, 2000, 3000],
      [75000, 50000, 75000],
      [75000.01, 75000, 100000],
      [99999.99, 75000, 100000],
      [100000, 75000, 100000],
      [100000.01, 100000, 1e6],
      [100000.99, 100000, 1e6],
      [100001, 100000, 1e6],
      [523477, 100000, 1e6],
    ];
    for (const [input, start, end] of cases) {
      const h = new FortioHistogram(0, 1);
      h.record(1);
      h.record(1000000);
      h.record(input);
      const b = fortioHistogramData(h.state()).Data[1];
      expect([input, b?.Start, b?.End]).toEqual([input, start, end]);
    }
  });
});

describe('FortioHistogram.record (RecordN(v, 1) written out, the bucket lookup inlined)', () => {
  // Around every bucket value: on it, just past it (the 1e-12 rule on both sides), between two; far out;
  // negative, zero and NaN; random durations in seconds as the Fortio recorder makes them.
  const values: number[] = [0, -0, -1, NaN, 1e-13, 0.5, 1e6, 1e9];
  for (const b of FORTIO_BUCKET_VALUES)
    values.push(b, b + 1e-13, b + 2e-12, b + 0.5, b - 1e-13, b - 2e-12, b - 0.5, b + 1);
  let seed = 12345;
  const random = () => {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
    return seed / 2 ** 32;
  };
  for (let k = 0; k < 2000; k++) values.push((random() * 2000) / 1000, random() * 200);

  it('puts each value in the bucket of Fortio’s scan, at both resolutions the exports use', () => {
    for (const [offset, divider] of [
      [0, 0.001],
      [0, 1],
      [-5, 10],
    ] as const)
      for (const v of values) {
        const h = new FortioHistogram(offset, divider);
        h.record(v);
        const b = h.hdata.findIndex((n) => n > 0);
        expect([v, divider, b]).toEqual([v, divider, fortioScan((v - offset) / divider)]);
        expect([v, fortioBucket((v - offset) / divider)]).toEqual([v, b]);
      }
  });

  it('keeps the same state as RecordN(v, 1), value after value', () => {
    for (const divider of [0.001, 1]) {
      const a = new FortioHistogram(0, divider);
      const b = new FortioHistogram(0, divider);
      for (const v of values) {
        a.record(v);
        b.recordN(v, 1);
      }
      expect(a.state()).toEqual(b.state());
    }
  });
});

describe('FortioRecorder', () => {
  it('counts return codes per traffic source: HTTP codes, Fortio’s -1 for no response, others apart', () => {
    const fortio = new FortioRecorder(['a', 'b'], 100, 1000);
    const codes = [200, 0, -1, 503, 200, 1200, 999, 200.5];
    for (const [k, code] of codes.entries())
      fortio.requestCompleted({
        traffic: 1,
        clientCluster: 0,
        startMs: 100 + k,
        endMs: 110 + k,
        responseCode: code,
        responseFlags: 0,
        clustersCrossed: 0,
      });
    // In warm-up: not counted.
    fortio.requestCompleted({
      traffic: 0,
      clientCluster: 0,
      startMs: 99,
      endMs: 200,
      responseCode: 200,
      responseFlags: 0,
      clustersCrossed: 0,
    });
    const [a, b] = fortio.record().traffic;
    expect(a?.retCodes).toEqual([]);
    expect(a?.durations.Count).toBe(0);
    expect(b?.retCodes).toEqual([
      [-1, 2],
      [200, 2],
      [200.5, 1],
      [503, 1],
      [999, 1],
      [1200, 1],
    ]);
    expect(b?.durations.Count).toBe(codes.length);
    expect(b?.durations.Min).toBe(0.01);
    // Failures (isFailure): no response (0) and 500 on: 0, 503, 1200, 999.
    expect(b?.errorDurations.Count).toBe(4);
  });
});
