// compileMultiQuery against compileMembersQuery: for a batch of diverse segments, the flags of
// the one-scan query must give exactly each segment's members.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/support/isolation.ts';
import { insertEvents } from '../store/events.ts';
import { insertPlayers } from '../store/players.ts';
import type { BatchSegment, ResolvedSegment } from './context.ts';
import { evaluateRule } from './evaluate.ts';
import { EVENT_PLAYERS, EVENTS } from './fixtures.ts';
import { compileMultiQuery } from './query.ts';
import { allOf, contextFor, valid } from './test-support.ts';

const WEEK = { last: 7, unit: 'day' };
const deposits = (measure: unknown, op: string, value: unknown, extra: object = {}) => ({
  list: 'deposits',
  window: WEEK,
  measure,
  op,
  value,
  ...extra,
});
const ref = (segment: string, op = 'in') => ({ segment, op });

const segment = (id: string, timezone: string, rule: unknown): BatchSegment => ({
  id,
  timezone,
  rule: valid(rule),
});

const BATCH: BatchSegment[] = [
  segment('big', 'UTC', allOf(deposits({ sum: 'amount' }, 'gte', 100))),
  segment('avg', 'Europe/Berlin', allOf(deposits({ avg: 'amount' }, 'gte', 50))),
  segment('none', 'UTC', allOf(deposits('count', 'eq', 0))),
  segment('bettors', 'UTC', allOf({ list: 'bets', measure: 'count', op: 'gte', value: 1 })),
  segment('big-german', 'UTC', allOf(ref('big'), { field: 'country', op: 'eq', value: 'DE' })),
  segment('not-big', 'UTC', allOf(ref('big', 'not_in'))),
  segment('outside', 'UTC', allOf(ref('loggers'))),
  segment('vip', 'UTC', allOf(ref('static-vip'))),
  segment('exclude', 'UTC', {
    include: { all: [deposits('count', 'gte', 1, { window: { calendar: 'this_month' } })] },
    // A reference to a segment later in the batch.
    exclude: { any: [ref('minmax')] },
  }),
  segment('days', 'Europe/Berlin', allOf(deposits('count_days', 'gte', 2))),
  segment(
    'recent',
    'America/New_York',
    allOf(deposits('last_time', 'within_last', { last: 1, unit: 'day' })),
  ),
  segment('minmax', 'UTC', {
    include: {
      any: [deposits({ min: 'amount' }, 'lt', 1), deposits({ max: 'amount' }, 'gte', 100)],
    },
  }),
  segment('nobody', 'UTC', allOf({ field: 'country', op: 'eq', value: 'XX' })),
  segment('big-copy', 'UTC', allOf(deposits({ sum: 'amount' }, 'gte', 100))),
];

const OUTSIDE: Record<string, ResolvedSegment> = {
  loggers: {
    kind: 'rule',
    id: 'loggers',
    timezone: 'UTC',
    rule: valid(allOf({ list: 'logins', measure: 'count', op: 'gte', value: 1 })),
  },
  'static-vip': { kind: 'static', id: 'static-vip', version: 1 },
};

/** In-batch segments resolve to themselves, as the engine's repository would. */
function resolved(): Record<string, ResolvedSegment> {
  const batch = BATCH.map((s): [string, ResolvedSegment] => [s.id, { kind: 'rule', ...s }]);
  return { ...OUTSIDE, ...Object.fromEntries(batch) };
}

describe('compileMultiQuery (real ClickHouse)', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await testDatabase('compiler_multi');
    await insertPlayers(db.store, EVENT_PLAYERS);
    await insertEvents(db.store, EVENTS);
    await db.store.insert(
      'static_segment_members',
      ['segment_id', 'version', 'player_id'],
      [
        ['static-vip', 1, 'p1'],
        ['static-vip', 1, 'p5'],
      ],
    );
  });
  afterAll(() => db.drop());

  it('flags each player with exactly the segments compileMembersQuery finds', async () => {
    const ctx = contextFor({ segments: resolved() });
    const rows = await db.store.rows<{ player_id: string; flags: number[] }>(
      compileMultiQuery(BATCH, ctx),
    );

    for (const [i, s] of BATCH.entries()) {
      const expected = await evaluateRule(db.store, s.rule, { ...ctx, timezone: s.timezone });
      const flagged = rows.filter((r) => r.flags[i] === 1).map((r) => r.player_id);
      expect({ segment: s.id, members: flagged.sort() }).toEqual({
        segment: s.id,
        members: expected,
      });
    }
    expect(rows.every((r) => r.flags.length === BATCH.length && r.flags.includes(1))).toBe(true);
    expect(new Set(rows.map((r) => r.player_id)).size).toBe(rows.length);
  });

  it('gives a batch the members that single evaluation gives (spot check)', async () => {
    const ctx = contextFor({ segments: resolved() });
    const rows = await db.store.rows<{ player_id: string; flags: number[] }>(
      compileMultiQuery([BATCH[0]!, BATCH[4]!], ctx),
    );
    const byPlayer = Object.fromEntries(rows.map((r) => [r.player_id, r.flags]));
    expect(byPlayer).toEqual({ p1: [1, 1], p2: [1, 1] });
  });

  it('computes shared aggregates once and reuses flags of the batch', () => {
    const ctx = contextFor({ segments: resolved() });
    const single = compileMultiQuery([BATCH[0]!], ctx);
    const twice = compileMultiQuery([BATCH[0]!, BATCH[13]!, BATCH[4]!], ctx);
    const aggregates = (sql: string) => sql.match(/ AS m\d+_\w+/g)?.length;
    expect(aggregates(twice)).toBe(aggregates(single));
    expect(twice.match(/FROM players FINAL/g)?.length).toBe(1);
  });

  it.each([
    ['two players', ['p5', 'p1'], ['p1', 'p5']],
    ['players with and without a profile', ['p4', 'ghost', 'p6', 'nobody'], ['p4', 'p6']],
    ['one player named twice', ['p2', 'p2'], ['p2']],
    ['a quote in an id', ["p'1", 'p3'], ['p3']],
    ['no player', [], []],
  ])('restricted to %s, gives exactly their rows of the full query', async (_, players, ids) => {
    const ctx = contextFor({ segments: resolved() });
    type Row = { player_id: string; flags: number[] };
    const byId = (a: Row, b: Row) => a.player_id.localeCompare(b.player_id);
    const full = await db.store.rows<Row>(compileMultiQuery(BATCH, ctx));
    const restricted = await db.store.rows<Row>(compileMultiQuery(BATCH, ctx, { players }));

    expect(restricted.map((r) => r.player_id).sort()).toEqual(ids);
    expect(restricted.sort(byId)).toEqual(full.filter((r) => ids.includes(r.player_id)).sort(byId));
  });

  it('restricts both the players and the event scan to the given players', () => {
    const sql = compileMultiQuery([BATCH[0]!], contextFor({ segments: resolved() }), {
      players: ['p2', 'p1'],
    });
    expect(sql.match(/player_id IN \('p1', 'p2'\)/g)?.length).toBe(2);
  });

  it('refuses an empty batch', () => {
    expect(() => compileMultiQuery([], contextFor())).toThrow(RangeError);
  });
});
