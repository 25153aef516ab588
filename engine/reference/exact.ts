// Exact numbers for the reference evaluator. Money and number values, sums and averages are
// kept as fractions of BigInts so that no comparison ever goes through a float: an amount of
// "100.0001" is 1000001/10000, an average of 3 amounts is their sum over 3. Values in rules are
// read from their decimal text (String(n) for a JS number prints the shortest text that reads
// back to it, which is what the user wrote), never from the binary double.

/** A fraction num/den with den > 0, not necessarily reduced. */
export interface Exact {
  readonly num: bigint;
  readonly den: bigint;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

export const ZERO: Exact = { num: 0n, den: 1n };

/** Reads decimal text such as "100", "-0.0001", "1.5e3"; undefined when it is not a number. */
export function exactFromText(text: string): Exact | undefined {
  const m = DECIMAL.exec(text.trim());
  if (!m) return undefined;
  const [, sign = '', whole = '', fraction = '', exponent = '0'] = m;
  if (whole === '' && fraction === '') return undefined;
  const digits = BigInt(`${whole}${fraction}` || '0');
  const scale = fraction.length - Number(exponent);
  const signed = sign === '-' ? -digits : digits;
  return scale >= 0
    ? { num: signed, den: 10n ** BigInt(scale) }
    : { num: signed * 10n ** BigInt(-scale), den: 1n };
}

/** A JS number as the decimal it prints as; undefined for NaN and infinities. */
export function exactFromNumber(value: number): Exact | undefined {
  return Number.isFinite(value) ? exactFromText(String(value)) : undefined;
}

/** A rule value or stored value given as a number or as decimal text. */
export function exactOf(value: unknown): Exact | undefined {
  if (typeof value === 'number') return exactFromNumber(value);
  if (typeof value === 'string') return exactFromText(value);
  if (typeof value === 'bigint') return { num: value, den: 1n };
  return undefined;
}

export function exactInt(value: number): Exact {
  return { num: BigInt(value), den: 1n };
}

export function compareExact(a: Exact, b: Exact): -1 | 0 | 1 {
  const left = a.num * b.den;
  const right = b.num * a.den;
  return left < right ? -1 : left > right ? 1 : 0;
}

export function addExact(a: Exact, b: Exact): Exact {
  if (a.den === b.den) return { num: a.num + b.num, den: a.den };
  return { num: a.num * b.den + b.num * a.den, den: a.den * b.den };
}

export function divideExact(a: Exact, count: number): Exact {
  if (count <= 0) throw new RangeError('divideExact needs a positive count');
  return { num: a.num, den: a.den * BigInt(count) };
}

/** A canonical text for an exact value, so that 1.5 and 1.50 are the same key. */
export function exactKey(a: Exact): string {
  const g = gcd(a.num < 0n ? -a.num : a.num, a.den);
  return `${a.num / g}/${a.den / g}`;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}
