// Time arithmetic of rules, done here in TypeScript (luxon, segment timezone) so that the SQL
// only compares event_time with DateTime literals and never depends on the server's timezone.
// Times are whole seconds: event_time is stored in seconds and values have their fractions cut.
import { DateTime } from 'luxon';
import { SegstreamError } from '../errors/errors.ts';
import type { CalendarPeriod, TimeUnit, Window } from '../rules/schema.ts';
import { SQL_DATETIME_RANGE_MS, sqlDateTime, sqlNumber } from '../sql/literal.ts';
import { dayDigits, epochDayDigits } from '../store/day.ts';
import { atom, FALSE, type Predicate } from './format.ts';

/** The timezone and as-of time a rule is evaluated in. */
export interface TimeEnv {
  readonly timezone: string;
  /** Whole seconds, in epoch milliseconds. */
  readonly asOfMs: number;
}

export function timeEnv(timezone: string, asOf: number): TimeEnv {
  if (!Number.isFinite(asOf)) throw new RangeError('the as-of time must be a finite number');
  if (!DateTime.fromMillis(0, { zone: timezone }).isValid) {
    throw new SegstreamError('TIMEZONE_INVALID', { timezone });
  }
  return { timezone, asOfMs: cutToSecond(asOf) };
}

function cutToSecond(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

const UNIT_MS: Record<Exclude<TimeUnit, 'month'>, number> = {
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};

/** as-of minus N units: exact durations, except `month` (calendar, clamped to the month's end). */
export function rollingStart(env: TimeEnv, last: number, unit: TimeUnit): number {
  if (unit !== 'month') return env.asOfMs - last * UNIT_MS[unit];
  const start = DateTime.fromMillis(env.asOfMs, { zone: env.timezone }).minus({ months: last });
  return firstOccurrence(start).toMillis();
}

/**
 * Luxon keeps the offset it started from when a wall-clock time happens twice (the autumn DST
 * change), so it may return the second occurrence; docs/rules.md says the first. A wall time
 * skipped in spring is already read as luxon does it (as far after the gap as it was inside it).
 */
function firstOccurrence(time: DateTime): DateTime {
  const zone = time.zone;
  const wall = time.toMillis() + time.offset * 60_000;
  const offsets = [time.minus({ days: 1 }).offset, time.plus({ days: 1 }).offset];
  const readings = offsets
    .map((offset) => wall - offset * 60_000)
    .filter((ms) => DateTime.fromMillis(ms, { zone }).offset * 60_000 === wall - ms);
  return readings.length > 0 ? DateTime.fromMillis(Math.min(...readings), { zone }) : time;
}

/**
 * A time value of a rule: an ISO date-time with an offset, or a date alone, which is midnight in
 * the segment's timezone. Fractions of a second are cut.
 */
export function parseTimeValue(env: TimeEnv, value: unknown, path: string): number {
  const time =
    typeof value === 'string' ? DateTime.fromISO(value, { zone: env.timezone }) : undefined;
  if (!time?.isValid) {
    throw new SegstreamError('RULE_VALUE_INVALID', { path }, `Not an ISO time: ${path}`);
  }
  return cutToSecond(time.toMillis());
}

/** One end of a time range; `strict` for < / >. */
export interface Bound {
  readonly ms: number;
  readonly strict: boolean;
}

/**
 * The events a window selects, besides `event_time <= as-of` which every window has. `empty`
 * when no time can satisfy it.
 */
export interface TimeRange {
  readonly lower?: Bound;
  readonly upper?: Bound;
  readonly empty?: boolean;
}

export function windowRange(env: TimeEnv, window: Window | undefined, path: string): TimeRange {
  if (window === undefined) return {};
  // The schema's TypeBox unions type the unit and period as plain strings; validateRule has
  // checked them against TIME_UNITS and CALENDAR_PERIODS.
  if ('last' in window) {
    const start = rollingStart(env, window.last, window.unit as TimeUnit);
    return clip(env, { lower: { ms: start, strict: true } });
  }
  if ('calendar' in window) return clip(env, calendarRange(env, window.calendar as CalendarPeriod));
  return clip(env, {
    lower: { ms: parseTimeValue(env, window.from, `${path}.from`), strict: false },
    upper: { ms: parseTimeValue(env, window.to, `${path}.to`), strict: true },
  });
}

const ONE = { day: { days: 1 }, week: { weeks: 1 }, month: { months: 1 } } as const;

function calendarRange(env: TimeEnv, period: CalendarPeriod): TimeRange {
  const now = DateTime.fromMillis(env.asOfMs, { zone: env.timezone });
  const unit = period.endsWith('day') ? 'day' : period.endsWith('week') ? 'week' : 'month';
  // luxon's weeks are ISO weeks: they start on Monday.
  const current = now.startOf(unit);
  if (period === 'today' || period === 'this_week' || period === 'this_month') {
    return { lower: { ms: current.toMillis(), strict: false } };
  }
  const previous = current.minus(ONE[unit]).startOf(unit);
  return {
    lower: { ms: previous.toMillis(), strict: false },
    upper: { ms: current.toMillis(), strict: true },
  };
}

/** First and last second a range admits, with every range ending at the as-of time. */
function firstSecond(bound: Bound | undefined): number {
  if (bound === undefined) return Number.NEGATIVE_INFINITY;
  return bound.strict ? Math.floor(bound.ms / 1000) + 1 : Math.ceil(bound.ms / 1000);
}

function lastSecond(bound: Bound | undefined, env: TimeEnv): number {
  const asOf = env.asOfMs / 1000;
  if (bound === undefined) return asOf;
  const last = bound.strict ? Math.ceil(bound.ms / 1000) - 1 : Math.floor(bound.ms / 1000);
  return Math.min(last, asOf);
}

/** Drops bounds that every stored event satisfies anyway, and marks ranges that admit nothing. */
function clip(env: TimeEnv, range: TimeRange): TimeRange {
  const first = firstSecond(range.lower);
  const last = lastSecond(range.upper, env);
  if (first > last) return { empty: true };
  return {
    lower: first > 0 ? range.lower : undefined,
    upper: last < env.asOfMs / 1000 ? range.upper : undefined,
  };
}

/** The first second of a range's lower bound, for comparing ranges; -Infinity when open. */
export function rangeStart(range: TimeRange): number {
  return firstSecond(range.lower);
}

/** `x > bound` / `x >= bound` (lower) or `x < bound` / `x <= bound` (upper). */
export function boundPredicate(x: string, bound: Bound, side: 'lower' | 'upper'): Predicate {
  const op = side === 'lower' ? (bound.strict ? '>' : '>=') : bound.strict ? '<' : '<=';
  return compareTime(x, op, bound.ms);
}

/**
 * x compared with a time. Times outside DateTime's range cannot be literals; the comparison
 * then has the same answer for every present x, so it is written as that answer.
 */
export function compareTime(x: string, op: '<' | '<=' | '>' | '>=', ms: number): Predicate {
  const seconds = Math.floor(ms / 1000);
  const below = seconds < SQL_DATETIME_RANGE_MS.min / 1000;
  const above = seconds > Math.floor(SQL_DATETIME_RANGE_MS.max / 1000);
  if (below) return op.startsWith('>') ? atom(`isNotNull(${x})`) : FALSE;
  if (above) return op.startsWith('<') ? atom(`isNotNull(${x})`) : FALSE;
  return atom(`${x} ${op} ${sqlDateTime(ms)}`);
}

const DAY_MS = 86_400_000;
/** Epoch days of 0001-01-01 and 9999-12-31: the dates whose YYYYMMDD digits sort like them. */
const FIRST_EPOCH_DAY = -719_162;
const LAST_EPOCH_DAY = 2_932_896;

/**
 * A YYYYMMDD date x, which counts as midnight UTC of that date, compared with a time: as whole
 * dates, so the SQL needs no date function (18.16's break before 1970). With m(d) the midnight
 * of date d and B the time: m(x) < B <=> x < the first date whose midnight is >= B (B rounded
 * up to a date), m(x) <= B <=> x <= the date of B (rounded down); likewise for > and >=. A
 * date beyond what the digits can write has the same answer for every present x.
 */
export function compareDay(x: string, op: '<' | '<=' | '>' | '>=', ms: number): Predicate {
  const up = op === '<' || op === '>=';
  const day = up ? Math.ceil(ms / DAY_MS) : Math.floor(ms / DAY_MS);
  if (day < FIRST_EPOCH_DAY) return op.startsWith('>') ? atom(`isNotNull(${x})`) : FALSE;
  if (day > LAST_EPOCH_DAY) return op.startsWith('<') ? atom(`isNotNull(${x})`) : FALSE;
  return atom(`${x} ${op} ${sqlNumber(epochDayDigits(day))}`);
}

/** YYYYMMDD of the as-of time's date in the segment's timezone. */
export function asOfDayDigits(env: TimeEnv): number {
  const t = DateTime.fromMillis(env.asOfMs, { zone: env.timezone });
  return dayDigits(t.year, t.month, t.day);
}
