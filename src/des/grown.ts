/**
 * A typed array `capacity` long holding `old`'s elements first: how the event set's parallel slot arrays
 * (event-queue.ts, far-events.ts) grow together. Not on the hot path: they double when full.
 */
type SlotArray = Int32Array | Uint32Array | Float64Array;

export function grown<A extends SlotArray>(old: A, capacity: number): A {
  const fresh = new (old.constructor as new (length: number) => A)(capacity);
  fresh.set(old as ArrayLike<number>);
  return fresh;
}
