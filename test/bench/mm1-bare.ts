/**
 * The baseline: a minimal hand-written M/M/1 loop with a typed-array binary heap, a ring-buffer queue and
 * seedrandom's alea, as in performance-anchors.md. No kernel, no callbacks: what the hardware can do.
 * Exponential draws use the kernel's own sampler function (the ziggurat), as the kernel's M/M/1 does, so
 * that the ratio measures the event set and handler calls, not a difference in how the draws are made.
 */
import seedrandom from 'seedrandom';
import { standardExponential } from '../../src/des/index.js';
import type { MmResult } from './mm1-kernel.js';

export function mm1Bare(customers: number, lambda = 0.9, mu = 1.0, seed = 1): MmResult {
  const arrivalsRng = seedrandom.alea(`${seed}\u0000arrivals`);
  const serviceRng = seedrandom.alea(`${seed}\u0000service`);
  const cap = 1 << 16;
  const heapTime = new Float64Array(cap);
  const heapSeq = new Float64Array(cap);
  const heapKind = new Int8Array(cap);
  const heapData = new Float64Array(cap);
  let size = 0;
  let seq = 0;
  const push = (t: number, kind: number, data: number): void => {
    let i = size++;
    const s = seq++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = heapTime[p] as number;
      if (pt < t || (pt === t && (heapSeq[p] as number) < s)) break;
      heapTime[i] = pt;
      heapSeq[i] = heapSeq[p] as number;
      heapKind[i] = heapKind[p] as number;
      heapData[i] = heapData[p] as number;
      i = p;
    }
    heapTime[i] = t;
    heapSeq[i] = s;
    heapKind[i] = kind;
    heapData[i] = data;
  };
  let popTime = 0;
  let popKind = 0;
  let popData = 0;
  const pop = (): void => {
    popTime = heapTime[0] as number;
    popKind = heapKind[0] as number;
    popData = heapData[0] as number;
    const n = --size;
    const t = heapTime[n] as number;
    const s = heapSeq[n] as number;
    const k = heapKind[n] as number;
    const d = heapData[n] as number;
    let i = 0;
    for (;;) {
      let c = 2 * i + 1;
      if (c >= n) break;
      const r = c + 1;
      if (r < n) {
        const rt = heapTime[r] as number;
        const ct = heapTime[c] as number;
        if (rt < ct || (rt === ct && (heapSeq[r] as number) < (heapSeq[c] as number))) c = r;
      }
      const ct = heapTime[c] as number;
      if (t < ct || (t === ct && s < (heapSeq[c] as number))) break;
      heapTime[i] = ct;
      heapSeq[i] = heapSeq[c] as number;
      heapKind[i] = heapKind[c] as number;
      heapData[i] = heapData[c] as number;
      i = c;
    }
    heapTime[i] = t;
    heapSeq[i] = s;
    heapKind[i] = k;
    heapData[i] = d;
  };
  const ring = new Float64Array(cap);
  let head = 0;
  let qlen = 0;
  let busy = false;
  let arrived = 0;
  let events = 0;
  let sojournSum = 0;
  const meanA = 1 / lambda;
  const meanS = 1 / mu;
  push(meanA * standardExponential(arrivalsRng), 0, 0);
  while (size > 0) {
    pop();
    events++;
    const now = popTime;
    if (popKind === 0) {
      if (!busy) {
        busy = true;
        push(now + meanS * standardExponential(serviceRng), 1, now);
      } else {
        ring[(head + qlen++) & (cap - 1)] = now;
      }
      if (++arrived < customers) push(now + meanA * standardExponential(arrivalsRng), 0, 0);
    } else {
      sojournSum += now - popData;
      if (qlen > 0) {
        const a = ring[head] as number;
        head = (head + 1) & (cap - 1);
        qlen--;
        push(now + meanS * standardExponential(serviceRng), 1, a);
      } else busy = false;
    }
  }
  return { events, meanSojourn: sojournSum / customers };
}
