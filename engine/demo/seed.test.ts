import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/support/isolation.ts';
import { sqlString } from '../sql/literal.ts';
import { insertEvents, type EventRow } from '../store/events.ts';
import type { PlayerRow } from '../store/players.ts';
import { generatePopulation, type PopulationOptions } from './population.ts';
import { loadRoster, nextPlayerIndex } from './roster.ts';
import { countPlayers, seedPopulation } from './seed.ts';
import { runStream, storeSink } from './stream.ts';

const OPTS: PopulationOptions = { players: 400, seed: 3, now: Date.now() };

const players: PlayerRow[] = [];
const events: EventRow[] = [];
for (const b of generatePopulation(OPTS)) {
  players.push(...b.players);
  events.push(...b.events);
}

describe('seedPopulation (real ClickHouse)', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await testDatabase('demo_seed')));
  afterAll(() => db.drop());

  it('resumes a seed that stopped half-way without storing any event twice', async () => {
    // A crashed earlier run: some events stored, no players yet.
    await insertEvents(db.store, events.slice(0, 1_000));
    const report = await seedPopulation(db.store, OPTS);
    expect(report).toMatchObject({
      seeded: true,
      players: 400,
      events: events.length - 1_000,
    });
    const [stored] = await db.store.rows<{ n: number; ids: number; amount: string }>(
      `SELECT count() AS n, uniqExact(event_id) AS ids, toString(sum(amount)) AS amount
       FROM events`,
    );
    const total = events.reduce((sum, e) => sum + Math.round(Number(e.amount ?? 0) * 100), 0);
    expect(stored?.n).toBe(events.length);
    expect(stored?.ids).toBe(events.length);
    expect(Math.round(Number(stored?.amount) * 100)).toBe(total);
    expect(await countPlayers(db.store)).toBe(400);
  });

  it('leaves a populated database alone', async () => {
    expect(await seedPopulation(db.store, OPTS)).toEqual({
      seeded: false,
      players: 0,
      events: 0,
      durationMs: 0,
    });
    expect(await countPlayers(db.store)).toBe(400);
  });

  it('stores profiles as generated', async () => {
    const sample = players[17] as PlayerRow;
    const [row] = await db.store.rows<Record<string, unknown>>(
      `SELECT country, currency, birth_date, vip_level, self_excluded,
              toUnixTimestamp(registered_at) AS registered_s, tags
       FROM players FINAL WHERE player_id = ${sqlString(sample.player_id)}`,
    );
    expect(row).toEqual({
      country: sample.country,
      currency: sample.currency,
      birth_date: Number(sample.birth_date?.replaceAll('-', '')),
      vip_level: sample.vip_level,
      self_excluded: sample.self_excluded ? 1 : 0,
      registered_s: (sample.registered_at as number) / 1000,
      tags: sample.tags,
    });
  });

  it('stores the birth dates of players born before 1970', async () => {
    const dates = players.map((p) => p.birth_date as string).sort();
    const [stored] = await db.store.rows<{ before1970: string; earliest: number }>(
      `SELECT countIf(birth_date < 19700101) AS before1970, min(birth_date) AS earliest
       FROM players FINAL`,
    );
    const before1970 = dates.filter((d) => d < '1970-01-01').length;
    expect(before1970).toBeGreaterThan(0);
    expect(Number(stored?.before1970)).toBe(before1970);
    expect(stored?.earliest).toBe(Number(dates[0]?.replaceAll('-', '')));
  });

  it('gives the stream only players who may play, and the next free index', async () => {
    const roster = await loadRoster(db.store);
    const allowed = players.filter(
      (p) =>
        !p.self_excluded &&
        p.account_status === 'active' &&
        (p.cooling_off_until == null || p.cooling_off_until < Date.now()),
    );
    expect(roster.map((r) => r.player_id)).toEqual(allowed.map((p) => p.player_id));
    expect(await nextPlayerIndex(db.store)).toBe(401);
  });

  it('streams new events and registrations into ClickHouse', async () => {
    const before = await count(db, 'events');
    const controller = new AbortController();
    const done = runStream({
      rate: 100,
      intervalMs: 100,
      roster: await loadRoster(db.store),
      firstNewIndex: await nextPlayerIndex(db.store),
      sink: storeSink(db.store),
      signal: controller.signal,
    });
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    controller.abort();
    const stats = await done;

    expect(stats.failedBatches).toBe(0);
    expect(stats.events).toBeGreaterThan(50);
    expect(await count(db, 'events')).toBe(before + stats.events);
    expect(await count(db, 'players')).toBe(400 + stats.players);
  });
});

async function count(db: TestDatabase, table: 'events' | 'players'): Promise<number> {
  const rows = await db.store.rows<{ n: number }>(`SELECT count() AS n FROM ${table}`);
  return Number(rows[0]?.n);
}
