import { describe, expect, it } from 'vitest';
import { epochDayDigits, fromStoredDay, isStorableDay, toStoredDay } from './day.ts';
import { toClickHouseRow } from './players.ts';

describe('stored days', () => {
  it.each([
    ['1900-01-01', 19000101],
    ['1935-06-15', 19350615],
    ['1969-12-31', 19691231],
    ['1970-01-01', 19700101],
    ['2000-02-29', 20000229],
    ['1960-02-29', 19600229],
    ['2105-12-31', 21051231],
  ])('stores %s as %s and reads it back', (text, digits) => {
    expect(isStorableDay(text)).toBe(true);
    expect(toStoredDay(text)).toBe(digits);
    expect(fromStoredDay(digits)).toBe(text);
  });

  it.each([
    ['30 February', '2023-02-30'],
    ['29 February of a common year', '1900-02-29'],
    ['month 13', '1965-13-01'],
    ['month 0', '1965-00-10'],
    ['day 0', '1965-04-00'],
    ['day 32', '1965-01-32'],
    ['before 1900', '1899-12-31'],
    ['after 2105', '2106-01-01'],
    ['two-digit year', '65-04-12'],
    ['with a time', '1965-04-12T00:00:00Z'],
    ['digits only', '19650412'],
    ['empty', ''],
  ])('refuses %s (%s)', (_name, text) => {
    expect(isStorableDay(text)).toBe(false);
    expect(() => toStoredDay(text)).toThrow(RangeError);
  });

  it.each([
    [0, 19700101],
    [-1, 19691231],
    [-12_619, 19350615],
    [11_016, 20000229],
    [-719_162, 10101],
    [2_932_896, 99991231],
  ])('epoch day %s is %s', (day, digits) => {
    expect(epochDayDigits(day)).toBe(digits);
  });

  it('writes a player birth date as its digits, and no date as NULL', () => {
    const row = (birth_date?: string | null) =>
      toClickHouseRow({ player_id: 'p', version: 1, birth_date });
    const column = 9;
    expect(row('1935-06-15')[column]).toBe(19350615);
    expect(row(null)[column]).toBeNull();
    expect(row()[column]).toBeNull();
    expect(() => row('2023-02-30')).toThrow(RangeError);
  });
});
