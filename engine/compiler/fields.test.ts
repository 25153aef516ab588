import { describe, expect, it } from 'vitest';
import { field } from '../catalogue/default.ts';
import { fieldValue, KeyFields } from './fields.ts';

describe('fieldValue', () => {
  it.each([
    ['a column', field('country', 'Country', 'string'), 'country', true],
    ['a column that is never NULL', field('player_id', 'Player', 'string'), 'player_id', false],
    [
      'a date column',
      field('birth_date', 'Birth', 'datetime'),
      "toDateTime(birth_date, 'UTC')",
      true,
    ],
    ['a list column', field('tags', 'Tags', 'string_list'), 'tags', false],
    ['a key', field('vip tier', 'Tier', 'string', { key: "vip tier's" }), 'key_vip_tier_s', true],
  ])('%s', (_name, f, sql, nullable) => {
    expect(fieldValue(f, new KeyFields('players'))).toMatchObject({ sql, nullable });
  });

  it('refuses a column name that is not a safe identifier', () => {
    const f = field('x', 'X', 'string', { column: 'country; DROP' });
    expect(() => fieldValue(f, new KeyFields('players'))).toThrow(RangeError);
  });
});

describe('KeyFields', () => {
  it('names each key expression once, unique per query level', () => {
    const keys = new KeyFields('events');
    const text = field('a-b', 'A', 'string', { key: 'a-b' });
    const other = field('a_b', 'A', 'string', { key: 'a_b' });
    const number = field('a-b number', 'A', 'number', { key: 'a-b' });
    expect([text, text, other, number].map((f) => fieldValue(f, keys).sql)).toEqual([
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
