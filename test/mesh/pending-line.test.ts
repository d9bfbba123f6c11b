import { describe, expect, it } from 'vitest';
import { PendingLine } from '../../src/mesh/pending-line.js';

describe('mesh/pending-line', () => {
  it('shift() takes items oldest first, across growth and wrap-around', () => {
    const line = new PendingLine<number>();
    const out: number[] = [];
    // Interleave pushes and shifts so the ring wraps before it grows, then grows while wrapped.
    for (let i = 0; i < 6; i++) line.push(i);
    out.push(line.shift() as number, line.shift() as number, line.shift() as number);
    for (let i = 6; i < 40; i++) line.push(i);
    expect(line.length).toBe(37);
    for (let x = line.shift(); x !== undefined; x = line.shift()) out.push(x);
    expect(out).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(line.length).toBe(0);
  });

  it('remove(ticket) takes an item out of the middle; shift() skips its slot', () => {
    const line = new PendingLine<string>();
    const tickets = ['a', 'b', 'c', 'd'].map((x) => line.push(x));
    line.remove(tickets[1] as number);
    line.remove(tickets[3] as number);
    expect(line.length).toBe(2);
    expect([line.shift(), line.shift(), line.shift()]).toEqual(['a', 'c', undefined]);
  });

  it('remove(ticket) keeps tickets valid while the ring grows', () => {
    const line = new PendingLine<number>();
    line.push(-1);
    line.shift(); // head moves off slot 0, so growth copies a wrapped ring
    const tickets = Array.from({ length: 20 }, (_, i) => line.push(i));
    for (let i = 0; i < 20; i += 2) line.remove(tickets[i] as number);
    const out: number[] = [];
    for (let x = line.shift(); x !== undefined; x = line.shift()) out.push(x);
    expect(out).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
  });

  it('remove(ticket) of an item not waiting throws: an attempt cannot leave a line it is not in', () => {
    const line = new PendingLine<string>();
    const t = line.push('a');
    line.push('b');
    line.remove(t);
    expect(() => line.remove(t)).toThrow(/no such item/);
    expect(() => line.remove(99)).toThrow(/no such item/);
  });
});
