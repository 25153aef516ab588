import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../../test/support/isolation.ts';
import { sqlString } from '../../sql/literal.ts';
import { importEvents, importPlayers } from './generic.ts';
import { parseMapping } from './mapping.ts';
import { planImport } from './plan.ts';
import { EVENT_TARGET } from './targets.ts';
import { removeTemp, tempFiles } from './testing.ts';

const FILES = {
  'tricky.csv': [
    'player_id,type,event_time,amount,note,city',
    'u1,deposit,2026-01-05 10:00:00,"10.00","He said ""hi"", then left","Zoë’s 東京"',
    'u2,BET,2026-01-05T12:00:00+02:00,0.5,"line one\r\nline two",Köln',
  ].join('\r\n'),
  'mapped.csv': [
    'CustomerID;Kind;When;Value;Bonus;Ignored',
    'm1;deposit;20260105;99.90;WELCOME;x',
    'm1;withdrawal;20260106;;;y',
  ].join('\n'),
  'same.csv': [
    'player_id,type,event_time,amount',
    's1,deposit,2026-01-05T10:00:00Z,10.00',
    's1,deposit,2026-01-05T10:00:00Z,10.00',
    's1,deposit,2026-01-05T10:00:00Z,20.00',
  ].join('\n'),
  'same.ndjson': [
    '{"player_id":"s1","type":"deposit","event_time":"2026-01-05T10:00:00Z","amount":10}',
    '{"player_id":"s1","type":"deposit","event_time":"2026-01-05T10:00:00Z","amount":"10.0"}',
    '{"player_id":"s1","type":"deposit","event_time":"2026-01-05T10:00:00Z","amount":20}',
  ].join('\n'),
  'exact.ndjson': [
    '{"event_id":"x1","player_id":"n1","type":"deposit","event_time":1767607200,' +
      '"amount":12345678901234.5678,"quantity":3,"props":{"rank":1,"vip":true,"tags":["a"]}}',
  ].join('\n'),
  'players-a.csv': [
    'player_id,country,registered_at,cooling_off_until,tags,marketing_email,segment,birth_date',
    'p1,de,2/1/2005,1767607200,vip|whale,yes,gold,19350615',
  ].join('\n'),
  'players-b.csv': ['player_id,country', 'p1,AT'].join('\n'),
};

describe('importEvents / importPlayers (real ClickHouse)', () => {
  let db: TestDatabase;
  let dir: string;
  const file = (name: keyof typeof FILES) => path.join(dir, name);
  beforeAll(async () => {
    db = await testDatabase('generic');
    dir = tempFiles(FILES);
  });
  afterAll(async () => {
    removeTemp(dir);
    await db.drop();
  });

  const eventsOf = (player: string) =>
    db.store.rows<Record<string, unknown>>(
      `SELECT type, toString(event_time) AS time, toString(amount) AS amount, currency, quantity,
              prop_keys, prop_values
       FROM events WHERE player_id = ${sqlString(player)} ORDER BY event_time, type`,
    );

  it('keeps unicode, quotes, commas and line breaks inside quoted CSV fields', async () => {
    const summary = await importEvents(db.store, file('tricky.csv'), { extraToProps: true });
    expect(summary).toMatchObject({ read: 2, rejected: 0, events: { loaded: 2 } });
    const rows = [...(await eventsOf('u1')), ...(await eventsOf('u2'))];
    expect(rows.map((r) => [r.type, r.time, r.prop_keys, r.prop_values])).toEqual([
      [
        'deposit',
        '2026-01-05 10:00:00',
        ['note', 'city'],
        ['He said "hi", then left', 'Zoë’s 東京'],
      ],
      ['bet', '2026-01-05 10:00:00', ['note', 'city'], ['line one\nline two', 'Köln']],
    ]);
  });

  it('follows a mapping: columns, date format, defaults, delimiter, props', async () => {
    const mapping = parseMapping({
      columns: {
        player_id: 'CustomerID',
        type: 'Kind',
        event_time: 'When',
        amount: 'Value',
        'props.bonus_code': 'Bonus',
      },
      dates: 'YYYYMMDD',
      defaults: { currency: 'EUR' },
      delimiter: ';',
    });
    const summary = await importEvents(db.store, file('mapped.csv'), { mapping });
    expect(summary).toMatchObject({ read: 2, rejected: 0, events: { loaded: 2 } });
    const rows = await eventsOf('m1');
    expect(rows.map((r) => [r.type, r.time, Number(r.amount), r.currency, r.prop_values])).toEqual([
      ['deposit', '2026-01-05 00:00:00', 99.9, 'EUR', ['WELCOME']],
      ['withdrawal', '2026-01-06 00:00:00', 0, 'EUR', []],
    ]);
    expect(rows[1]?.amount).toBeNull();
  });

  it('derives the same ids for the same events, whatever the file format', async () => {
    const first = await importEvents(db.store, file('same.csv'));
    expect(first.events).toEqual({ loaded: 3, duplicates: 0 });
    expect(await importEvents(db.store, file('same.csv'))).toMatchObject({
      events: { loaded: 0, duplicates: 3 },
    });
    expect(await importEvents(db.store, file('same.ndjson'))).toMatchObject({
      events: { loaded: 0, duplicates: 3 },
    });
    const amounts = (await eventsOf('s1')).map((r) => Number(r.amount)).sort();
    expect(amounts).toEqual([10, 10, 20]);
  });

  it('reads NDJSON numbers as exact text and props objects as key/value pairs', async () => {
    await importEvents(db.store, file('exact.ndjson'), {
      mapping: parseMapping({ dates: 'unix' }),
    });
    const [row] = await eventsOf('n1');
    expect(row).toMatchObject({
      time: '2026-01-05 10:00:00',
      quantity: 3,
      prop_keys: ['rank', 'vip', 'tags'],
      prop_values: ['1', 'true', '["a"]'],
    });
    expect(String(row?.amount)).toMatch(/^12345678901234\.5678$/);
  });

  it('loads players; a later import of the same player replaces the profile', async () => {
    const dates = { registered_at: 'M/D/YYYY', cooling_off_until: 'unix', birth_date: 'YYYYMMDD' };
    const first = await importPlayers(db.store, file('players-a.csv'), {
      mapping: parseMapping({ dates }),
      extraToProps: true,
      version: 1,
    });
    expect(first.players).toEqual({ loaded: 1, duplicates: 0 });
    const again = await importPlayers(db.store, file('players-a.csv'), {
      mapping: parseMapping({ dates }),
      version: 1,
    });
    expect(again.players).toEqual({ loaded: 0, duplicates: 1 });
    const profile = () =>
      db.store.rows<Record<string, unknown>>(
        `SELECT country, toString(registered_at) AS registered, toString(cooling_off_until) AS off,
                birth_date, tags, marketing_email, attr_keys, attr_values
         FROM players FINAL WHERE player_id = 'p1'`,
      );
    expect(await profile()).toEqual([
      {
        country: 'DE',
        registered: '2005-02-01 00:00:00',
        off: '2026-01-05 10:00:00',
        birth_date: 19350615,
        tags: ['vip', 'whale'],
        marketing_email: 1,
        attr_keys: ['segment'],
        attr_values: ['gold'],
      },
    ]);

    await importPlayers(db.store, file('players-b.csv'));
    expect(await profile()).toMatchObject([
      { country: 'AT', registered: null, birth_date: null, tags: [] },
    ]);
  });
});

describe('mapping mistakes stop the import before any row', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await testDatabase('mapping');
    dir = tempFiles({ 'e.csv': 'pid,kind,at\nq1,deposit,2026-01-05\n' });
  });
  afterAll(async () => {
    removeTemp(dir);
    await db.drop();
  });

  it('refuses an NDJSON mapping that feeds no required field', () => {
    expect(() =>
      planImport({ target: EVENT_TARGET, mapping: parseMapping({ columns: { player_id: 'p' } }) }),
    ).toThrow(
      expect.objectContaining({
        code: 'IMPORT_MAPPING_INVALID',
        details: { path: '/columns/type', reason: 'no column feeds this required field' },
      }),
    );
  });

  it.each([
    [{ columns: { player: 'pid' } }, 'IMPORT_MAPPING_INVALID', { path: '/columns/player' }],
    [
      { columns: { 'attributes.x': 'pid' } },
      'IMPORT_MAPPING_INVALID',
      { path: '/columns/attributes.x' },
    ],
    [{ dates: { amount: 'unix' } }, 'IMPORT_MAPPING_INVALID', { path: '/dates/amount' }],
    [{ dates: 'DD.MM.YYYY' }, 'IMPORT_MAPPING_INVALID', { path: '/dates' }],
    [{ colums: {} }, 'IMPORT_MAPPING_INVALID', { path: '/' }],
    [
      { columns: { player_id: 'pid', type: 'kind', event_time: 'when' } },
      'IMPORT_FILE_INVALID',
      { field: 'event_time' },
    ],
    [{ columns: { player_id: 'pid', event_time: 'at' } }, 'IMPORT_FILE_INVALID', { field: 'type' }],
  ])('%j gives %s', async (raw, code, details) => {
    const error = await Promise.resolve()
      .then(() => importEvents(db.store, path.join(dir, 'e.csv'), { mapping: parseMapping(raw) }))
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code, details });
    const [count] = await db.store.rows<{ n: number }>('SELECT count() AS n FROM events');
    expect(count?.n).toBe(0);
  });
});
