import { describe, expect, it } from 'vitest';
import {
  addExact,
  compareExact,
  divideExact,
  exactFromNumber,
  exactFromText,
  exactKey,
  exactOf,
} from './exact.ts';

describe('exactFromText', () => {
  it.each([
    ['100', '100/1'],
    ['100.00', '100/1'],
    ['-0.0001', '-1/10000'],
    ['+12.5', '25/2'],
    ['1.5e3', '1500/1'],
    ['15e-1', '3/2'],
    ['.5', '1/2'],
    ['7.', '7/1'],
  ])('%s is %s', (text, key) => {
    expect(exactKey(exactFromText(text)!)).toBe(key);
  });

  it.each(['', '.', 'abc', '1,5', '1.2.3', '--1', 'NaN', 'Infinity'])('refuses %j', (text) => {
    expect(exactFromText(text)).toBeUndefined();
  });
});

describe('exact comparisons', () => {
  it.each([
    // The classic float trap: 0.1 + 0.2 is not 0.3 in binary, but is exactly here.
    [['0.1', '0.2'], '0.3', 0],
    [['100.0000', '-0.0001'], '99.9999', 0],
    [['99999999999999.9999', '0.0001'], '100000000000000', 0],
    [['0.0001', '0.0001'], '0.0003', -1],
  ])('sum of %j compared with %s is %i', (terms, total, expected) => {
    const sum = terms.map((t) => exactFromText(t)!).reduce(addExact);
    expect(compareExact(sum, exactFromText(total)!)).toBe(expected);
  });

  it('divides exactly: the average of 10, 10, 10.0001 is just above 10', () => {
    const sum = ['10', '10', '10.0001'].map((t) => exactOf(t)!).reduce(addExact);
    const avg = divideExact(sum, 3);
    expect(compareExact(avg, exactFromNumber(10)!)).toBe(1);
    expect(compareExact(avg, exactFromText('10.0001')!)).toBe(-1);
  });

  it('reads a JS number as the decimal it prints as, not its binary value', () => {
    expect(compareExact(exactFromNumber(0.1)!, exactFromText('0.1')!)).toBe(0);
    expect(exactFromNumber(Number.NaN)).toBeUndefined();
  });
});
