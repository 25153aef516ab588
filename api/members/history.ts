// A segment's size over time as an even series: one point per minute or hour from `from` to `to`
// (rounded out to whole steps), each with the count at the end of the step and the transitions
// during it. The engine stores rows only for minutes with changes (and hours, once minutes are
// rolled up), so the count of a step without changes is carried forward from the step before.
import type { SizeHistory } from '../../engine/membership/history.ts';
import { SegstreamError } from '../../engine/errors/errors.ts';

export type Step = 'minute' | 'hour';

export const STEP_MS: Readonly<Record<Step, number>> = { minute: 60_000, hour: 3_600_000 };

/** Points per answer at most: a week of minutes, a leap year of hours. */
export const MAX_POINTS: Readonly<Record<Step, number>> = { minute: 10_080, hour: 8_784 };

export interface SeriesPoint {
  /** Start of the step, epoch milliseconds. */
  readonly at: number;
  readonly count: number;
  readonly entered: number;
  readonly exited: number;
}

export interface Range {
  readonly from: number;
  readonly to: number;
}

/** [from, to) rounded out to whole steps; refused when empty or longer than MAX_POINTS. */
export function seriesRange(from: number, to: number, step: Step): Range {
  const ms = STEP_MS[step];
  const range = { from: Math.floor(from / ms) * ms, to: Math.ceil(to / ms) * ms };
  if (range.to <= range.from) {
    throw new SegstreamError('VALIDATION_FAILED', { path: 'query.to', reason: 'not after from' });
  }
  if ((range.to - range.from) / ms > MAX_POINTS[step]) {
    const reason = `more than ${MAX_POINTS[step]} points of a ${step}`;
    throw new SegstreamError('VALIDATION_FAILED', { path: 'query.from', reason });
  }
  return range;
}

/**
 * The series over `range` (already whole steps). A stored hour inside a minute series counts at
 * the hour's first minute: minutes older than ENGINE_HISTORY_MINUTE_DAYS are kept per hour only.
 */
export function sizeSeries(history: SizeHistory, range: Range, step: Step): SeriesPoint[] {
  const ms = STEP_MS[step];
  const points: SeriesPoint[] = [];
  let count = history.countBefore;
  let next = 0;
  for (let at = range.from; at < range.to; at += ms) {
    let entered = 0;
    let exited = 0;
    for (; next < history.points.length && history.points[next]!.at < at + ms; next++) {
      const p = history.points[next]!;
      entered += p.entered;
      exited += p.exited;
      count = p.count;
    }
    points.push({ at, count, entered, exited });
  }
  return points;
}
