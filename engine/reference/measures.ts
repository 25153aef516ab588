// Event conditions: select a player's events on a list (where conditions, window, nothing after
// the as-of time), compute the measure over them, compare it with the operator.
import type { EventList } from '../catalogue/types.ts';
import type { CalendarPeriod, EventCondition, Measure, TimeUnit, Window } from '../rules/schema.ts';
import type { PreparedEvent } from './data.ts';
import {
  addExact,
  divideExact,
  exactInt,
  exactKey,
  ZERO,
  compareExact,
  type Exact,
} from './exact.ts';
import { fieldOf, readField, type Value } from './fields.ts';
import { matches, type OperatorEnv } from './operators.ts';
import { calendarInterval, contains, localDateKey, minusUnits, parseTimeValue } from './time.ts';
import type { Interval } from './time.ts';
import { SegstreamError } from '../errors/errors.ts';

/** Tests one player's events against an event condition. */
export type EventConditionTest = (events: readonly PreparedEvent[]) => boolean;

/**
 * Prepares an event condition for one evaluation (one as-of time and timezone): the window and
 * the where fields are resolved once, not once per player.
 */
export function prepareEventCondition(
  condition: EventCondition,
  list: EventList,
  env: OperatorEnv,
): EventConditionTest {
  const measureOf = prepareEventMeasure(condition, list, env);
  return (events) => {
    const measured = measureOf(events);
    return matches(measured.type, condition.op, condition.value, measured.value, env);
  };
}

/** What an event condition measured for one player: the value and how many events it read. */
export interface EventMeasurement extends Measured {
  readonly events: number;
}

/** The measure of an event condition over one player's events (the test above compares it). */
export function prepareEventMeasure(
  condition: EventCondition,
  list: EventList,
  env: OperatorEnv,
): (events: readonly PreparedEvent[]) => EventMeasurement {
  const interval = windowInterval(condition.window, env);
  const where = (condition.where ?? []).map((c) => ({ ...c, field: fieldOf(list, c.field) }));
  const selected = (e: PreparedEvent) =>
    list.eventTypes.includes(e.type) &&
    e.time <= env.asOf &&
    contains(interval, e.time) &&
    where.every((c) => matches(c.field.type, c.op, c.value, readField(c.field, e.row, env), env));
  return (events) => {
    const chosen = events.filter(selected);
    return { ...measure(condition.measure, list, chosen, env), events: chosen.length };
  };
}

/** The window as an interval; every window also ends at the as-of time (checked by the caller). */
export function windowInterval(window: Window | undefined, env: OperatorEnv): Interval {
  const { asOf, timezone } = env;
  if (window === undefined) return { lo: -Infinity, loOpen: false, hi: asOf, hiOpen: false };
  if ('calendar' in window)
    return calendarInterval(window.calendar as CalendarPeriod, asOf, timezone);
  if ('last' in window) {
    const lo = minusUnits(asOf, window.last, window.unit as TimeUnit, timezone);
    return { lo, loOpen: true, hi: asOf, hiOpen: false };
  }
  const from = parseTimeValue(window.from, timezone);
  const to = parseTimeValue(window.to, timezone);
  if (from === undefined || to === undefined) {
    throw new SegstreamError('RULE_VALUE_INVALID', { field: 'window', value: window });
  }
  return { lo: from, loOpen: false, hi: to, hiOpen: true };
}

export interface Measured {
  readonly type: 'number' | 'datetime';
  readonly value: Value | undefined;
}

function measure(m: Measure, list: EventList, events: PreparedEvent[], env: OperatorEnv): Measured {
  const tz = env.timezone;
  const number = (value: Exact | undefined): Measured => ({ type: 'number', value });
  const time = (value: number | undefined): Measured => ({ type: 'datetime', value });
  const times = events.map((e) => e.time);
  if (m === 'count') return number(exactInt(events.length));
  if (m === 'count_days')
    return number(exactInt(new Set(times.map((t) => localDateKey(t, tz))).size));
  if (m === 'first_time') return time(times.length > 0 ? Math.min(...times) : undefined);
  if (m === 'last_time') return time(times.length > 0 ? Math.max(...times) : undefined);

  const [kind, name] = Object.entries(m)[0] as [keyof MeasureKinds, string];
  const field = fieldOf(list, name);
  const present = events
    .map((e) => readField(field, e.row, env))
    .filter((v): v is Value => v !== undefined);
  if (kind === 'distinct') return number(exactInt(new Set(present.map(distinctKey)).size));
  const amounts = present as Exact[];
  const sum = amounts.reduce(addExact, ZERO);
  switch (kind) {
    case 'sum':
      return number(sum);
    case 'avg':
      return number(amounts.length > 0 ? divideExact(sum, amounts.length) : undefined);
    case 'min':
      return number(extreme(amounts, -1));
    case 'max':
      return number(extreme(amounts, 1));
  }
}

type MeasureKinds = { sum: 1; avg: 1; min: 1; max: 1; distinct: 1 };

function extreme(values: readonly Exact[], direction: 1 | -1): Exact | undefined {
  let best: Exact | undefined;
  for (const v of values) if (!best || compareExact(v, best) === direction) best = v;
  return best;
}

function distinctKey(v: Value): string {
  if (typeof v === 'object' && !Array.isArray(v)) return `n:${exactKey(v as Exact)}`;
  return `${typeof v}:${String(v)}`;
}
