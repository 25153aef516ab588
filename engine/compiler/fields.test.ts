import { describe, expect, it } from 'vitest';
import { field } from '../catalogue/default.ts';
import { fieldValue, KeyFields } from './fields.ts';
import { timeEnv } from './time.ts';

const ENV = timeEnv('UTC', Date.parse('2024-03-31T12:00:00Z'));

describe('fieldValue', () => {
  it.each([
    ['a column', field('country', 'Country', 'string'), 'country', true],
    ['a column that is never NULL', field('player_id', 'Player', 'string'), 'player_id', false],
    ['a list column', field('tags', 'Tags', 'string_list'), 'tags', false],
    ['a key', field('vip tier', 'Tier', 'string', { key: "vip tier's" }), 'key_vip_tier_s', true],
  ])('%s', (_name, f, sql, nullable) => {
    const value = fieldValue(f, new KeyFields('players'), ENV);
    expect(value).toEqual({ sql, type: f.type, nullable });
  });

  it('reads a date column as its YYYYMMDD digits, compared as a UTC day', () => {
    const f = field('birth_date', 'Birth', 'datetime');
    expect(fieldValue(f, new KeyFields('players'), ENV)).toEqual({
      sql: 'birth_date',
      type: 'datetime',
      nullable: true,
      utcDay: true,
    });
  });

  it.each([
    ['UTC', '2024-03-31T12:00:00Z', 20240331],
    // 23:30Z on 31 March is already 1 April in Berlin, and still 31 March in New York.
    ['Europe/Berlin', '2024-03-31T23:30:00Z', 20240401],
    ['America/New_York', '2024-04-01T03:30:00Z', 20240331],
  ])('counts age up to the as-of date in the segment timezone (%s, %s)', (tz, asOf, date) => {
    const f = field('age', 'Age', 'number', { ageOf: 'birth_date' });
    const value = fieldValue(f, new KeyFields('players'), timeEnv(tz, Date.parse(asOf)));
    expect(value).toEqual({
      sql: `(intDiv(${date} + 100000000 - birth_date, 10000) - 10000)`,
      type: 'number',
      nullable: true,
    });
  });

  it.each([
    ['a column that is not a date', { ageOf: 'vip_level' }],
    ['a column name that is not a safe identifier', { column: 'country; DROP' }],
  ])('refuses %s', (_name, source) => {
    const f = field('x', 'X', 'number', source);
    expect(() => fieldValue(f, new KeyFields('players'), ENV)).toThrow(RangeError);
  });
});

describe('KeyFields', () => {
  it('names each key expression once, unique per query level', () => {
    const keys = new KeyFields('events');
    const text = field('a-b', 'A', 'string', { key: 'a-b' });
    const other = field('a_b', 'A', 'string', { key: 'a_b' });
    const number = field('a-b number', 'A', 'number', { key: 'a-b' });
    expect([text, text, other, number].map((f) => fieldValue(f, keys, ENV).sql)).toEqual([
      'key_a_b',
      'key_a_b',
      'key_a_b_2',
      'key_a_b_3',
    ]);
    expect(keys.withClause()).toBe(
      [
        'WITH',
        "    if(has(prop_keys, 'a-b'), prop_values[indexOf(prop_keys, 'a-b')], NULL) AS key_a_b,",
        "    if(has(prop_keys, 'a_b'), prop_values[indexOf(prop_keys, 'a_b')], NULL) AS key_a_b_2,",
        "    toFloat64OrNull(prop_values[indexOf(prop_keys, 'a-b')]) AS key_a_b_3",
        '',
      ].join('\n'),
    );
  });

  it('writes no WITH clause when no key is used', () => {
    expect(new KeyFields('players').withClause()).toBe('');
  });
});
