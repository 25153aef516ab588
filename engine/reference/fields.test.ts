import { describe, expect, it } from 'vitest';
import { field } from '../catalogue/default.ts';
import { exactInt } from './exact.ts';
import { readField } from './fields.ts';

const BIRTH_DATE = field('birth_date', 'Birth date', 'datetime');
const AGE = field('age', 'Age', 'number', { ageOf: 'birth_date' });
const s = (iso: string) => Date.parse(iso) / 1000;
const row = (birth_date: unknown) => ({ columns: { birth_date }, keys: undefined });
const UTC_NOON = { asOf: s('2024-03-31T12:00:00Z'), timezone: 'UTC' };

describe('readField: birth_date is midnight UTC of its date', () => {
  it.each([
    ['1935-06-15', s('1935-06-15T00:00:00Z')],
    ['1969-12-31', -86_400],
    ['1970-01-01', 0],
    ['2000-02-29', s('2000-02-29T00:00:00Z')],
    [null, undefined],
    [undefined, undefined],
  ])('%s', (date, expected) => {
    expect(readField(BIRTH_DATE, row(date), UTC_NOON)).toEqual(expected);
  });
});

describe('readField: age in whole years on the as-of date', () => {
  it.each<[string, unknown, number | undefined, typeof UTC_NOON?]>([
    ['born before 1970', '1935-06-15', 88],
    ['the day before 1970', '1969-12-31', 54],
    ['the birthday is today', '2006-03-31', 18],
    ['the birthday is tomorrow', '2006-04-01', 17],
    ['born on the as-of date', '2024-03-31', 0],
    ['born the day after the as-of date', '2024-04-01', -1],
    ['born a year and a day after', '2025-04-01', -2],
    ['no birth date', null, undefined],
    ['no birth date column value', undefined, undefined],
    // 23:30Z on 31 March is 1 April in Berlin, still 31 March in New York.
    [
      'the as-of date is in the segment timezone (Berlin)',
      '2006-04-01',
      18,
      { asOf: s('2024-03-31T23:30:00Z'), timezone: 'Europe/Berlin' },
    ],
    [
      'the as-of date is in the segment timezone (New York)',
      '2006-04-01',
      17,
      { asOf: s('2024-04-01T03:30:00Z'), timezone: 'America/New_York' },
    ],
    [
      '29 February, on 28 February',
      '2000-02-29',
      22,
      { asOf: s('2023-02-28T23:59:59Z'), timezone: 'UTC' },
    ],
    [
      '29 February, on 1 March',
      '2000-02-29',
      23,
      { asOf: s('2023-03-01T00:00:00Z'), timezone: 'UTC' },
    ],
    [
      '29 February, on 29 February',
      '2000-02-29',
      24,
      { asOf: s('2024-02-29T00:00:00Z'), timezone: 'UTC' },
    ],
  ])('%s', (_name, date, expected, env = UTC_NOON) => {
    const age = readField(AGE, row(date), env);
    expect(age).toEqual(expected === undefined ? undefined : exactInt(expected));
  });
});
