// One truth: after a long random stream of events and profile changes evaluated tick by tick, a
// sweep at the same as-of time finds nothing to change (sweep == incremental), and for every
// segment the count in Redis, the member list from the bitmap and a from-scratch evaluateRule
// agree exactly. The transitions in ClickHouse replay to the same members.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlString } from '../sql/literal.ts';
import { insertEvents, type EventRow } from '../store/events.ts';
import { insertPlayers, type PlayerRow } from '../store/players.ts';
import type { Engine } from './engine.ts';
import { DAY, event, harness, HOUR, type Harness } from './test-support.ts';

const deposits = (measure: unknown, op: string, value: unknown, window?: object) => ({
  list: 'deposits',
  measure,
  op,
  value,
  ...(window ? { window } : {}),
});
const all = (...items: unknown[]) => ({ include: { all: items } });

const SEGMENTS: Record<string, unknown> = {
  big: all(deposits({ sum: 'amount' }, 'gte', 100, { last: 7, unit: 'day' })),
  active: all({
    list: 'logins',
    window: { last: 1, unit: 'day' },
    measure: 'count',
    op: 'gte',
    value: 1,
  }),
  vip: all({ field: 'vip_level', op: 'gte', value: 3 }),
  'de-bettors': all(
    { field: 'country', op: 'eq', value: 'DE' },
    { list: 'bets', measure: 'count', op: 'gte', value: 1 },
  ),
  lapsed: all(deposits('count', 'eq', 0, { last: 3, unit: 'day' })),
  'big-not-vip': {
    include: { all: [{ segment: 'big', op: 'in' }] },
    exclude: { any: [{ segment: 'vip', op: 'in' }] },
  },
  days: all(deposits('count_days', 'gte', 2, { last: 7, unit: 'day' })),
  avg: all(deposits({ avg: 'amount' }, 'gte', 20)),
};

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const SEED = 20_261_203;
const TYPES = ['deposit', 'deposit', 'bet', 'login', 'withdrawal'];

function batch(rand: () => number, now: number, players: number): EventRow[] {
  return Array.from({ length: 25 }, () => {
    const player = `p${Math.floor(rand() * players)}`;
    const type = TYPES[Math.floor(rand() * TYPES.length)]!;
    const time = now - Math.floor(rand() * 9 * DAY);
    const amount = type === 'login' ? null : (rand() * 80).toFixed(2);
    return event(player, type, time, { amount });
  });
}

function profiles(rand: () => number, players: number, version: number): PlayerRow[] {
  return Array.from({ length: 6 }, () => ({
    player_id: `p${Math.floor(rand() * (players + 5))}`,
    version,
    country: rand() < 0.5 ? 'DE' : 'AT',
    vip_level: Math.floor(rand() * 5),
  }));
}

describe('sweep == incremental == evaluateRule after a random stream', () => {
  let h: Harness;
  let engine: Engine;
  const ids = Object.keys(SEGMENTS);

  beforeAll(async () => {
    h = await harness('engine_truth');
    const rand = random(SEED);
    await insertPlayers(
      h.db.store,
      Array.from({ length: 30 }, (_, i) => ({ player_id: `p${i}`, version: 1, country: 'DE' })),
    );
    for (const id of ids) {
      await h.repo.create({ name: id, rule: SEGMENTS[id] }, { createdBy: 't', id });
    }
    await h.repo.create(
      { name: 'static', static_members: ['p1', 'p5', 'p9', 'ghost'] },
      { createdBy: 't', id: 'static' },
    );
    engine = h.engine();
    await engine.step();

    for (let round = 0; round < 15; round++) {
      await insertEvents(h.db.store, batch(rand, h.clock.now, 35));
      if (round % 3 === 1) await insertPlayers(h.db.store, profiles(rand, 35, round + 2));
      // An uploaded id whose profile arrives later joins the static segment then.
      if (round === 7) await insertPlayers(h.db.store, [{ player_id: 'ghost', version: 1 }]);
      await engine.step();
    }
  });
  afterAll(() => h.close());

  it('changed membership in ticks along the way, in every segment', async () => {
    await engine.drainJournal();
    const rows = await h.db.store.rows<{ segment_id: string; n: number }>(
      `SELECT segment_id, count() AS n FROM membership_transitions
       WHERE cause = 'tick' GROUP BY segment_id ORDER BY segment_id`,
    );
    expect(rows.map((r) => r.segment_id)).toEqual([...ids, 'static'].sort());
  });

  it('finds nothing to change in a sweep at the same as-of time', async () => {
    engine.requestSweep();
    const report = await engine.step();
    expect(report).toMatchObject({ sweep: { entered: 0, exited: 0 } });
    expect(report.role === 'leader' && report.sweep?.failed.size).toBe(0);
  });

  it.each([...Object.keys(SEGMENTS), 'static'])(
    'agrees on %s: count, member list and evaluateRule',
    async (id) => {
      const expected = id === 'static' ? ['ghost', 'p1', 'p5', 'p9'] : await h.expected(id);
      expect(await h.members(id)).toEqual(expected);
      expect(await h.reader.count(id)).toBe(expected.length);
    },
  );

  it('records transitions that replay to the members', async () => {
    await engine.drainJournal();
    for (const id of [...ids, 'static']) {
      const rows = await h.db.store.rows<{ player_id: string; last: string }>(
        `SELECT player_id, argMax(kind, seq) AS last FROM membership_transitions
         WHERE segment_id = ${sqlString(id)} GROUP BY player_id HAVING last = 'entered'`,
      );
      expect(rows.map((r) => r.player_id).sort()).toEqual(await h.members(id));
    }
  });

  it('lets members leave when their events age out, in a sweep', async () => {
    const before = await h.members('active');
    expect(before.length).toBeGreaterThan(0);
    h.clock.now += 2 * DAY + HOUR;
    await engine.step();
    expect(await h.members('active')).toEqual(before);

    engine.requestSweep();
    await engine.step();
    expect(await h.members('active')).toEqual(await h.expected('active'));
    expect(await h.members('active')).toEqual([]);
    expect(await h.members('lapsed')).toEqual(await h.expected('lapsed'));
  });
});
