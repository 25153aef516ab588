import { describe, expect, it } from 'vitest';
import { exactText } from './explain.ts';

describe('exactText', () => {
  it.each<[bigint, bigint, string]>([
    [0n, 1n, '0'],
    [5n, 1n, '5'],
    [-5n, 1n, '-5'],
    [101n, 2n, '50.5'],
    [1n, 8n, '0.125'],
    [-1n, 4n, '-0.25'],
    [999999999999999999n, 10000n, '99999999999999.9999'],
    [20n, 10n, '2'],
    [1n, 3n, '0.333333333333333'],
    [2n, -4n, '-0.5'],
  ])('%i/%i is %s', (num, den, text) => {
    expect(exactText({ num, den })).toBe(text);
  });
});
