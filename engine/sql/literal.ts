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

/** A single-quoted ClickHouse string literal; any Unicode text round-trips unchanged. */
export function sqlString(value: string): string {
  if (typeof value !== 'string') throw new TypeError('sqlString expects a string');
  return `'${value.replace(/[\\'\0\b\f\r\n\t]/g, (c) => STRING_ESCAPES[c] ?? c)}'`;
}

/** A finite number as a Float64 or Int64 literal. NaN and infinities are refused. */
export function sqlNumber(value: number): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new RangeError('sqlNumber expects a finite number');
  }
  if (Number.isInteger(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER) return String(value);
  // Exponent notation is valid ClickHouse float syntax; toString keeps full precision.
  return `toFloat64(${sqlString(String(value))})`;
}

const DECIMAL_TEXT = /^-?\d{1,18}(\.\d{1,4})?$/;

/**
 * A money amount as an exact Decimal(38, 4) literal. The amount is given as decimal text (or
 * a number, which is first printed with its shortest exact form) and built from a string, since
 * toDecimal64 truncates float literals on 18.16.
 */
export function sqlDecimal(value: string | number): string {
  const text = typeof value === 'number' ? decimalText(value) : value.trim();
  if (!DECIMAL_TEXT.test(text))
    throw new RangeError(`not a decimal with at most 4 places: ${text}`);
  return `toDecimal128(${sqlString(text)}, 4)`;
}

function decimalText(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError('sqlDecimal expects a finite number');
  const text = String(value);
  if (/e/i.test(text)) throw new RangeError(`amount out of range: ${text}`);
  return text;
}

/** A DateTime literal in UTC from epoch milliseconds; sub-second parts are cut (DateTime is seconds). */
export function sqlDateTime(epochMs: number): string {
  if (!Number.isFinite(epochMs)) throw new RangeError('sqlDateTime expects a finite time');
  const seconds = Math.floor(epochMs / 1000);
  if (seconds < 0 || seconds > 4294967295) throw new RangeError('time out of DateTime range');
  return `toDateTime(${seconds}, 'UTC')`;
}

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
