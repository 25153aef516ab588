// Parsers for the text of one imported field. Each either returns the typed value or throws
// IMPORT_ROW_INVALID naming the target field and the reason, so the row it belongs to is
// rejected alone. Amounts stay decimal text from start to end: they are checked with a pattern
// and never pass through a JavaScript number, which could not hold every 4-place decimal.
import type { SegstreamError } from '../../errors/errors.ts';
import { DAY_RANGE, isStorableDay } from '../../store/day.ts';
import { importError } from './problem.ts';

export const DATE_FORMATS = ['iso', 'YYYYMMDD', 'M/D/YYYY', 'unix', 'unix_ms'] as const;
export type DateFormat = (typeof DATE_FORMATS)[number];

/** Longest value text kept in a rejection; a whole broken line is not worth printing. */
const VALUE_SHOWN = 60;

export function rowInvalid(field: string, reason: string, value?: string): SegstreamError {
  const shown = value === undefined ? {} : { value: value.slice(0, VALUE_SHOWN) };
  return importError('IMPORT_ROW_INVALID', { field, reason, ...shown });
}

/** DateTime('UTC') holds whole seconds from 1970-01-01 up to 2106-02-07 06:28:15. */
const MAX_TIME_MS = 4_294_967_295_000;

const ISO = new RegExp(
  '^(\\d{4})-(\\d{2})-(\\d{2})' + // date
    '(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?' + // time, optional seconds
    '(Z|[+-]\\d{2}:?\\d{2})?)?$', // zone
);
const COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const UNIX_SECONDS = /^\d{1,10}(\.\d+)?$/;
const UNIX_MS = /^\d{1,13}$/;

/** Epoch milliseconds (UTC) of a date or time written in `format`. */
export function parseTime(field: string, text: string, format: DateFormat): number {
  const ms = timeOf(text, format);
  if (ms === undefined) {
    throw rowInvalid(field, `not a valid ${format} date`, text);
  }
  if (ms < 0 || ms > MAX_TIME_MS) {
    throw rowInvalid(field, 'outside 1970-01-01 .. 2106-02-07, the range ClickHouse stores', text);
  }
  return ms;
}

/**
 * The calendar date (UTC) of a date or time written in `format`, as YYYY-MM-DD. Unlike times,
 * dates (birth dates) go back before 1970, so the unix formats take negative numbers here.
 */
export function parseDay(field: string, text: string, format: DateFormat): string {
  const ms = timeOf(text, format, true);
  if (ms === undefined) {
    throw rowInvalid(field, `not a valid ${format} date`, text);
  }
  const day = isoDay(ms);
  if (!isStorableDay(day)) {
    throw rowInvalid(field, `outside ${DAY_RANGE.first} .. ${DAY_RANGE.last}`, text);
  }
  return day;
}

function timeOf(text: string, format: DateFormat, signed = false): number | undefined {
  const sign = signed && text.startsWith('-') ? -1 : 1;
  const unsigned = sign < 0 ? text.slice(1) : text;
  if (format === 'unix') {
    return UNIX_SECONDS.test(unsigned) ? Math.floor(sign * Number(unsigned) * 1000) : undefined;
  }
  if (format === 'unix_ms') return UNIX_MS.test(unsigned) ? sign * Number(unsigned) : undefined;
  if (format === 'YYYYMMDD') {
    const m = COMPACT.exec(text);
    return m ? calendar(Number(m[1]), Number(m[2]), Number(m[3])) : undefined;
  }
  if (format === 'M/D/YYYY') {
    const m = US_DATE.exec(text);
    return m ? calendar(Number(m[3]), Number(m[1]), Number(m[2])) : undefined;
  }
  return isoTime(text);
}

function isoTime(text: string): number | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const day = calendar(Number(m[1]), Number(m[2]), Number(m[3]));
  const [hour, minute, second] = [m[4], m[5], m[6]].map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
  ];
  if (day === undefined || hour > 23 || minute > 59 || second > 59) return undefined;
  const fraction = Math.floor(Number(`0.${m[7] ?? '0'}`) * 1000);
  const offset = zoneOffsetMs(m[8]);
  if (offset === undefined) return undefined;
  return day + ((hour * 60 + minute) * 60 + second) * 1000 + fraction - offset;
}

/** Offset of a `Z` / `+02:00` / `-0530` suffix; no suffix means UTC. */
function zoneOffsetMs(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2));
  if (hours > 14 || minutes > 59) return undefined;
  return sign * (hours * 60 + minutes) * 60_000;
}

/** Midnight UTC of a calendar day, or undefined when the day does not exist (2005-02-30). */
function calendar(year: number, month: number, day: number): number | undefined {
  const ms = Date.UTC(year, month - 1, day);
  const d = new Date(ms);
  const same =
    d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
  return same ? ms : undefined;
}

/** YYYY-MM-DD of epoch milliseconds (UTC); years outside 0..9999 come out malformed. */
function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** Decimal(18, 4): up to 14 integer digits and 4 decimal places. */
const DECIMAL = /^-?\d{1,14}(\.\d{1,4})?$/;

/** Exact decimal text of a money amount, trimmed and otherwise unchanged. */
export function parseAmount(field: string, text: string): string {
  const value = text.trim();
  if (DECIMAL.test(value)) return value;
  throw rowInvalid(field, amountProblem(value), text);
}

function amountProblem(value: string): string {
  if (/^-?[\d.,]+$/.test(value) && value.includes(',')) {
    return 'thousands separators and decimal commas are not accepted; write 1234.50';
  }
  if (/^-?\d+\.\d{5,}$/.test(value)) return 'more than 4 decimal places';
  if (/^-?\d{15,}(\.\d+)?$/.test(value)) return 'more than 14 integer digits';
  return 'not a decimal number like 1234.50';
}

export interface IntegerRange {
  readonly min: number;
  readonly max: number;
}

export const INT64_SAFE: IntegerRange = {
  min: Number.MIN_SAFE_INTEGER,
  max: Number.MAX_SAFE_INTEGER,
};
export const INT32: IntegerRange = { min: -2_147_483_648, max: 2_147_483_647 };

export function parseInteger(field: string, text: string, range = INT64_SAFE): number {
  const value = text.trim();
  if (!/^-?\d{1,16}$/.test(value)) throw rowInvalid(field, 'not a whole number', text);
  const n = Number(value);
  if (n < range.min || n > range.max) {
    throw rowInvalid(field, `outside ${range.min} .. ${range.max}`, text);
  }
  return n;
}

const TRUE_WORDS = new Set(['true', 't', 'yes', 'y', '1']);
const FALSE_WORDS = new Set(['false', 'f', 'no', 'n', '0']);

export function parseBoolean(field: string, text: string): boolean {
  const word = text.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw rowInvalid(field, 'not a yes/no value (true, false, 1, 0, yes, no)', text);
}
