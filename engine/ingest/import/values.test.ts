import { describe, expect, it } from 'vitest';
import {
  INT32,
  parseAmount,
  parseBoolean,
  parseDay,
  parseInteger,
  parseTime,
  type DateFormat,
} from './values.ts';

const utc = (iso: string) => Date.parse(iso);

describe('parseTime', () => {
  it.each<[string, DateFormat, number]>([
    ['2026-01-05', 'iso', utc('2026-01-05T00:00:00Z')],
    ['2026-01-05T10:11:12Z', 'iso', utc('2026-01-05T10:11:12Z')],
    ['2026-01-05 10:11:12', 'iso', utc('2026-01-05T10:11:12Z')],
    ['2026-01-05T10:11:12.345+02:00', 'iso', utc('2026-01-05T08:11:12.345Z')],
    ['2026-01-05T10:11-0530', 'iso', utc('2026-01-05T15:41:00Z')],
    ['20050224', 'YYYYMMDD', utc('2005-02-24T00:00:00Z')],
    ['2/1/2005', 'M/D/YYYY', utc('2005-02-01T00:00:00Z')],
    ['12/31/1999', 'M/D/YYYY', utc('1999-12-31T00:00:00Z')],
    ['1767607200', 'unix', utc('2026-01-05T10:00:00Z')],
    ['1767607200.9', 'unix', utc('2026-01-05T10:00:00.900Z')],
    ['1767607200123', 'unix_ms', 1767607200123],
  ])('reads %s as %s', (text, format, expected) => {
    expect(parseTime('t', text, format)).toBe(expected);
  });

  it.each<[string, DateFormat, string]>([
    ['2026-02-29', 'iso', 'not a valid iso date'],
    ['2026-13-01', 'iso', 'not a valid iso date'],
    ['2026-01-05T24:00:00Z', 'iso', 'not a valid iso date'],
    ['05.01.2026', 'iso', 'not a valid iso date'],
    ['2026-01-05T10:00:00+15:00', 'iso', 'not a valid iso date'],
    ['20050230', 'YYYYMMDD', 'not a valid YYYYMMDD date'],
    ['2005-02-01', 'YYYYMMDD', 'not a valid YYYYMMDD date'],
    ['13/1/2005', 'M/D/YYYY', 'not a valid M/D/YYYY date'],
    ['-5', 'unix', 'not a valid unix date'],
    ['1969-12-31', 'iso', 'outside 1970-01-01 .. 2106-02-07, the range ClickHouse stores'],
    ['2200-01-01', 'iso', 'outside 1970-01-01 .. 2106-02-07, the range ClickHouse stores'],
  ])('rejects %s as %s', (text, format, reason) => {
    expect(() => parseTime('registered_at', text, format)).toThrow(
      expect.objectContaining({
        code: 'IMPORT_ROW_INVALID',
        details: { field: 'registered_at', reason, value: text },
      }),
    );
  });
});

describe('parseDay', () => {
  it.each<[string, DateFormat, string]>([
    ['1965-04-12', 'iso', '1965-04-12'],
    ['1935-06-15T23:30:00-02:00', 'iso', '1935-06-16'],
    ['1900-01-01', 'iso', '1900-01-01'],
    ['2105-12-31', 'iso', '2105-12-31'],
    ['1960-02-29', 'iso', '1960-02-29'],
    ['19650412', 'YYYYMMDD', '1965-04-12'],
    ['4/12/1965', 'M/D/YYYY', '1965-04-12'],
    ['-1', 'unix', '1969-12-31'],
    ['-149990400', 'unix', '1965-04-01'],
    ['-149990400000', 'unix_ms', '1965-04-01'],
    ['0', 'unix', '1970-01-01'],
  ])('reads %s as %s', (text, format, expected) => {
    expect(parseDay('birth_date', text, format)).toBe(expected);
  });

  it.each<[string, DateFormat, string]>([
    ['2023-02-30', 'iso', 'not a valid iso date'],
    ['1965-13-01', 'iso', 'not a valid iso date'],
    ['1965-00-10', 'iso', 'not a valid iso date'],
    ['19650230', 'YYYYMMDD', 'not a valid YYYYMMDD date'],
    ['13/1/1965', 'M/D/YYYY', 'not a valid M/D/YYYY date'],
    ['--1', 'unix', 'not a valid unix date'],
    ['1899-12-31', 'iso', 'outside 1900-01-01 .. 2105-12-31'],
    ['2106-01-01', 'iso', 'outside 1900-01-01 .. 2105-12-31'],
    ['-2208988801', 'unix', 'outside 1900-01-01 .. 2105-12-31'],
  ])('rejects %s as %s', (text, format, reason) => {
    expect(() => parseDay('birth_date', text, format)).toThrow(
      expect.objectContaining({
        code: 'IMPORT_ROW_INVALID',
        details: { field: 'birth_date', reason, value: text },
      }),
    );
  });
});

describe('parseAmount', () => {
  it.each([
    ['100', '100'],
    [' 100.5 ', '100.5'],
    ['-0.0001', '-0.0001'],
    ['12345678901234.5678', '12345678901234.5678'],
    ['007.10', '007.10'],
  ])('keeps %j as exact text %j', (text, expected) => {
    expect(parseAmount('amount', text)).toBe(expected);
  });

  it.each([
    ['1,234.50', 'thousands separators and decimal commas are not accepted; write 1234.50'],
    ['12,5', 'thousands separators and decimal commas are not accepted; write 1234.50'],
    ['1.23456', 'more than 4 decimal places'],
    ['123456789012345', 'more than 14 integer digits'],
    ['1e3', 'not a decimal number like 1234.50'],
    ['+5', 'not a decimal number like 1234.50'],
    ['.5', 'not a decimal number like 1234.50'],
    ['€5', 'not a decimal number like 1234.50'],
  ])('rejects %j: %s', (text, reason) => {
    expect(() => parseAmount('amount', text)).toThrow(
      expect.objectContaining({
        code: 'IMPORT_ROW_INVALID',
        details: expect.objectContaining({ field: 'amount', reason }),
      }),
    );
  });
});

describe('parseInteger and parseBoolean', () => {
  it.each([
    ['42', 42],
    [' -7 ', -7],
    ['9007199254740991', 9007199254740991],
  ])('reads integer %j', (text, expected) => {
    expect(parseInteger('quantity', text)).toBe(expected);
  });

  it.each([['1.5'], ['1e3'], ['x'], ['99999999999999999']])('rejects integer %j', (text) => {
    expect(() => parseInteger('quantity', text)).toThrow(
      expect.objectContaining({ code: 'IMPORT_ROW_INVALID' }),
    );
  });

  it('checks a range', () => {
    expect(() => parseInteger('vip_level', '2147483648', INT32)).toThrow(
      expect.objectContaining({ details: expect.objectContaining({ field: 'vip_level' }) }),
    );
  });

  it.each([
    ['true', true],
    ['Y', true],
    ['1', true],
    ['no', false],
    ['F', false],
    ['0', false],
  ])('reads boolean %j', (text, expected) => {
    expect(parseBoolean('self_excluded', text)).toBe(expected);
  });

  it('rejects other words', () => {
    expect(() => parseBoolean('self_excluded', 'maybe')).toThrow(
      expect.objectContaining({ code: 'IMPORT_ROW_INVALID' }),
    );
  });
});
