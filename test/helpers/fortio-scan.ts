/**
 * Fortio's bucket by its scan (fortio/fortio stats/stats.go `Histogram.record`, as fortio-histogram.ts had
 * it before its lookup table and literals): the reference the tests hold meshsim's lookups to.
 */
import { FORTIO_BUCKET_VALUES } from '../../src/metrics/fortio-histogram.js';

export function fortioScan(scaled: number): number {
  const values = FORTIO_BUCKET_VALUES;
  if (scaled <= (values[0] as number)) return 0;
  if (scaled > (values[values.length - 1] as number)) return values.length;
  let sv = Math.trunc(scaled);
  if (scaled - sv < 1e-12) sv--;
  let i = 0;
  while ((values[i] as number) <= sv) i++;
  return i;
}
