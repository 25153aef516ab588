// A size series, one point per step, updated by live counts: a count lands in the step it was
// seen in, the steps in between carry the count before (as GET /v1/segments/:id/history does
// for steps without changes), and movers seen late are added to their own, earlier step.

export interface SizePoint {
  /** Start of the step, epoch seconds. */
  readonly t: number;
  readonly count: number;
  readonly entered: number;
  readonly exited: number;
}

export interface Seen {
  /** When the count was seen, epoch seconds. */
  readonly at: number;
  readonly count: number;
  readonly entered: number;
  readonly exited: number;
}

/** The series after `seen`, keeping `spanSeconds` behind its newest step; `points` is not changed. */
export function recordPoint(
  points: readonly SizePoint[],
  stepSeconds: number,
  spanSeconds: number,
  seen: Seen,
): SizePoint[] {
  const t = Math.floor(seen.at / stepSeconds) * stepSeconds;
  const next = [...points];
  const last = next.at(-1);
  if (last !== undefined && t < last.t) {
    // A later step already holds a newer count: only the movers belong here.
    return next.map((p) => (p.t === t ? moved(p, seen) : p));
  }
  for (let s = last === undefined ? t : last.t + stepSeconds; s < t; s += stepSeconds) {
    next.push({ t: s, count: last!.count, entered: 0, exited: 0 });
  }
  if (last?.t === t) next[next.length - 1] = { ...moved(last, seen), count: seen.count };
  else next.push({ t, count: seen.count, entered: seen.entered, exited: seen.exited });
  return next.filter((p) => p.t >= t - spanSeconds);
}

const moved = (p: SizePoint, seen: Seen): SizePoint => ({
  ...p,
  entered: p.entered + seen.entered,
  exited: p.exited + seen.exited,
});
