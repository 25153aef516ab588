// The operators of docs/rules.md applied to one typed value (a field of a profile or event, or
// a measure). Negative operators are computed as the complement of their positive, so they match
// missing values exactly when the positive does not; positive operators never match a missing
// value.
import { SegstreamError } from '../errors/errors.ts';
import type { FieldType } from '../catalogue/types.ts';
import type { TimeUnit } from '../rules/schema.ts';
import { compareExact, exactOf, type Exact } from './exact.ts';
import type { Value } from './fields.ts';
import { minusUnits, parseTimeValue } from './time.ts';

/** What an operator needs besides the value: the as-of time and the segment's timezone. */
export interface OperatorEnv {
  readonly asOf: number;
  readonly timezone: string;
}

const COMPLEMENT: Readonly<Record<string, string>> = {
  neq: 'eq',
  not_in: 'in',
  not_contains: 'contains',
  not_between: 'between',
  not_within_last: 'within_last',
  has_none: 'has_any',
  is_not_set: 'is_set',
  is_not_empty: 'is_empty',
};

export function matches(
  type: FieldType,
  op: string,
  expected: unknown,
  x: Value | undefined,
  env: OperatorEnv,
): boolean {
  const positive = COMPLEMENT[op];
  if (positive !== undefined) return !matches(type, positive, expected, x, env);
  if (op === 'is_set') return x !== undefined;
  if (op === 'is_empty') return x === undefined || x === '' || (Array.isArray(x) && x.length === 0);
  if (x === undefined) return false;
  switch (type) {
    case 'string':
      return matchString(op, expected, x as string);
    case 'number':
    case 'money':
      return matchNumber(op, expected, x as Exact);
    case 'datetime':
      return matchTime(op, expected, x as number, env);
    case 'boolean':
      return matchBoolean(op, x as boolean);
    case 'string_list':
      return matchList(op, expected, x as readonly string[]);
  }
}

function matchString(op: string, v: unknown, x: string): boolean {
  switch (op) {
    case 'eq':
      return x === v;
    case 'in':
      return arrayOf(op, v).includes(x);
    case 'contains':
      return x.includes(stringOf(op, v));
    case 'starts_with':
      return x.startsWith(stringOf(op, v));
    case 'ends_with':
      return x.endsWith(stringOf(op, v));
    case 'matches':
      return regex(stringOf(op, v)).test(x);
  }
  return unsupported('string', op);
}

function matchNumber(op: string, v: unknown, x: Exact): boolean {
  const cmp = (value: unknown) => compareExact(x, exactValue(op, value));
  switch (op) {
    case 'eq':
      return cmp(v) === 0;
    case 'gt':
      return cmp(v) > 0;
    case 'gte':
      return cmp(v) >= 0;
    case 'lt':
      return cmp(v) < 0;
    case 'lte':
      return cmp(v) <= 0;
    case 'between': {
      const [lo, hi] = pairOf(op, v);
      return cmp(lo) >= 0 && cmp(hi) <= 0;
    }
    case 'in':
      return arrayOf(op, v).some((value) => cmp(value) === 0);
  }
  return unsupported('number', op);
}

function matchTime(op: string, v: unknown, x: number, env: OperatorEnv): boolean {
  const time = (value: unknown) => timeValue(op, value, env.timezone);
  switch (op) {
    case 'before':
      return x < time(v);
    case 'after':
      return x > time(v);
    case 'between': {
      const [from, to] = pairOf(op, v);
      return time(from) <= x && x < time(to);
    }
    case 'within_last': {
      const { last, unit } = v as { last: number; unit: TimeUnit };
      return windowStart(env, last, unit) < x && x <= env.asOf;
    }
  }
  return unsupported('datetime', op);
}

/** Time values and window starts repeat for every player and event: each is computed once. */
const timeValues = new Map<string, number>();
const windowStarts = new Map<string, number>();

function timeValue(op: string, value: unknown, tz: string): number {
  const key = `${tz}|${String(value)}`;
  let t = timeValues.get(key);
  if (t === undefined) {
    t = parseTimeValue(value, tz);
    if (t === undefined) throw new SegstreamError('RULE_VALUE_INVALID', { op, value });
    timeValues.set(key, t);
  }
  return t;
}

function windowStart(env: OperatorEnv, last: number, unit: TimeUnit): number {
  const key = `${env.timezone}|${env.asOf}|${last}|${unit}`;
  let t = windowStarts.get(key);
  if (t === undefined) windowStarts.set(key, (t = minusUnits(env.asOf, last, unit, env.timezone)));
  return t;
}

function matchBoolean(op: string, x: boolean): boolean {
  if (op === 'is_true') return x;
  if (op === 'is_false') return !x;
  return unsupported('boolean', op);
}

function matchList(op: string, v: unknown, x: readonly string[]): boolean {
  const wanted = arrayOf(op, v);
  if (op === 'has_any') return wanted.some((s) => x.includes(s as string));
  if (op === 'has_all') return wanted.every((s) => x.includes(s as string));
  return unsupported('string_list', op);
}

/** RE2 and JavaScript agree on the common syntax; RE2's leading flag group becomes JS flags. */
const regexes = new Map<string, RegExp>();
function regex(pattern: string): RegExp {
  let re = regexes.get(pattern);
  if (!re) {
    const flags = /^\(\?([ims]+)\)/.exec(pattern);
    const body = flags ? pattern.slice(flags[0].length) : pattern;
    re = new RegExp(body, `u${flags?.[1] ?? ''}`);
    regexes.set(pattern, re);
  }
  return re;
}

function exactValue(op: string, value: unknown): Exact {
  const exact = exactOf(value);
  if (!exact) throw new SegstreamError('RULE_VALUE_INVALID', { op, value });
  return exact;
}

function stringOf(op: string, v: unknown): string {
  if (typeof v !== 'string') throw new SegstreamError('RULE_VALUE_INVALID', { op, value: v });
  return v;
}

function arrayOf(op: string, v: unknown): readonly unknown[] {
  if (!Array.isArray(v)) throw new SegstreamError('RULE_VALUE_INVALID', { op, value: v });
  return v;
}

function pairOf(op: string, v: unknown): readonly [unknown, unknown] {
  const pair = arrayOf(op, v);
  if (pair.length !== 2) throw new SegstreamError('RULE_VALUE_INVALID', { op, value: v });
  return [pair[0], pair[1]];
}

function unsupported(type: string, op: string): never {
  throw new SegstreamError('RULE_OPERATOR_MISMATCH', { op, type });
}
