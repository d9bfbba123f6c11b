import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ConnectedHosts } from '../../src/mesh/connected-hosts.js';

const members = (c: ConnectedHosts) => {
  const out: number[] = [];
  c.forEach((h) => out.push(h));
  return out.sort((a, b) => a - b);
};

describe('mesh/connected-hosts', () => {
  it('answers as a Set through random connects and resets, across the switch from table to bitset', () => {
    fc.assert(
      fc.property(
        // Views up to 4,096 hosts start as a bitset; larger ones as a table that may switch.
        fc.oneof(fc.integer({ min: 1, max: 4200 }), fc.integer({ min: 4097, max: 20_000 })),
        fc.array(fc.tuple(fc.nat(), fc.boolean()), { maxLength: 400 }),
        (hosts, ops) => {
          const c = new ConnectedHosts(hosts);
          const model = new Set<number>();
          for (const [x, on] of ops) {
            const h = x % hosts;
            c.set(h, on);
            if (on) model.add(h);
            else model.delete(h);
            expect(c.has(h)).toBe(on);
          }
          expect(c.size).toBe(model.size);
          expect(members(c)).toEqual([...model].sort((a, b) => a - b));
          for (let h = 0; h < Math.min(hosts, 200); h++) expect(c.has(h)).toBe(model.has(h));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a busy set is bounded by one bit per host of the view (the bitset), however many hosts it met', () => {
    const c = new ConnectedHosts(2082);
    for (let h = 0; h < 2082; h++) c.set(h, true);
    expect(c.size).toBe(2082);
    // 66 words of 32 bits: the whole view; a hash table of 2,082 hosts would take 32 KB.
    expect((c as unknown as { bits: Int32Array }).bits.length).toBe(66);
  });

  it('a view of up to 4,096 hosts takes its bitset on the first connection; a larger one a table first', () => {
    const inner = (c: ConnectedHosts) => c as unknown as { bits: Int32Array | undefined; sparse: unknown };
    const small = new ConnectedHosts(4096);
    expect(inner(small).bits).toBeUndefined();
    small.set(4095, true);
    expect(inner(small).bits?.length).toBe(128);
    expect(inner(small).sparse).toBeUndefined();
    const large = new ConnectedHosts(4097);
    large.set(4096, true);
    expect(inner(large).bits).toBeUndefined();
    expect(large.has(4096)).toBe(true);
  });

  it('refuses a host outside the view (a pick outside the view is a bug, not a new host)', () => {
    expect(() => new ConnectedHosts(10).set(10, true)).toThrow(/outside the view/);
    expect(() => new ConnectedHosts(10).set(-1, true)).toThrow(/outside the view/);
  });
});
