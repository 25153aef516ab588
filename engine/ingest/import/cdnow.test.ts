import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../../test/support/isolation.ts';
import { importCdnow } from './cdnow.ts';
import { hasSharedData, removeTemp, SHARED_DATA, SKIP_NO_DATA, tempFiles } from './testing.ts';

const CDNOW = 'cdnow_master_transactions.txt';

const SMALL = [
  ' customer_id  date number_of_cds  dollar_value',
  ' 00001 19970101  1   11.77',
  ' 00002 19970112  1   12.00',
  ' 00002 19970112  5   77.00',
  ' 00002 19970315  2  1286.01',
  ' 00003 1997013   2   20.76',
  ' 00003 19970102  2   20,76',
  ' 00004 19970102',
  ' 00003 19970105  1    0.00',
].join('\r\n');

describe('importCdnow (real ClickHouse)', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await testDatabase('cdnow');
    dir = tempFiles({ 'cdnow.txt': SMALL });
  });
  afterAll(async () => {
    removeTemp(dir);
    await db.drop();
  });

  it('loads every good row as a deposit and every customer as a player', async () => {
    const summary = await importCdnow(db.store, path.join(dir, 'cdnow.txt'));
    expect(summary).toMatchObject({
      read: 8,
      rejected: 3,
      events: { loaded: 5, duplicates: 0 },
      players: { loaded: 3, duplicates: 0 },
    });
    expect(summary.rejections.map((r) => [r.line, r.field, r.code])).toEqual([
      [6, 'date', 'IMPORT_ROW_INVALID'],
      [7, 'dollar_value', 'IMPORT_ROW_INVALID'],
      [8, null, 'IMPORT_ROW_MALFORMED'],
    ]);

    const events = await db.store.rows<Record<string, unknown>>(
      `SELECT event_id, player_id, type, toString(event_time) AS t, toString(amount) AS amount,
              currency, quantity
       FROM events ORDER BY event_id`,
    );
    expect(events.map((e) => ({ ...e, amount: Number(e.amount) }))).toEqual([
      row('cdnow:00001:19970101:1', '00001', '1997-01-01', 11.77, 1),
      row('cdnow:00002:19970112:1', '00002', '1997-01-12', 12, 1),
      row('cdnow:00002:19970112:2', '00002', '1997-01-12', 77, 5),
      row('cdnow:00002:19970315:1', '00002', '1997-03-15', 1286.01, 2),
      row('cdnow:00003:19970105:1', '00003', '1997-01-05', 0, 1),
    ]);
    const players = await db.store.rows<{ player_id: string; r: string; currency: string }>(
      `SELECT player_id, toString(registered_at) AS r, currency FROM players FINAL
       ORDER BY player_id`,
    );
    expect(players).toEqual([
      { player_id: '00001', r: '1997-01-01 00:00:00', currency: 'USD' },
      { player_id: '00002', r: '1997-01-12 00:00:00', currency: 'USD' },
      { player_id: '00003', r: '1997-01-05 00:00:00', currency: 'USD' },
    ]);
  });

  it('adds nothing when the same file is imported again', async () => {
    const again = await importCdnow(db.store, path.join(dir, 'cdnow.txt'));
    expect(again).toMatchObject({
      events: { loaded: 0, duplicates: 5 },
      players: { loaded: 0, duplicates: 3 },
    });
    const [count] = await db.store.rows<{ e: number; p: number }>(
      'SELECT (SELECT count() FROM events) AS e, (SELECT count() FROM players) AS p',
    );
    expect(count).toEqual({ e: 5, p: 3 });
  });
});

function row(id: string, player: string, day: string, amount: number, quantity: number) {
  return {
    event_id: id,
    player_id: player,
    type: 'deposit',
    t: `${day} 00:00:00`,
    amount,
    currency: 'USD',
    quantity,
  };
}

/** Loading twice on a busy two-core machine can take minutes. */
const REAL_FILE_TIMEOUT_MS = 300_000;

const haveCdnow = hasSharedData(CDNOW);

describe.skipIf(!haveCdnow)(haveCdnow ? 'importCdnow on the real file' : SKIP_NO_DATA, () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await testDatabase('cdnow_real')));
  afterAll(() => db.drop());

  it(
    'loads 69,659 events for 23,570 players, and none on a second run',
    async () => {
      const file = path.join(SHARED_DATA, CDNOW);
      const first = await importCdnow(db.store, file);
      console.log(`CDNOW import: ${first.read} rows in ${first.elapsedMs} ms`);
      expect(first).toMatchObject({
        read: 69_659,
        rejected: 0,
        events: { loaded: 69_659, duplicates: 0 },
        players: { loaded: 23_570, duplicates: 0 },
      });

      const second = await importCdnow(db.store, file);
      console.log(`CDNOW re-import: ${second.read} rows in ${second.elapsedMs} ms`);
      expect(second).toMatchObject({
        events: { loaded: 0, duplicates: 69_659 },
        players: { loaded: 0, duplicates: 23_570 },
      });

      const [stored] = await db.store.rows<Record<string, number | string>>(
        `SELECT count() AS events, uniqExact(player_id) AS players,
              toString(sum(amount)) AS total, max(quantity) AS most_cds
       FROM events`,
      );
      expect({ ...stored, total: Number(stored?.total) }).toEqual({
        events: 69_659,
        players: 23_570,
        total: 2_500_315.63,
        most_cds: 99,
      });
    },
    REAL_FILE_TIMEOUT_MS,
  );
});
