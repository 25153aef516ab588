import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../catalogue/default.ts';
import { isSegstreamError } from '../errors/errors.ts';
import type { Item, Rule } from '../rules/schema.ts';
import type { PlayerRow } from '../store/players.ts';
import { referenceEvaluate, type ReferenceSegment } from './evaluate.ts';
import { context, deposit, evaluate, PLAYERS } from './test-support.ts';

describe('attribute conditions on the latest profile', () => {
  it.each<[string, Item, string[]]>([
    ['eq', { field: 'country', op: 'eq', value: 'DE' }, ['p1']],
    ['neq matches missing', { field: 'country', op: 'neq', value: 'DE' }, ['p2', 'p3', 'p4']],
    ['is_set', { field: 'language', op: 'is_set' }, ['p2']],
    ['is_empty', { field: 'language', op: 'is_empty' }, ['p1', 'p2', 'p3', 'p4']],
    ['is_not_empty', { field: 'language', op: 'is_not_empty' }, []],
    ['not', { not: { field: 'country', op: 'in', value: ['DE', 'AT'] } }, ['p3', 'p4']],
  ])('%s', (_name, item, expected) => {
    expect(evaluate(item, [])).toEqual(expected);
  });
});

describe('event windows and counting', () => {
  const events = [
    deposit('p1', '2024-03-25T12:00:00Z', '10'), // exactly as-of - 7 days: outside
    deposit('p1', '2024-03-25T12:00:01Z', '10'),
    deposit('p1', '2024-04-01T12:00:00Z', '10'), // exactly as-of: inside
    deposit('p2', '2024-04-01T12:00:01Z', '10'), // future: ignored
    deposit('p2', '2024-03-31T00:00:00Z', '10'),
    deposit('p5', '2024-03-31T00:00:00Z', '10'), // no profile: not in the universe
  ];
  const last7 = { last: 7, unit: 'day' };
  it.each<[string, Item, string[]]>([
    [
      'count gte 2',
      { list: 'deposits', window: last7, measure: 'count', op: 'gte', value: 2 },
      ['p1'],
    ],
    [
      'count eq 1',
      { list: 'deposits', window: last7, measure: 'count', op: 'eq', value: 1 },
      ['p2'],
    ],
    [
      'count eq 0 includes players who never deposited',
      { list: 'deposits', window: last7, measure: 'count', op: 'eq', value: 0 },
      ['p3', 'p4'],
    ],
    ['all time', { list: 'deposits', measure: 'count', op: 'eq', value: 3 }, ['p1']],
    [
      '168 hours',
      {
        list: 'deposits',
        window: { last: 168, unit: 'hour' },
        measure: 'count',
        op: 'eq',
        value: 2,
      },
      ['p1'],
    ],
    [
      'yesterday',
      {
        list: 'deposits',
        window: { calendar: 'yesterday' },
        measure: 'count',
        op: 'gte',
        value: 1,
      },
      ['p2'],
    ],
    [
      'today',
      { list: 'deposits', window: { calendar: 'today' }, measure: 'count', op: 'gte', value: 1 },
      ['p1'],
    ],
    [
      'from/to is half-open',
      {
        list: 'deposits',
        window: { from: '2024-03-25T12:00:01Z', to: '2024-04-01T12:00:00Z' },
        measure: 'count',
        op: 'eq',
        value: 1,
      },
      ['p1', 'p2'],
    ],
    [
      'from/to stops at as-of',
      {
        list: 'deposits',
        window: { from: '2024-03-31', to: '2025-01-01' },
        measure: 'count',
        op: 'eq',
        value: 1,
      },
      ['p1', 'p2'],
    ],
  ])('%s', (_name, item, expected) => {
    expect(evaluate(item, events)).toEqual(expected);
  });

  it('counts a repeated event id once, keeping the first copy', () => {
    const first = deposit('p1', '2024-03-30T10:00:00Z', '50');
    const copy = { ...first, amount: '500' };
    const item: Item = { list: 'deposits', measure: { sum: 'amount' }, op: 'eq', value: 50 };
    expect(evaluate(item, [first, copy])).toEqual(['p1']);
  });

  it('cuts event times to whole seconds', () => {
    const late = deposit('p1', '2024-04-01T12:00:00.900Z', '1');
    const item: Item = { list: 'deposits', measure: 'count', op: 'eq', value: 1 };
    expect(evaluate(item, [late])).toEqual(['p1']);
  });
});

const STATIC = { vip: ['p2', 'p3', 'ghost'] };
const SEGMENTS: Record<string, ReferenceSegment> = {
  germans: {
    kind: 'rule',
    rule: { include: { all: [{ field: 'country', op: 'eq', value: 'DE' }] } },
    timezone: 'UTC',
  },
  vip: { kind: 'static', id: 'vip' },
  loop: {
    kind: 'rule',
    rule: { include: { all: [{ segment: 'loop', op: 'in' }] } },
    timezone: 'UTC',
  },
};
const resolveSegment = (id: string) => SEGMENTS[id];

describe('segment references and exclude', () => {
  it.each<[string, Item, string[]]>([
    ['rule segment in', { segment: 'germans', op: 'in' }, ['p1']],
    ['rule segment not_in', { segment: 'germans', op: 'not_in' }, ['p2', 'p3', 'p4']],
    ['static members need a profile', { segment: 'vip', op: 'in' }, ['p2', 'p3']],
    ['static not_in', { segment: 'vip', op: 'not_in' }, ['p1', 'p4']],
    [
      'any of both',
      {
        any: [
          { segment: 'vip', op: 'in' },
          { segment: 'germans', op: 'in' },
        ],
      },
      ['p1', 'p2', 'p3'],
    ],
  ])('%s', (_name, item, expected) => {
    expect(evaluate(item, [], { resolveSegment }, STATIC)).toEqual(expected);
  });

  it('exclude removes matching players', () => {
    const rule: Rule = {
      include: { all: [{ field: 'player_id', op: 'is_set' }] },
      exclude: { any: [{ segment: 'vip', op: 'in' }] },
    };
    const data = { players: PLAYERS, events: [], staticSegments: STATIC };
    expect(referenceEvaluate(rule, data, context({ resolveSegment }))).toEqual(['p1', 'p4']);
  });

  it.each([
    ['unknown', 'RULE_SEGMENT_UNKNOWN'],
    ['loop', 'RULE_SEGMENT_CYCLE'],
  ] as const)('a reference to %s is refused with %s', (segment, code) => {
    let error: unknown;
    try {
      evaluate({ segment, op: 'in' }, [], { resolveSegment }, STATIC);
    } catch (err) {
      error = err;
    }
    expect(isSegstreamError(error, code)).toBe(true);
  });
});

describe('operator-configured attributes and properties', () => {
  const catalogue = {
    lists: DEFAULT_CATALOGUE.lists.map((list) => {
      const extra =
        list.kind === 'players' ? 'affiliate' : list.id === 'deposits' ? 'bonus_code' : undefined;
      if (!extra) return list;
      const field = {
        name: extra,
        label: extra,
        type: 'string' as const,
        source: { key: extra },
        usableInRules: true,
        shownInTables: true,
        anonymized: false,
      };
      return { ...list, fields: [...list.fields, field] };
    }),
  };
  const players: PlayerRow[] = [
    { player_id: 'a', version: 1, attributes: { affiliate: 'x,"y"' } },
    { player_id: 'b', version: 1, attributes: { other: '1' } },
  ];
  const events = [
    deposit('a', '2024-03-01T00:00:00Z', '1', { props: { bonus_code: 'W1' } }),
    deposit('b', '2024-03-01T00:00:00Z', '1'),
  ];
  it.each<[string, Item, string[]]>([
    ['attribute eq', { field: 'affiliate', op: 'eq', value: 'x,"y"' }, ['a']],
    ['attribute missing', { field: 'affiliate', op: 'is_not_set' }, ['b']],
    [
      'property where',
      {
        list: 'deposits',
        where: [{ field: 'bonus_code', op: 'starts_with', value: 'W' }],
        measure: 'count',
        op: 'eq',
        value: 1,
      },
      ['a'],
    ],
  ])('%s', (_name, item, expected) => {
    const rule: Rule = { include: { all: [item] } };
    expect(referenceEvaluate(rule, { players, events }, context({ catalogue }))).toEqual(expected);
  });
});
