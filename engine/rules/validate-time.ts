// Times and durations in rule values. A time is an ISO 8601 date-time with an offset or `Z`, or
// a date alone (midnight in the segment's timezone, resolved by the evaluators). Either must fall
// inside ClickHouse's DateTime range.
import { DateTime } from 'luxon';
import { TIME_UNITS } from './schema.ts';
import { at, isRecord, ruleError } from './validate-shape.ts';

export type ParsedTime =
  | { readonly kind: 'instant'; readonly text: string; readonly epochMs: number }
  | { readonly kind: 'date'; readonly text: string };

const DATE_TIME = new RegExp(
  '^\\d{4}-(0[1-9]|1[0-2])-\\d{2}' + // date (day checked by Luxon)
    'T([01]\\d|2[0-3]):[0-5]\\d(:[0-5]\\d(\\.\\d{1,9})?)?' + // hh:mm[:ss[.fraction]]
    '(Z|[+-]\\d{2}:[0-5]\\d)$', // offset
);
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** DateTime('UTC') holds whole seconds from 1970-01-01 to 2106-02-07T06:28:15Z. */
const MAX_EPOCH_MS = 4_294_967_295_000;
/** A date alone must be in range in every timezone (offsets reach ±14 hours). */
const FIRST_DATE = '1970-01-02';
const LAST_DATE = '2106-02-06';

export function parseTime(text: string): ParsedTime | undefined {
  if (DATE.test(text)) {
    const valid = DateTime.fromISO(text, { zone: 'utc' }).isValid;
    return valid && text >= FIRST_DATE && text <= LAST_DATE ? { kind: 'date', text } : undefined;
  }
  if (!DATE_TIME.test(text)) return undefined;
  const time = DateTime.fromISO(text, { setZone: true });
  if (!time.isValid) return undefined;
  const epochMs = time.toMillis();
  return epochMs >= 0 && epochMs <= MAX_EPOCH_MS ? { kind: 'instant', text, epochMs } : undefined;
}

export function checkTime(value: unknown, path: string): ParsedTime {
  const parsed = typeof value === 'string' ? parseTime(value) : undefined;
  if (!parsed) {
    throw ruleError(
      'RULE_VALUE_INVALID',
      path,
      'must be an ISO time with an offset (2024-03-01T12:00:00+01:00) or a date (2024-03-01) ' +
        'between 1970 and 2106',
    );
  }
  return parsed;
}

/**
 * Whether `from` is after `to`. A date alone and a date-time are compared only when the segment's
 * timezone is known, so mixed pairs are not ordered here (a reversed pair is an empty range).
 */
export function timesReversed(from: ParsedTime, to: ParsedTime): boolean {
  if (from.kind === 'instant' && to.kind === 'instant') return from.epochMs > to.epochMs;
  if (from.kind === 'date' && to.kind === 'date') return from.text > to.text;
  return false;
}

export interface Duration {
  last: number;
  unit: (typeof TIME_UNITS)[number];
}

export const MAX_DURATION = 100_000;

/** A `{ last, unit }` value of within_last / not_within_last. */
export function checkDuration(value: unknown, path: string): Duration {
  if (!isRecord(value)) {
    throw ruleError('RULE_VALUE_INVALID', path, 'must be { "last": N, "unit": U }');
  }
  const extra = Object.keys(value).find((k) => k !== 'last' && k !== 'unit');
  if (extra !== undefined) {
    throw ruleError('RULE_VALUE_INVALID', at(path, extra), 'is not a known key here');
  }
  const { last, unit } = value;
  if (!Number.isInteger(last) || (last as number) < 1 || (last as number) > MAX_DURATION) {
    throw ruleError(
      'RULE_VALUE_INVALID',
      at(path, 'last'),
      `must be a whole number from 1 to ${MAX_DURATION}`,
    );
  }
  if (!TIME_UNITS.includes(unit as Duration['unit'])) {
    throw ruleError(
      'RULE_VALUE_INVALID',
      at(path, 'unit'),
      `must be one of ${TIME_UNITS.join(', ')}`,
    );
  }
  return { last: last as number, unit: unit as Duration['unit'] };
}
