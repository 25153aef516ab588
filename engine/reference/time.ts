// Time for the reference evaluator: every instant is whole epoch seconds (docs/rules.md: times
// have whole-second precision, fractions are cut). Luxon supplies the timezone rules (offsets
// and wall-clock fields); the calendar arithmetic is done here on plain year/month/day numbers
// so that each step of the specification is visible.
import { DateTime, IANAZone } from 'luxon';
import { SegstreamError } from '../errors/errors.ts';
import type { CalendarPeriod, TimeUnit } from '../rules/schema.ts';

/** Wall-clock fields in some timezone; month is 1..12. */
export interface LocalTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const UNIT_SECONDS: Record<Exclude<TimeUnit, 'month'>, number> = {
  minute: 60,
  hour: 3_600,
  day: 86_400,
  week: 604_800,
};

export function secondsOf(epochMs: number): number {
  return Math.floor(epochMs / 1000);
}

function zone(tz: string): IANAZone {
  const z = IANAZone.create(tz);
  if (!z.isValid) throw new SegstreamError('TIMEZONE_INVALID', { field: 'timezone', value: tz });
  return z;
}

export function localTimeOf(seconds: number, tz: string): LocalTime {
  const t = DateTime.fromMillis(seconds * 1000, { zone: zone(tz) });
  return {
    year: t.year,
    month: t.month,
    day: t.day,
    hour: t.hour,
    minute: t.minute,
    second: t.second,
  };
}

/**
 * The instant a wall clock in `tz` shows `local`. A wall time skipped by a DST change (02:30 on
 * a spring-forward day) is read with the offset in force before the change, which lands as far
 * after the gap as it was inside it (03:30); a wall time that occurs twice (autumn) is its
 * first occurrence. This is how JavaScript Date, java.time and Temporal ("compatible") read them.
 */
export function instantOf(local: LocalTime, tz: string): number {
  const z = zone(tz);
  const wall = Date.UTC(
    local.year,
    local.month - 1,
    local.day,
    local.hour,
    local.minute,
    local.second,
  );
  const before = z.offset(wall - 86_400_000);
  const after = z.offset(wall + 86_400_000);
  const readings = [before, after]
    .filter((offset) => z.offset(wall - offset * 60_000) === offset)
    .map((offset) => wall - offset * 60_000);
  const ms = readings.length > 0 ? Math.min(...readings) : wall - before * 60_000;
  return Math.floor(ms / 1000);
}

/** Midnight (the first instant) of a calendar date in `tz`. */
export function startOfDate(year: number, month: number, day: number, tz: string): number {
  return instantOf({ year, month, day, hour: 0, minute: 0, second: 0 }, tz);
}

/** The calendar date `days` days after the given one (negative: before). */
export function addDays(year: number, month: number, day: number, days: number) {
  const d = new Date(Date.UTC(year, month - 1, day + days));
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() };
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** "YYYY-MM-DD" of the instant's calendar day in `tz`: the key of count_days. */
export function localDateKey(seconds: number, tz: string): string {
  const t = localTimeOf(seconds, tz);
  return `${t.year}-${pad(t.month)}-${pad(t.day)}`;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * as-of minus N units. minute..week are exact durations; a month is the same day of month and
 * wall-clock time N calendar months earlier in `tz`, clamped to the end of a shorter month.
 */
export function minusUnits(asOf: number, n: number, unit: TimeUnit, tz: string): number {
  if (unit !== 'month') return asOf - n * UNIT_SECONDS[unit];
  const t = localTimeOf(asOf, tz);
  const monthIndex = t.year * 12 + (t.month - 1) - n;
  const year = Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  return instantOf({ ...t, year, month, day: Math.min(t.day, daysInMonth(year, month)) }, tz);
}

/** A window as an interval of instants: lo ≤ t (or lo < t), t < hi (or t ≤ hi). */
export interface Interval {
  readonly lo: number;
  readonly loOpen: boolean;
  readonly hi: number;
  readonly hiOpen: boolean;
}

export function contains(interval: Interval, t: number): boolean {
  const aboveLo = interval.loOpen ? t > interval.lo : t >= interval.lo;
  const belowHi = interval.hiOpen ? t < interval.hi : t <= interval.hi;
  return aboveLo && belowHi;
}

/** The calendar window `period` at `asOf` in `tz` (docs/rules.md, Windows). */
export function calendarInterval(period: CalendarPeriod, asOf: number, tz: string): Interval {
  const today = localTimeOf(asOf, tz);
  const dayStart = (days: number) => {
    const d = addDays(today.year, today.month, today.day, days);
    return startOfDate(d.year, d.month, d.day, tz);
  };
  // Monday is weekday 0 here: getUTCDay() counts from Sunday.
  const weekday = (new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay() + 6) % 7;
  const monthStart = (back: number) => {
    const index = today.year * 12 + (today.month - 1) - back;
    return startOfDate(Math.floor(index / 12), (index % 12) + 1, 1, tz);
  };
  const upTo = (lo: number): Interval => ({ lo, loOpen: false, hi: asOf, hiOpen: false });
  const between = (lo: number, hi: number): Interval => ({ lo, loOpen: false, hi, hiOpen: true });
  switch (period) {
    case 'today':
      return upTo(dayStart(0));
    case 'yesterday':
      return between(dayStart(-1), dayStart(0));
    case 'this_week':
      return upTo(dayStart(-weekday));
    case 'last_week':
      return between(dayStart(-weekday - 7), dayStart(-weekday));
    case 'this_month':
      return upTo(monthStart(0));
    case 'last_month':
      return between(monthStart(1), monthStart(0));
  }
}

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?([Zz]|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * A time value of a rule: ISO 8601 with an offset or Z, or a date alone (midnight in `tz`).
 * Fractions of a second are cut. A date-time without an offset is read as wall-clock time in
 * `tz` (the specification asks for an offset; this is the lenient reading).
 */
export function parseTimeValue(value: unknown, tz: string): number | undefined {
  if (typeof value !== 'string') return undefined;
  const date = DATE_ONLY.exec(value);
  if (date) return startOfDate(Number(date[1]), Number(date[2]), Number(date[3]), tz);
  const m = DATE_TIME.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second = 0] = m.slice(1, 7).map((s) => Number(s ?? 0));
  const local = { year, month, day, hour, minute, second } as LocalTime;
  const offset = m[7];
  if (offset === undefined) return instantOf(local, tz);
  const wall = Date.UTC(year!, month! - 1, day, hour, minute, second) / 1000;
  return wall - offsetSeconds(offset);
}

function offsetSeconds(text: string): number {
  if (text === 'Z' || text === 'z') return 0;
  const sign = text.startsWith('-') ? -1 : 1;
  const digits = text.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 3_600 + Number(digits.slice(2) || '0') * 60);
}

/** A calendar date "YYYY-MM-DD" as midnight UTC (how a birth_date counts). */
export function utcDateSeconds(text: string): number | undefined {
  const m = DATE_ONLY.exec(text);
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / 1000 : undefined;
}
