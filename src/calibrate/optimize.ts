/**
 * Derivative-free maximisers for the bucket likelihoods of src/calibrate/families.ts: the likelihood of
 * interval-censored counts is smooth in the parameters but its gradient has no convenient closed form for
 * every family (the empirical law's knots move bucket masses piecewise), so a simplex search is used.
 */

/** Maximum of a unimodal function on [a, b] by golden-section search. */
export function goldenMax(f: (x: number) => number, a: number, b: number, iterations = 80): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let x1 = b - g * (b - a);
  let x2 = a + g * (b - a);
  let f1 = f(x1);
  let f2 = f(x2);
  for (let i = 0; i < iterations; i++) {
    if (f1 < f2) {
      a = x1;
      x1 = x2;
      f1 = f2;
      x2 = a + g * (b - a);
      f2 = f(x2);
    } else {
      b = x2;
      x2 = x1;
      f2 = f1;
      x1 = b - g * (b - a);
      f1 = f(x1);
    }
  }
  return (a + b) / 2;
}

/**
 * Maximum of `f` from `start` by the Nelder-Mead simplex (standard coefficients 1, 2, 0.5, 0.5), restarted
 * from its own answer until a restart gains less than `tolerance` (a collapsed simplex is the method's
 * known failure; a restart re-inflates it). -Infinity marks an infeasible point and is simply never chosen.
 */
export function nelderMeadMax(
  f: (x: readonly number[]) => number,
  start: readonly number[],
  step = 0.3,
  iterations = 400,
  tolerance = 1e-7,
): { x: number[]; value: number } {
  let best = { x: [...start], value: f(start) };
  for (let restart = 0; restart < 6; restart++) {
    const r = simplex(f, best.x, step, iterations);
    const gained = r.value - best.value;
    if (r.value > best.value || !Number.isFinite(best.value)) best = r;
    if (Number.isFinite(best.value) && !(gained > tolerance)) break;
  }
  return best;
}

function simplex(
  f: (x: readonly number[]) => number,
  start: readonly number[],
  step: number,
  iterations: number,
): { x: number[]; value: number } {
  const n = start.length;
  const pts: { x: number[]; value: number }[] = [{ x: [...start], value: f(start) }];
  for (let i = 0; i < n; i++) {
    const x = [...start];
    x[i] = (x[i] as number) + step;
    pts.push({ x, value: f(x) });
  }
  const at = (x: number[]) => ({ x, value: f(x) });
  const toward = (a: readonly number[], b: readonly number[], t: number) =>
    a.map((v, i) => v + t * ((b[i] as number) - v));
  for (let it = 0; it < iterations; it++) {
    pts.sort((a, b) => b.value - a.value || 0);
    const worst = pts[n] as { x: number[]; value: number };
    const bestValue = (pts[0] as { value: number }).value;
    if (Number.isFinite(bestValue) && bestValue - worst.value < 1e-10) break;
    const centroid = new Array<number>(n).fill(0);
    for (let k = 0; k < n; k++)
      for (let i = 0; i < n; i++)
        centroid[i] = (centroid[i] as number) + ((pts[k] as { x: number[] }).x[i] as number) / n;
    const reflected = at(toward(worst.x, centroid, 2));
    if (reflected.value > bestValue) {
      const expanded = at(toward(worst.x, centroid, 3));
      pts[n] = expanded.value > reflected.value ? expanded : reflected;
      continue;
    }
    if (reflected.value > (pts[n - 1] as { value: number }).value) {
      pts[n] = reflected;
      continue;
    }
    const contracted = at(toward(worst.x, centroid, 0.5));
    if (contracted.value > worst.value) {
      pts[n] = contracted;
      continue;
    }
    const top = (pts[0] as { x: number[] }).x;
    for (let k = 1; k <= n; k++) pts[k] = at(toward(top, (pts[k] as { x: number[] }).x, 0.5));
  }
  pts.sort((a, b) => b.value - a.value || 0);
  return pts[0] as { x: number[]; value: number };
}
