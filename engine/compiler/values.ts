// Reading the `value` of a condition. The compiler's input has passed validateRule, so these only
// give the value its TypeScript type; a value of the wrong shape is still a coded error (never
// something pasted into SQL).
import type { FieldType } from '../catalogue/types.ts';
import { SegstreamError } from '../errors/errors.ts';
import { TIME_UNITS, type TimeUnit } from '../rules/schema.ts';
import { sqlDecimal, sqlNumber, sqlString } from '../sql/literal.ts';

function invalid(path: string): SegstreamError {
  return new SegstreamError('RULE_VALUE_INVALID', { path: `${path}.value` });
}

export function stringValue(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalid(path);
  return value;
}

export function stringValues(value: unknown, path: string): string[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(path);
  return value.map((v) => stringValue(v, path));
}

export function arrayValues(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) throw invalid(path);
  return value;
}

export function pairValue(value: unknown, path: string): [unknown, unknown] {
  if (!Array.isArray(value) || value.length !== 2) throw invalid(path);
  return [value[0], value[1]];
}

export function durationValue(value: unknown, path: string): { last: number; unit: TimeUnit } {
  const v = value as { last?: unknown; unit?: unknown } | null;
  const ok =
    typeof v === 'object' &&
    v !== null &&
    Number.isInteger(v.last) &&
    TIME_UNITS.includes(v.unit as TimeUnit);
  if (!ok) throw invalid(path);
  return { last: v.last as number, unit: v.unit as TimeUnit };
}

/** A number or money value as its exact literal: Decimal for money, Int/Float for numbers. */
export function numberLiteral(type: FieldType, value: unknown, path: string): string {
  try {
    if (type === 'money' && (typeof value === 'string' || typeof value === 'number')) {
      return sqlDecimal(value);
    }
    if (typeof value === 'number') return sqlNumber(value);
  } catch (err) {
    throw new SegstreamError('RULE_VALUE_INVALID', { path: `${path}.value` }, undefined, {
      cause: err,
    });
  }
  throw invalid(path);
}

/** `('a', 'b')`, the right side of IN. */
export function stringTuple(values: readonly string[]): string {
  return `(${values.map(sqlString).join(', ')})`;
}
