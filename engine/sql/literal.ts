// The one place where values become SQL text. ClickHouse 18.16 has no query parameters, so every
// value in every statement Segstream builds passes through these functions; identifiers never
// come from input at all (they come from the catalogue). Each function either returns a literal
// that ClickHouse parses back to exactly the given value, or throws.

const STRING_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  "'": "\\'",
  '\0': '\\0',
  '\b': '\\b',
  '\f': '\\f',
  '\r': '\\r',
  '\n': '\\n',
  '\t': '\\t',
};

/** With the `u` flag this matches only unpaired surrogates, which UTF-8 cannot carry. */
const LONE_SURROGATE = /[\uD800-\uDFFF]/u;

/**
 * A single-quoted ClickHouse string literal; any Unicode text round-trips unchanged. Text with
 * unpaired UTF-16 surrogates is refused: it would reach the server as U+FFFD, not as itself.
 */
export function sqlString(value: string): string {
  if (typeof value !== 'string') throw new TypeError('sqlString expects a string');
  if (LONE_SURROGATE.test(value)) throw new RangeError('string has an unpaired surrogate');
  return `'${value.replace(/[\\'\0\b\f\r\n\t]/g, (c) => STRING_ESCAPES[c] ?? c)}'`;
}

const MIN_NORMAL = 2.2250738585072014e-308;
const MIN_SUBNORMAL = 5e-324;

/**
 * A finite number as an Int64/UInt64 or Float64 literal. NaN and infinities are refused.
 *
 * Floats are written as bare literals: ClickHouse parses those exactly, while 18.16's
 * toFloat64('…') is off by one unit in the last place for many values with 16-17 significant
 * digits or large exponents. Subnormal numbers are not accepted as literals by 18.16's parser,
 * so they are built by exact arithmetic instead. Negative zero is written as 0 (equal to it).
 */
export function sqlNumber(value: number): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError('sqlNumber expects a finite number');
  }
  if (Number.isSafeInteger(value)) return String(value === 0 ? 0 : value);
  // Exponent form keeps large integers Float64 instead of a UInt64 of rounded digits.
  if (Number.isInteger(value)) return value.toExponential();
  if (Math.abs(value) < MIN_NORMAL) return subnormal(value);
  return String(value);
}

/** value = m * 2^-1074 with |m| < 2^52; m * 2^-1022 is exact and so is dividing it by 2^52. */
function subnormal(value: number): string {
  const m = value / MIN_SUBNORMAL;
  return `(${m} * ${MIN_NORMAL} / ${2 ** 52})`;
}

const DECIMAL_TEXT = /^-?\d{1,18}(\.\d{1,4})?$/;

/**
 * A money amount as an exact Decimal(38, 4) literal. The amount is given as decimal text (or
 * a number, which is first printed with its shortest exact form) and built from a string, since
 * toDecimal64 truncates float literals on 18.16.
 */
export function sqlDecimal(value: string | number): string {
  const text = decimalText(value);
  if (!DECIMAL_TEXT.test(text))
    throw new RangeError(`not a decimal with at most 4 places: ${text}`);
  return `toDecimal128(${sqlString(text)}, 4)`;
}

function decimalText(value: string | number): string {
  if (typeof value === 'string') return value.trim();
  if (typeof value !== 'number') throw new TypeError('sqlDecimal expects text or a number');
  if (!Number.isFinite(value)) throw new RangeError('sqlDecimal expects a finite number');
  const text = String(value === 0 ? 0 : value);
  if (/e/i.test(text)) throw new RangeError(`amount out of range: ${text}`);
  return text;
}

/** The last second that 18.16 can still parse from 'YYYY-MM-DD hh:mm:ss' text (2105-12-31). */
const LAST_TEXT_SECOND = 4291747199;
const LAST_SECOND = 4294967295;

/**
 * A DateTime('UTC') literal from epoch milliseconds; sub-second parts are cut (DateTime is
 * seconds). Written as UTC wall-clock text so that compiled rules read well; the few seconds
 * after 2105 that 18.16 cannot parse from text are written as epoch seconds.
 */
export function sqlDateTime(epochMs: number): string {
  if (typeof epochMs !== 'number' || !Number.isFinite(epochMs)) {
    throw new RangeError('sqlDateTime expects a finite time');
  }
  const seconds = Math.floor(epochMs / 1000);
  if (seconds < 0 || seconds > LAST_SECOND) throw new RangeError('time out of DateTime range');
  if (seconds > LAST_TEXT_SECOND) return `toDateTime(${seconds}, 'UTC')`;
  const text = new Date(seconds * 1000).toISOString().slice(0, 19).replace('T', ' ');
  return `toDateTime('${text}', 'UTC')`;
}

/** The range of epoch milliseconds that sqlDateTime accepts. */
export const SQL_DATETIME_RANGE_MS = { min: 0, max: LAST_SECOND * 1000 + 999 } as const;

/** An array literal of strings, e.g. for IN lists and hasAny. */
export function sqlStringArray(values: readonly string[]): string {
  return `[${values.map(sqlString).join(', ')}]`;
}

/** An identifier the catalogue vouches for. Anything but [A-Za-z_][A-Za-z0-9_]* is refused. */
export function sqlIdentifier(name: string): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name))
    throw new RangeError(`not a safe identifier: ${name}`);
  return name;
}
