// Whether a condition's value fits its operator, by the type being compared (a field's type, or
// the type a measure yields). The checks return the value to keep in the normalized rule.
import type { FieldType } from '../catalogue/types.ts';
import { regexProblem } from './validate-regex.ts';
import { index, ruleError } from './validate-shape.ts';
import { checkDuration, checkTime, timesReversed } from './validate-time.ts';

export type RuleValue = string | number | (string | number)[] | { last: number; unit: string };

/** Operators that take no value. */
export const NO_VALUE_OPS: ReadonlySet<string> = new Set([
  'is_set',
  'is_not_set',
  'is_empty',
  'is_not_empty',
  'is_true',
  'is_false',
]);

/** Bounds that keep a rule's SQL within ClickHouse's default max_query_size. */
export const MAX_VALUES = 10_000;
export const MAX_TEXT = 10_000;

/** Checks the value of `op` on `type`; `present` says whether the condition has a value key. */
export function checkValue(
  type: FieldType,
  op: string,
  value: unknown,
  present: boolean,
  path: string,
): RuleValue | undefined {
  if (NO_VALUE_OPS.has(op)) {
    if (present) throw ruleError('RULE_VALUE_INVALID', path, `${op} takes no value`);
    return undefined;
  }
  if (!present) throw ruleError('RULE_VALUE_INVALID', path, `${op} needs a value`);
  return checkPresentValue(type, op, value, path);
}

function checkPresentValue(type: FieldType, op: string, value: unknown, path: string): RuleValue {
  if (type === 'string' || type === 'string_list') {
    if (op === 'matches') return checkRegex(value, path);
    const many = type === 'string_list' || op === 'in' || op === 'not_in';
    return many ? list(value, path, checkText) : checkText(value, path);
  }
  if (type === 'number' || type === 'money') {
    const one = type === 'money' ? checkMoney : checkNumber;
    if (op === 'between' || op === 'not_between') return checkRange(type, value, path);
    return op === 'in' || op === 'not_in' ? list(value, path, one) : one(value, path);
  }
  if (op === 'within_last' || op === 'not_within_last') return checkDuration(value, path);
  if (op === 'between') return checkTimeRange(value, path);
  return checkTime(value, path).text;
}

function invalid(path: string, reason: string) {
  return ruleError('RULE_VALUE_INVALID', path, reason);
}

function checkText(value: unknown, path: string): string {
  if (typeof value !== 'string') throw invalid(path, 'must be a string');
  if (value.length > MAX_TEXT) throw invalid(path, `must be at most ${MAX_TEXT} characters`);
  return value;
}

function checkRegex(value: unknown, path: string): string {
  const pattern = checkText(value, path);
  const problem = regexProblem(pattern);
  if (problem) throw invalid(path, problem);
  return pattern;
}

function list<T>(value: unknown, path: string, one: (v: unknown, p: string) => T): T[] {
  if (!Array.isArray(value)) throw invalid(path, 'must be an array');
  if (value.length === 0) throw invalid(path, 'must not be empty');
  if (value.length > MAX_VALUES) throw invalid(path, `must have at most ${MAX_VALUES} values`);
  return value.map((v, i) => one(v, index(path, i)));
}

function checkNumber(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw invalid(path, 'must be a finite number');
  }
  return value;
}

/** Decimal(18, 4): 14 digits before the point, 4 after. */
const MONEY_TEXT = /^-?\d+(\.\d+)?$/;
const MONEY_INTEGER_DIGITS = 14;
const MONEY_SCALE = 4;

function checkMoney(value: unknown, path: string): string | number {
  if (typeof value !== 'number' && typeof value !== 'string') {
    throw invalid(path, 'must be a number or a decimal string');
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    throw invalid(path, 'must be a finite number');
  }
  // String(n) is the shortest text that reads back as n, so 0.1 + 0.2 shows its 17 places.
  const text = String(value);
  if (/e/i.test(text) && typeof value === 'number') {
    throw invalid(path, Math.abs(value) < 1 ? 'has more than 4 decimal places' : 'is out of range');
  }
  if (!MONEY_TEXT.test(text)) throw invalid(path, 'must be a decimal like 100 or 99.95');
  const [whole = '', fraction = ''] = text.replace('-', '').split('.');
  if (fraction.length > MONEY_SCALE) throw invalid(path, 'has more than 4 decimal places');
  if (whole.replace(/^0+/, '').length > MONEY_INTEGER_DIGITS)
    throw invalid(path, 'is out of range');
  return value;
}

/** A money amount as an exact integer of ten-thousandths, for ordering bounds. */
function scaled(value: string | number): bigint {
  const text = String(value);
  const negative = text.startsWith('-');
  const [whole = '0', fraction = ''] = text.replace('-', '').split('.');
  const units = BigInt(whole) * 10_000n + BigInt(fraction.padEnd(MONEY_SCALE, '0'));
  return negative ? -units : units;
}

function pair(value: unknown, path: string): [unknown, unknown] {
  if (!Array.isArray(value) || value.length !== 2) throw invalid(path, 'must be [from, to]');
  return [value[0], value[1]];
}

function checkRange(type: 'number' | 'money', value: unknown, path: string): (string | number)[] {
  const [lo, hi] = pair(value, path);
  if (type === 'money') {
    const bounds = [checkMoney(lo, index(path, 0)), checkMoney(hi, index(path, 1))] as const;
    if (scaled(bounds[0]) > scaled(bounds[1])) throw invalid(path, 'lower bound is above upper');
    return [...bounds];
  }
  const bounds = [checkNumber(lo, index(path, 0)), checkNumber(hi, index(path, 1))] as const;
  if (bounds[0] > bounds[1]) throw invalid(path, 'lower bound is above upper');
  return [...bounds];
}

function checkTimeRange(value: unknown, path: string): string[] {
  const [from, to] = pair(value, path);
  const bounds = [checkTime(from, index(path, 0)), checkTime(to, index(path, 1))] as const;
  if (timesReversed(bounds[0], bounds[1])) throw invalid(path, 'from is after to');
  return [bounds[0].text, bounds[1].text];
}
