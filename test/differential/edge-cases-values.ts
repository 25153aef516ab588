// Edge cases about values: exact money, strings that need escaping, missing values, repeated
// event ids, profile versions, segment references.
import type { EdgeCase } from './edge-cases.ts';
import { count, deposit, player } from './edge-cases.ts';

export const VALUE_CASES: EdgeCase[] = [
  {
    name: 'avg is exact: 10, 10, 10.0001 is above 10 and below 10.0001',
    asOf: '2024-04-01T00:00:00Z',
    rule: {
      all: [
        { list: 'deposits', measure: { avg: 'amount' }, op: 'gt', value: 10 },
        { list: 'deposits', measure: { avg: 'amount' }, op: 'lt', value: '10.0001' },
      ],
    },
    events: [
      deposit('a', '2024-03-01T00:00:00Z', '10'),
      deposit('a', '2024-03-02T00:00:00Z', '10'),
      deposit('a', '2024-03-03T00:00:00Z', '10.0001'),
      deposit('b', '2024-03-03T00:00:00Z', '10.0001'),
    ],
    expected: ['a'],
  },
  {
    name: 'avg gte V holds when sum >= V x count (1/3 of 1.0000 is not 0.3333)',
    asOf: '2024-04-01T00:00:00Z',
    rule: { list: 'deposits', measure: { avg: 'amount' }, op: 'gte', value: '0.3334' },
    events: [
      deposit('a', '2024-03-01T00:00:00Z', '1'),
      deposit('a', '2024-03-02T00:00:00Z', '0'),
      deposit('a', '2024-03-03T00:00:00Z', '0.0002'),
      deposit('b', '2024-03-01T00:00:00Z', '1'),
      deposit('b', '2024-03-02T00:00:00Z', '0'),
      deposit('b', '2024-03-03T00:00:00Z', '0'),
    ],
    expected: ['a'],
  },
  {
    name: 'sums are exact: 0.1 + 0.2 = 0.3',
    asOf: '2024-04-01T00:00:00Z',
    rule: { list: 'deposits', measure: { sum: 'amount' }, op: 'eq', value: 0.3 },
    events: [
      deposit('a', '2024-03-01T00:00:00Z', '0.1'),
      deposit('a', '2024-03-02T00:00:00Z', '0.2'),
    ],
    expected: ['a'],
  },
  {
    name: 'money gte matches exactly the value, gt does not',
    asOf: '2024-04-01T00:00:00Z',
    rule: {
      all: [
        {
          list: 'deposits',
          where: [{ field: 'amount', op: 'gte', value: 100 }],
          measure: 'count',
          op: 'eq',
          value: 2,
        },
        {
          list: 'deposits',
          where: [{ field: 'amount', op: 'gt', value: '100' }],
          measure: 'count',
          op: 'eq',
          value: 1,
        },
      ],
    },
    events: [
      deposit('a', '2024-03-01T00:00:00Z', '100.00'),
      deposit('a', '2024-03-02T00:00:00Z', '100.0001'),
      deposit('a', '2024-03-03T00:00:00Z', '99.9999'),
    ],
    expected: ['a'],
  },
  {
    name: 'distinct money values ignore trailing zeros',
    asOf: '2024-04-01T00:00:00Z',
    rule: { list: 'deposits', measure: { distinct: 'amount' }, op: 'eq', value: 1 },
    events: [
      deposit('a', '2024-03-01T00:00:00Z', '10'),
      deposit('a', '2024-03-02T00:00:00Z', '10.00'),
      deposit('a', '2024-03-03T00:00:00Z', '10.0000'),
      deposit('b', '2024-03-03T00:00:00Z', '10.0001'),
      deposit('b', '2024-03-03T00:00:00Z', '10'),
    ],
    expected: ['a'],
  },
  {
    name: 'neq on a missing property matches (operator-configured key)',
    asOf: '2024-04-01T00:00:00Z',
    rule: {
      list: 'deposits',
      where: [{ field: 'bonus_code', op: 'neq', value: 'X' }],
      measure: 'count',
      op: 'eq',
      value: 1,
    },
    events: [
      deposit('a', '2024-03-01T00:00:00Z'),
      deposit('b', '2024-03-01T00:00:00Z', '1', { props: { bonus_code: 'X' } }),
      deposit('c', '2024-03-01T00:00:00Z', '1', { props: { bonus_code: '' } }),
    ],
    expected: ['a', 'c'],
  },
  {
    name: 'matches counts characters, not bytes',
    asOf: '2024-04-01T00:00:00Z',
    rule: { field: 'country', op: 'matches', value: '^Z.rich$' },
    players: [player('a', { country: 'Zürich' }), player('b', { country: 'Zrich' })],
    expected: ['a'],
  },
  {
    name: 'contains with % and _ is literal',
    asOf: '2024-04-01T00:00:00Z',
    rule: { field: 'country', op: 'contains', value: '%_' },
    players: [player('a', { country: '50%_off' }), player('b', { country: '50xyoff' })],
    expected: ['a'],
  },
  {
    name: 'values with quotes, backslashes and newlines compare exactly',
    asOf: '2024-04-01T00:00:00Z',
    rule: { field: 'language', op: 'in', value: ['it\'s \\ "x"\nyes', 'a,b'] },
    players: [
      player('a', { language: 'it\'s \\ "x"\nyes' }),
      player('b', { language: 'a,b' }),
      player('c', { language: 'it\'s \\ "x" yes' }),
    ],
    expected: ['a', 'b'],
  },
  {
    name: 'is_empty matches missing and "", is_set only ""',
    asOf: '2024-04-01T00:00:00Z',
    rule: {
      all: [
        { field: 'language', op: 'is_empty' },
        { field: 'language', op: 'is_set' },
      ],
    },
    players: [player('a', { language: '' }), player('b'), player('c', { language: 'de' })],
    expected: ['a'],
  },
  {
    name: 'has_all and has_none on tags with commas and quotes',
    asOf: '2024-04-01T00:00:00Z',
    rule: {
      all: [
        { field: 'tags', op: 'has_all', value: ['a,b', "q'uote"] },
        { field: 'tags', op: 'has_none', value: ['a', 'b'] },
      ],
    },
    players: [
      player('a', { tags: ['a,b', "q'uote", 'x'] }),
      player('b', { tags: ['a,b', "q'uote", 'a'] }),
      player('c', { tags: ['a,b'] }),
    ],
    expected: ['a'],
  },
  {
    name: 'the same event id under two players is two events',
    asOf: '2024-04-01T00:00:00Z',
    rule: count(undefined),
    events: [
      { ...deposit('a', '2024-03-01T00:00:00Z'), event_id: 'same' },
      { ...deposit('b', '2024-03-01T00:00:00Z'), event_id: 'same' },
    ],
    expected: ['a', 'b'],
  },
  {
    name: 'a repeated event id of one player counts once, the first copy kept',
    asOf: '2024-04-01T00:00:00Z',
    rule: { list: 'deposits', measure: { sum: 'amount' }, op: 'eq', value: 10 },
    events: [
      { ...deposit('a', '2024-03-01T00:00:00Z', '10'), event_id: 'same' },
      { ...deposit('a', '2024-03-02T00:00:00Z', '99'), event_id: 'same' },
      { ...deposit('b', '2024-03-01T00:00:00Z', '10'), event_id: 'one' },
      { ...deposit('b', '2024-03-02T00:00:00Z', '10'), event_id: 'two' },
    ],
    expected: ['a'],
  },
  {
    name: 'static members: the current version, only players with a profile',
    asOf: '2024-04-01T00:00:00Z',
    rule: { segment: 'vip', op: 'in' },
    staticSegments: { vip: ['a', 'ghost'] },
    expected: ['a'],
  },
  {
    name: 'sums past the Decimal(18, 4) range stay exact',
    asOf: '2024-04-01T00:00:00Z',
    rule: { list: 'deposits', measure: { sum: 'amount' }, op: 'gt', value: '99999999999999.9999' },
    events: [
      deposit('a', '2024-03-01T00:00:00Z', '99999999999999.9999'),
      deposit('a', '2024-03-02T00:00:00Z', '0.0001'),
      deposit('b', '2024-03-01T00:00:00Z', '99999999999999.9999'),
      deposit('b', '2024-03-02T00:00:00Z', '0'),
    ],
    expected: ['a'],
  },
  {
    name: 'the profile with the highest version counts, whatever the insertion order',
    asOf: '2024-04-01T00:00:00Z',
    rule: { field: 'country', op: 'eq', value: 'DE' },
    players: [
      player('a', { version: 3, country: 'DE' }),
      player('a', { version: 2, country: 'AT' }),
      player('b', { version: 1, country: 'DE' }),
      player('b', { version: 2 }),
    ],
    expected: ['a'],
  },
];
