// Operators as SQL predicates (docs/rules.md, "Attribute conditions" and "Missing values").
// Every predicate built here is a UInt8 that is never NULL: a positive operator on a missing
// value is 0 (ifNull(…, 0)), and a negative operator is NOT of its positive, so it is 1 on a
// missing value and SQL's NULL logic never reaches the result.
import type { FieldType } from '../catalogue/types.ts';
import { SegstreamError } from '../errors/errors.ts';
import { sqlString, sqlStringArray } from '../sql/literal.ts';
import { andInline, atom, call, not, orInline, type Predicate } from './format.ts';
import { compareDay, compareTime, rollingStart, parseTimeValue, type TimeEnv } from './time.ts';
import {
  arrayValues,
  durationValue,
  numberLiteral,
  pairValue,
  stringTuple,
  stringValue,
  stringValues,
} from './values.ts';

/**
 * What an operator compares: a value that may be NULL (a field; `utcDay` when it is a YYYYMMDD
 * date, see FieldValue); a value that exists only when some events count (min, max, first and
 * last time: `count > 0`); or an average kept as its sum and count, so that it is compared
 * exactly (avg >= V  <=>  sum >= V * count).
 */
export type Operand =
  | {
      readonly kind: 'value';
      readonly sql: string;
      readonly nullable: boolean;
      readonly utcDay?: boolean;
    }
  | { readonly kind: 'counted'; readonly sql: string; readonly count: string }
  | { readonly kind: 'avg'; readonly sum: string; readonly count: string };

export interface Comparison {
  /** How the value is read: the field's type, or the measure's. */
  readonly type: FieldType;
  readonly op: string;
  readonly value: unknown;
  /** Path of the condition, for errors. */
  readonly path: string;
}

const POSITIVE_OF: Record<string, string> = {
  neq: 'eq',
  not_in: 'in',
  not_contains: 'contains',
  not_between: 'between',
  not_within_last: 'within_last',
  has_none: 'has_any',
  is_not_empty: 'is_empty',
};

export function comparisonPredicate(c: Comparison, x: Operand, env: TimeEnv): Predicate {
  const positive = POSITIVE_OF[c.op];
  if (positive !== undefined) return not(comparisonPredicate({ ...c, op: positive }, x, env));
  if (c.op === 'is_set' || c.op === 'is_not_set') return presence(x, c.op === 'is_set');
  if (x.kind === 'avg') {
    const exact = numberPredicate(c, (op, lit) => `${x.sum} ${op} ${lit} * ${x.count}`);
    return andInline([atom(`${x.count} > 0`), exact]);
  }
  if (x.kind === 'counted') {
    return andInline([atom(`${x.count} > 0`), valuePredicate(c, x.sql, env)]);
  }
  const raw = valuePredicate(c, x.sql, env, x.utcDay === true);
  return x.nullable && !NULL_SAFE_OPS.has(c.op) ? atom(call('ifNull', [raw.sql, '0'])) : raw;
}

/** Operators whose predicate is already 0 or 1 on a missing value. */
const NULL_SAFE_OPS = new Set(['is_empty']);

function presence(x: Operand, present: boolean): Predicate {
  if (x.kind !== 'value') return atom(`${x.count} ${present ? '>' : '='} 0`);
  return atom(`${present ? 'isNotNull' : 'isNull'}(${x.sql})`);
}

function valuePredicate(c: Comparison, x: string, env: TimeEnv, utcDay = false): Predicate {
  switch (c.type) {
    case 'string':
      return stringPredicate(c, x);
    case 'number':
    case 'money':
      return numberPredicate(c, (op, lit) => `${x} ${op} ${lit}`);
    case 'datetime':
      return timePredicate(c, x, env, utcDay ? compareDay : compareTime);
    case 'boolean':
      return booleanPredicate(c, x);
    case 'string_list':
      return listPredicate(c, x);
  }
}

function stringPredicate(c: Comparison, x: string): Predicate {
  const text = () => sqlString(stringValue(c.value, c.path));
  switch (c.op) {
    case 'eq':
      return atom(`${x} = ${text()}`);
    case 'in':
      return atom(`${x} IN ${stringTuple(stringValues(c.value, c.path))}`);
    case 'contains':
      return atom(`position(${x}, ${text()}) > 0`);
    case 'starts_with':
      return atom(`startsWith(${x}, ${text()})`);
    case 'ends_with':
      return atom(`endsWith(${x}, ${text()})`);
    case 'matches':
      return atom(`match(${x}, ${text()})`);
    case 'is_empty':
      return atom(`ifNull(${x}, '') = ''`);
  }
  throw mismatch(c);
}

type Compare = (op: string, literal: string) => string;

function numberPredicate(c: Comparison, compare: Compare): Predicate {
  const literal = (v: unknown) => numberLiteral(c.type, v, c.path);
  const simple: Record<string, string> = { eq: '=', gt: '>', gte: '>=', lt: '<', lte: '<=' };
  const op = simple[c.op];
  if (op !== undefined) return atom(compare(op, literal(c.value)));
  if (c.op === 'between') {
    const [lo, hi] = pairValue(c.value, c.path);
    return andInline([atom(compare('>=', literal(lo))), atom(compare('<=', literal(hi)))]);
  }
  if (c.op === 'in') {
    // An OR of equalities: 18.16 refuses Decimal(38, 4) literals in IN for a Decimal(18, 4).
    return orInline(arrayValues(c.value, c.path).map((v) => atom(compare('=', literal(v)))));
  }
  throw mismatch(c);
}

type CompareTime = typeof compareTime;

function timePredicate(c: Comparison, x: string, env: TimeEnv, compare: CompareTime): Predicate {
  const time = (v: unknown) => parseTimeValue(env, v, `${c.path}.value`);
  switch (c.op) {
    case 'before':
      return compare(x, '<', time(c.value));
    case 'after':
      return compare(x, '>', time(c.value));
    case 'between': {
      const [from, to] = pairValue(c.value, c.path);
      return andInline([compare(x, '>=', time(from)), compare(x, '<', time(to))]);
    }
    case 'within_last': {
      const { last, unit } = durationValue(c.value, c.path);
      const start = rollingStart(env, last, unit);
      return andInline([compare(x, '>', start), compare(x, '<=', env.asOfMs)]);
    }
  }
  throw mismatch(c);
}

function booleanPredicate(c: Comparison, x: string): Predicate {
  if (c.op === 'is_true') return atom(`${x} = 1`);
  if (c.op === 'is_false') return atom(`${x} = 0`);
  throw mismatch(c);
}

function listPredicate(c: Comparison, x: string): Predicate {
  const values = () => sqlStringArray(stringValues(c.value, c.path));
  if (c.op === 'has_any') return atom(`hasAny(${x}, ${values()})`);
  if (c.op === 'has_all') return atom(`hasAll(${x}, ${values()})`);
  if (c.op === 'is_empty') return atom(`empty(${x})`);
  throw mismatch(c);
}

function mismatch(c: Comparison): SegstreamError {
  return new SegstreamError('RULE_OPERATOR_MISMATCH', { path: `${c.path}.op`, op: c.op });
}
