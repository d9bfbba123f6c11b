/**
 * Envoy's earliest-deadline-first schedule for weighted round robin (envoyproxy/envoy
 * source/common/upstream/edf_scheduler.h, `EdfScheduler`): every host holds a deadline; a pick takes the
 * earliest (ties to the lowest insertion order), moves the clock to it and re-adds the host at clock +
 * 1/weight. Envoy rebuilds the schedule whenever the host set changes (an ejection included), so this one
 * rebuilds when the candidates differ from those it was built on. Only weighted ROUND_ROBIN uses it: the
 * unweighted rotation stays a counter. A linear scan replaces Envoy's heap; the order of picks is the same.
 */
export class EdfSchedule {
  private members = new Int32Array(0);
  private count = 0;
  private deadline = new Float64Array(0);
  private order = new Float64Array(0);
  private now = 0;
  private nextOrder = 0;

  /**
   * The next host among `candidates[0..count)` by `weights` (indexed by host). `prePicks` is how many picks
   * a new schedule starts after, as Envoy's `createWithPicks` seeds each scheduler at a random point.
   */
  pick(candidates: ArrayLike<number>, count: number, weights: Float64Array, prePicks: number): number {
    if (!this.builtOn(candidates, count)) this.build(candidates, count, weights, prePicks);
    return this.next(weights);
  }

  private builtOn(candidates: ArrayLike<number>, count: number): boolean {
    if (count !== this.count) return false;
    for (let i = 0; i < count; i++) if (this.members[i] !== candidates[i]) return false;
    return true;
  }

  /**
   * `EdfScheduler::createWithPicks`, arithmetic included: each weight gains 1e-13 for the initial
   * deadlines (Envoy's guard against weights that are multiples of each other), `picks` are emulated in
   * bulk (⌊P·w/W⌋ per host), and the remainder is picked one by one with the plain weights.
   */
  private build(candidates: ArrayLike<number>, count: number, weights: Float64Array, picks: number): void {
    if (this.members.length < count) {
      this.members = new Int32Array(count);
      this.deadline = new Float64Array(count);
      this.order = new Float64Array(count);
    }
    this.count = count;
    let sum = 0;
    for (let i = 0; i < count; i++) sum += (weights[candidates[i] as number] as number) + 1e-13;
    let picked = 0;
    let maxPickTime = 0;
    for (let i = 0; i < count; i++) {
      const h = candidates[i] as number;
      const w = (weights[h] as number) + 1e-13;
      let floor = Math.trunc((w * picks) / sum);
      if (floor > 0 && floor / w >= picks / sum) floor--;
      this.members[i] = h;
      this.deadline[i] = (floor + 1) / w;
      this.order[i] = i;
      maxPickTime = Math.max(maxPickTime, floor / w);
      picked += floor;
    }
    this.now = maxPickTime;
    this.nextOrder = count;
    for (; picked < picks; picked++) this.next(weights);
  }

  private next(weights: Float64Array): number {
    let best = 0;
    for (let i = 1; i < this.count; i++) {
      const d = this.deadline[i] as number;
      const b = this.deadline[best] as number;
      if (d < b || (d === b && (this.order[i] as number) < (this.order[best] as number))) best = i;
    }
    const h = this.members[best] as number;
    this.now = this.deadline[best] as number;
    this.deadline[best] = this.now + 1 / (weights[h] as number);
    this.order[best] = this.nextOrder++;
    return h;
  }
}
