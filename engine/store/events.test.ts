import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../test/support/isolation.ts';
import { insertEvents, type EventRow } from './events.ts';
import { insertPlayers } from './players.ts';

const at = (iso: string) => Date.parse(iso);

describe('insertEvents (real ClickHouse)', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await testDatabase('events')));
  afterAll(() => db.drop());

  const deposit = (id: string, amount: string): EventRow => ({
    event_id: id,
    player_id: 'p1',
    type: 'deposit',
    event_time: at('2026-01-05T10:00:00Z'),
    amount,
    props: { bonus_code: "WELCOME'1" },
  });

  it('stores each event id once across batches and inside a batch', async () => {
    const first = await insertEvents(db.store, [deposit('e1', '100.00'), deposit('e1', '100.00')]);
    expect(first).toEqual({ inserted: 1, duplicates: 1 });
    const retry = await insertEvents(db.store, [deposit('e1', '100.00'), deposit('e2', '0.0001')]);
    expect(retry).toEqual({ inserted: 1, duplicates: 1 });

    const rows = await db.store.rows<{ event_id: string; amount: string; v: string }>(
      `SELECT event_id, toString(amount) AS amount, prop_values[indexOf(prop_keys, 'bonus_code')] AS v
       FROM events ORDER BY event_id`,
    );
    // 18.16 prints decimals with all their places ("100.0000"), current releases trim them.
    expect(rows.map((r) => ({ ...r, amount: Number(r.amount) }))).toEqual([
      { event_id: 'e1', amount: 100, v: "WELCOME'1" },
      { event_id: 'e2', amount: 0.0001, v: "WELCOME'1" },
    ]);
  });

  // Failing input of issue 4's pipeline tests: matching on event_id alone dropped p3's event
  // when p2's copy was in the same batch or in the same lookup, and kept it otherwise.
  it('identifies an event by player and event_id, however the events are batched', async () => {
    const of = (player: string, id: string): EventRow => ({
      ...deposit(id, '1.00'),
      player_id: player,
    });
    expect(await insertEvents(db.store, [of('p2', 'shared'), of('p3', 'shared')])).toEqual({
      inserted: 2,
      duplicates: 0,
    });
    expect(await insertEvents(db.store, [of('p4', 'shared'), of('p2', 'other')])).toEqual({
      inserted: 2,
      duplicates: 0,
    });
    expect(await insertEvents(db.store, [of('p3', 'shared'), of('p4', 'shared')])).toEqual({
      inserted: 0,
      duplicates: 2,
    });
    const rows = await db.store.rows<{ k: string }>(
      `SELECT concat(player_id, ':', event_id) AS k FROM events
       WHERE player_id != 'p1' ORDER BY k`,
    );
    expect(rows.map((r) => r.k)).toEqual(['p2:other', 'p2:shared', 'p3:shared', 'p4:shared']);
  });

  it('keeps the latest player profile by version', async () => {
    await insertPlayers(db.store, [
      { player_id: 'p1', version: 1, country: 'DE', self_excluded: false },
      { player_id: 'p1', version: 2, country: 'AT', self_excluded: null },
    ]);
    const rows = await db.store.rows<{ country: string | null; self_excluded: number | null }>(
      'SELECT country, self_excluded FROM players FINAL',
    );
    expect(rows).toEqual([{ country: 'AT', self_excluded: null }]);
  });
});
