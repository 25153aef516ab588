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

/** Players who entered and exited in one change (a live update, or a transition: one player). */
export interface Move {
  /** When the change was applied, epoch seconds. */
  readonly at: number;
  /** The change's sequence number (the live update's `seq`, a transition's `seq`). */
  readonly seq: number;
  readonly entered: number;
  readonly exited: number;
}

export type Movers = Pick<SizePoint, 'entered' | 'exited'>;

/** Movers per step start; changes with a sequence at or below `coveredSeq` are left out. */
export function moversByStep(
  moves: readonly Move[],
  stepSeconds: number,
  coveredSeq = -1,
): Map<number, Movers> {
  const steps = new Map<number, Movers>();
  for (const move of moves) {
    if (move.seq <= coveredSeq) continue;
    const t = Math.floor(move.at / stepSeconds) * stepSeconds;
    const sum = steps.get(t) ?? { entered: 0, exited: 0 };
    steps.set(t, { entered: sum.entered + move.entered, exited: sum.exited + move.exited });
  }
  return steps;
}

/** Both counts added per step. */
export function addMovers(a: Map<number, Movers>, b: Map<number, Movers>): Map<number, Movers> {
  const sum = new Map(a);
  for (const [t, m] of b) {
    const s = sum.get(t) ?? { entered: 0, exited: 0 };
    sum.set(t, { entered: s.entered + m.entered, exited: s.exited + m.exited });
  }
  return sum;
}

/**
 * A loaded history with movers known from elsewhere (transitions and live updates): per step the
 * larger count of each. Both count the same changes, each maybe not all of them (a minute is in
 * the history only once it is over and written; the others start late or miss the newest), so
 * the larger is the nearer and neither is added to the other.
 */
export function mergeMovers(points: readonly SizePoint[], known: Map<number, Movers>): SizePoint[] {
  return points.map((p) => {
    const m = known.get(p.t);
    if (m === undefined) return p;
    return { ...p, entered: Math.max(p.entered, m.entered), exited: Math.max(p.exited, m.exited) };
  });
}

export interface SizeChange {
  /** The count now minus the size at the start of the series, or at `since`. */
  readonly change: number;
  /**
   * Start of the step the segment first had a size in (epoch seconds), when it had none at the
   * start of the series: a segment computed within it. Its first computation's players are its
   * size then, not growth.
   */
  readonly since?: number;
}

/** How the size changed over the series up to `count`; undefined without both. */
export function sizeChange(
  points: readonly SizePoint[],
  count: number | null,
): SizeChange | undefined {
  const first = points[0];
  if (count === null || first === undefined) return undefined;
  if (first.count > 0 || first.entered > 0 || first.exited > 0)
    return { change: count - first.count };
  const sized = points.find((p) => p.count > 0);
  if (sized === undefined) return { change: count };
  // Computed in the newest step: its first size and later changes cannot be told apart yet.
  if (sized === points.at(-1)) return { change: 0, since: sized.t };
  return { change: count - sized.count, since: sized.t };
}

/** The points from the step holding `startSeconds` on: a chart starting when a segment began. */
export function fromStep(
  points: readonly SizePoint[],
  stepSeconds: number,
  startSeconds: number | undefined,
): SizePoint[] {
  if (startSeconds === undefined) return [...points];
  const first = Math.floor(startSeconds / stepSeconds) * stepSeconds;
  return points.filter((p) => p.t >= first);
}
