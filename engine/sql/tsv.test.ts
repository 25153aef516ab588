import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/support/isolation.ts';
import { tsvField } from './tsv.ts';

describe('tsvField', () => {
  it.each([
    ['null', null, '\\N'],
    ['undefined', undefined, '\\N'],
    ['true', true, '1'],
    ['number', 12.5, '12.5'],
    ['tab and newline', 'a\tb\nc', 'a\\tb\\nc'],
    ['backslash', 'a\\b', 'a\\\\b'],
    ['array with quote', ["it's"], "['it\\'s']"],
  ])('%s', (_name, value, expected) => {
    expect(tsvField(value)).toBe(expected);
  });

  it('refuses non-finite numbers', () => {
    expect(() => tsvField(Number.NaN)).toThrow(RangeError);
  });
});

const HOSTILE = [
  "O'Brien",
  'back\\slash',
  'tab\there',
  'new\nline',
  'cr\rlf',
  'nul\0byte',
  '"double"',
  '-- comment',
  '/* block */',
  "'); DROP TABLE events; --",
  'Cote d’Ivoire',
  'emoji 🎰 and 中文',
  ',comma,',
  '\\N',
  '',
];

describe('TSV round trip through ClickHouse', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await testDatabase('tsv')));
  afterAll(() => db.drop());

  it('stores hostile strings and arrays exactly', async () => {
    await db.store.exec('CREATE TABLE rt (i UInt32, s String, a Array(String)) ENGINE = Memory');
    await db.store.insert(
      'rt',
      ['i', 's', 'a'],
      HOSTILE.map((s, i) => [i, s, [s, s]]),
    );
    const rows = await db.store.rows<{ i: number; s: string; a: string[] }>(
      'SELECT i, s, a FROM rt ORDER BY i',
    );
    expect(rows).toEqual(HOSTILE.map((s, i) => ({ i, s, a: [s, s] })));
  });
});
