// Segment references, static segments, exclude groups and nested any / all / not, end to end on
// real ClickHouse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/support/isolation.ts';
import { isSegstreamError } from '../errors/errors.ts';
import { insertEvents } from '../store/events.ts';
import { insertPlayers } from '../store/players.ts';
import type { ResolvedSegment } from './context.ts';
import { allOf, AS_OF, at, DAY, members, valid } from './test-support.ts';

const ref = (segment: string, op = 'in') => ({ segment, op });
const depositedToday = allOf({
  list: 'deposits',
  window: { calendar: 'today' },
  measure: 'count',
  op: 'gte',
  value: 1,
});

const rule = (id: string, timezone: string, r: unknown): ResolvedSegment => ({
  kind: 'rule',
  id,
  timezone,
  rule: valid(r),
});

const SEGMENTS: Record<string, ResolvedSegment> = {
  depositors: rule(
    'depositors',
    'UTC',
    allOf({ list: 'deposits', measure: 'count', op: 'gte', value: 1 }),
  ),
  germans: rule('germans', 'UTC', allOf({ field: 'country', op: 'eq', value: 'DE' })),
  'berlin-today': rule('berlin-today', 'Europe/Berlin', depositedToday),
  'utc-today': rule('utc-today', 'UTC', depositedToday),
  'german-depositors': rule('german-depositors', 'UTC', allOf(ref('germans'), ref('depositors'))),
  vip: { kind: 'static', id: 'vip', version: 2 },
  'cycle-a': rule('cycle-a', 'UTC', allOf(ref('cycle-b'))),
  'cycle-b': rule('cycle-b', 'UTC', allOf(ref('cycle-a'))),
};

type Case = [string, unknown, string[]];

const CASES: Case[] = [
  ['in', allOf(ref('depositors')), ['r1', 'r3', 'r4']],
  ['not_in: the rest of the universe', allOf(ref('depositors', 'not_in')), ['r2', 'r5']],
  ['attribute segment', allOf(ref('germans')), ['r1', 'r2']],
  ["the referenced segment's own timezone", allOf(ref('berlin-today')), ['r4']],
  ['the same rule in UTC', allOf(ref('utc-today')), []],
  ['nested references', allOf(ref('german-depositors')), ['r1']],
  ['static: uploaded ids that have a profile', allOf(ref('vip')), ['r1', 'r3']],
  ['static not_in', allOf(ref('vip', 'not_in')), ['r2', 'r4', 'r5']],
  [
    'exclude a segment',
    { include: { all: [ref('depositors')] }, exclude: { any: [ref('vip')] } },
    ['r4'],
  ],
  [
    'exclude keeps players the exclude group does not match (missing country)',
    {
      include: { all: [ref('depositors')] },
      exclude: { any: [{ field: 'country', op: 'eq', value: 'AT' }] },
    },
    ['r1', 'r4'],
  ],
  [
    'nested any / all / not',
    {
      include: {
        any: [
          { all: [ref('germans'), { not: ref('depositors') }] },
          { all: [{ field: 'country', op: 'eq', value: 'AT' }, { not: ref('vip') }] },
        ],
      },
    },
    ['r2', 'r5'],
  ],
  ['not of a group', allOf({ not: { any: [ref('germans'), ref('vip')] } }), ['r4', 'r5']],
  ['double not', allOf({ not: { not: ref('depositors') } }), ['r1', 'r3', 'r4']],
  [
    'mixed with a negative attribute',
    allOf({ field: 'country', op: 'neq', value: 'DE' }, ref('depositors')),
    ['r3', 'r4'],
  ],
];

describe('segment references and groups (real ClickHouse)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase('compiler_refs');
    await insertPlayers(db.store, [
      { player_id: 'r1', version: 1, country: 'DE' },
      { player_id: 'r2', version: 1, country: 'DE' },
      { player_id: 'r3', version: 1, country: 'AT' },
      { player_id: 'r4', version: 1 },
      { player_id: 'r5', version: 1, country: 'AT' },
    ]);
    const deposit = (id: string, player: string, time: number) => ({
      event_id: id,
      player_id: player,
      type: 'deposit',
      event_time: time,
      amount: '10',
    });
    await insertEvents(db.store, [
      deposit('x1', 'r1', AS_OF - DAY),
      deposit('x2', 'r3', AS_OF - 10 * DAY),
      // 00:30 on 31 March in Berlin, still 30 March in UTC.
      deposit('x3', 'r4', at('2024-03-30T23:30:00Z')),
    ]);
    await db.store.insert(
      'static_segment_members',
      ['segment_id', 'version', 'player_id'],
      [
        ['vip', 1, 'r2'],
        ['vip', 2, 'r1'],
        ['vip', 2, 'r3'],
        ['vip', 2, 'nobody'],
        ['other', 2, 'r5'],
      ],
    );
  });
  afterAll(() => db.drop());

  it.each(CASES)('%s', async (_name, r, expected) => {
    expect(await members(db.store, r, { segments: SEGMENTS })).toEqual(expected);
  });

  it.each([
    ['an unknown segment', allOf(ref('missing')), 'RULE_SEGMENT_UNKNOWN', 'include.all[0].segment'],
    ['a cycle', allOf(ref('cycle-a')), 'RULE_SEGMENT_CYCLE', 'include.all[0].segment'],
  ])('refuses %s with a coded error', async (_name, r, code, path) => {
    const error = await members(db.store, r, { segments: SEGMENTS }).catch((err: unknown) => err);
    expect(isSegstreamError(error) && { code: error.code, path: error.details.path }).toEqual({
      code,
      path,
    });
  });
});
