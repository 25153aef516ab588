// Bad rows in operator files: each case names the line, field and code of every rejection and
// proves, by reading ClickHouse, that the good rows around them were loaded.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testDatabase, type TestDatabase } from '../../../test/support/isolation.ts';
import type { ErrorCode } from '../../errors/errors.ts';
import { sqlString } from '../../sql/literal.ts';
import { importEvents, importPlayers } from './generic.ts';
import { removeTemp, tempFiles } from './testing.ts';

type Expected = readonly [line: number, field: string | null, code: ErrorCode];

interface BadRowCase {
  readonly name: string;
  readonly kind: 'events' | 'players';
  readonly file: string;
  /** Every player id of the case starts with it, so its stored rows can be told apart. */
  readonly prefix: string;
  readonly lines: readonly string[];
  readonly rejected: readonly Expected[];
  /** player_id of every stored row of the case (events: one per event), sorted. */
  readonly loaded: readonly string[];
}

const EVENTS = 'player_id,type,event_time,amount';
const T = '2026-01-05T10:00:00Z';

const CASES: readonly BadRowCase[] = [
  {
    name: 'missing player id',
    kind: 'events',
    file: 'missing-id.csv',
    prefix: 'a',
    lines: [EVENTS, `a1,deposit,${T},10.00`, `,deposit,${T},10.00`, `a2,deposit,${T},5`],
    rejected: [[3, 'player_id', 'IMPORT_ROW_INVALID']],
    loaded: ['a1', 'a2'],
  },
  {
    name: 'bad dates',
    kind: 'events',
    file: 'bad-date.csv',
    prefix: 'b',
    lines: [
      EVENTS,
      `b1,deposit,2026-02-30T10:00:00Z,1`,
      `b2,deposit,05/01/2026,1`,
      `b3,deposit,${T},1`,
      `b4,deposit,1969-12-31,1`,
    ],
    rejected: [
      [2, 'event_time', 'IMPORT_ROW_INVALID'],
      [3, 'event_time', 'IMPORT_ROW_INVALID'],
      [5, 'event_time', 'IMPORT_ROW_INVALID'],
    ],
    loaded: ['b3'],
  },
  {
    name: 'bad amounts',
    kind: 'events',
    file: 'bad-amount.csv',
    prefix: 'c',
    lines: [
      EVENTS,
      `c1,deposit,${T},"1,234.50"`,
      `c2,deposit,${T},12.34567`,
      `c3,deposit,${T},1e3`,
      `c4,deposit,${T}, 1234.50 `,
      `c5,deposit,${T},-0.0001`,
    ],
    rejected: [
      [2, 'amount', 'IMPORT_ROW_INVALID'],
      [3, 'amount', 'IMPORT_ROW_INVALID'],
      [4, 'amount', 'IMPORT_ROW_INVALID'],
    ],
    loaded: ['c4', 'c5'],
  },
  {
    name: 'unknown country and currency codes',
    kind: 'players',
    file: 'country.csv',
    prefix: 'd',
    lines: ['player_id,country,currency', 'd1,de,eur', 'd2,Germany,EUR', 'd3,AT,EURO', 'd4,,'],
    rejected: [
      [3, 'country', 'IMPORT_ROW_INVALID'],
      [4, 'currency', 'IMPORT_ROW_INVALID'],
    ],
    loaded: ['d1', 'd4'],
  },
  {
    name: 'wrong column count',
    kind: 'events',
    file: 'columns.csv',
    prefix: 'e',
    lines: [
      EVENTS,
      `e1,deposit,${T},1`,
      `e2,deposit,${T}`,
      `e3,deposit,${T},1,extra`,
      `e4,bet,${T},2`,
    ],
    rejected: [
      [3, null, 'IMPORT_ROW_MALFORMED'],
      [4, null, 'IMPORT_ROW_MALFORMED'],
    ],
    loaded: ['e1', 'e4'],
  },
  {
    name: 'malformed CSV quotes',
    kind: 'events',
    file: 'quotes.csv',
    prefix: 'f',
    lines: [
      EVENTS,
      `f1,deposit,${T},1`,
      `f2,dep"osit,${T},1`,
      `f3,"deposit"x,${T},1`,
      `f4,"deposit,${T},1`,
      `f5,bet,${T},2`,
      `f6,"bet",${T},"3"`,
    ],
    rejected: [
      [3, null, 'IMPORT_ROW_MALFORMED'],
      [4, null, 'IMPORT_ROW_MALFORMED'],
      [5, null, 'IMPORT_ROW_MALFORMED'],
    ],
    loaded: ['f1', 'f5', 'f6'],
  },
  {
    name: 'malformed NDJSON lines',
    kind: 'events',
    file: 'events.ndjson',
    prefix: 'g',
    lines: [
      `{"player_id":"g1","type":"deposit","event_time":"${T}","amount":10.5}`,
      `{"player_id":"g2","type":"deposit",`,
      `["g3","deposit"]`,
      '',
      `{"player_id":"g4","type":"deposit","event_time":"${T}","amount":"7"}`,
      `{"player_id":"g5","event_time":"${T}"}`,
      `{"player_id":"g6","type":"deposit","event_time":"${T}","amount":[1]}`,
    ],
    rejected: [
      [2, null, 'IMPORT_ROW_MALFORMED'],
      [3, null, 'IMPORT_ROW_MALFORMED'],
      [6, 'type', 'IMPORT_ROW_INVALID'],
      [7, 'amount', 'IMPORT_ROW_INVALID'],
    ],
    loaded: ['g1', 'g4'],
  },
  {
    name: 'unicode, quotes and commas in quoted fields around a bad row',
    kind: 'players',
    file: 'unicode.csv',
    prefix: 'k',
    lines: [
      'player_id,language,tags',
      'k-Zoë,"Deutsch, Österreich","a|""b"""',
      'k3,français,x,extra',
      '"k-東京","日本語, ""ja""",',
    ],
    rejected: [[3, null, 'IMPORT_ROW_MALFORMED']],
    loaded: ['k-Zoë', 'k-東京'],
  },
  {
    name: 'header only',
    kind: 'players',
    file: 'header.csv',
    prefix: 'x',
    lines: ['player_id,country', ''],
    rejected: [],
    loaded: [],
  },
  {
    name: 'bad booleans, integers and types',
    kind: 'players',
    file: 'types.csv',
    prefix: 'h',
    lines: [
      'player_id,vip_level,self_excluded,tags',
      'h1,3,yes,vip|high roller',
      'h2,3.5,no,',
      'h3,9999999999,no,',
      'h4,1,maybe,',
    ],
    rejected: [
      [3, 'vip_level', 'IMPORT_ROW_INVALID'],
      [4, 'vip_level', 'IMPORT_ROW_INVALID'],
      [5, 'self_excluded', 'IMPORT_ROW_INVALID'],
    ],
    loaded: ['h1'],
  },
  {
    name: 'bad birth dates; dates before 1970 are fine',
    kind: 'players',
    file: 'birth.csv',
    prefix: 'm',
    lines: [
      'player_id,birth_date',
      'm1,1935-06-15',
      'm2,2023-02-30',
      'm3,1965-13-01',
      'm4,1899-12-31',
      'm5,2106-01-01',
      'm6,1900-01-01',
      'm7,1960-02-29',
    ],
    rejected: [
      [3, 'birth_date', 'IMPORT_ROW_INVALID'],
      [4, 'birth_date', 'IMPORT_ROW_INVALID'],
      [5, 'birth_date', 'IMPORT_ROW_INVALID'],
      [6, 'birth_date', 'IMPORT_ROW_INVALID'],
    ],
    loaded: ['m1', 'm6', 'm7'],
  },
];

describe('bad rows in imported files (real ClickHouse)', () => {
  let db: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    db = await testDatabase('badrows');
    dir = tempFiles(Object.fromEntries(CASES.map((c) => [c.file, c.lines.join('\n')])));
  });
  afterAll(async () => {
    removeTemp(dir);
    await db.drop();
  });

  it.each(CASES)('$name', async (c) => {
    const load = c.kind === 'events' ? importEvents : importPlayers;
    const summary = await load(db.store, path.join(dir, c.file));

    expect(summary.rejections.map((r) => [r.line, r.field, r.code])).toEqual(c.rejected);
    expect(summary.rejections.every((r) => r.file === c.file && r.reason.length > 0)).toBe(true);
    expect(summary.rejected).toBe(c.rejected.length);
    expect(summary[c.kind].loaded).toBe(c.loaded.length);

    const table = c.kind === 'players' ? 'players FINAL' : 'events';
    const stored = await db.store.rows<{ player_id: string }>(
      `SELECT player_id FROM ${table} WHERE player_id LIKE ${sqlString(`${c.prefix}%`)}
       ORDER BY player_id`,
    );
    expect(stored.map((r) => r.player_id)).toEqual(c.loaded);
  });

  it('refuses an empty file as a whole, naming line 1', async () => {
    const empty = tempFiles({ 'empty.csv': '', 'blank.ndjson': '\n\n' });
    for (const file of ['empty.csv', 'blank.ndjson']) {
      const error = await importEvents(db.store, path.join(empty, file)).catch((e: unknown) => e);
      expect(error).toMatchObject({
        code: 'IMPORT_FILE_INVALID',
        details: { file, line: 1, reason: 'the file is empty' },
      });
    }
    removeTemp(empty);
  });

  it('refuses a header without a required column before reading rows', async () => {
    const files = tempFiles({ 'no-type.csv': `player_id,event_time\nz1,${T}\n` });
    const error = await importEvents(db.store, path.join(files, 'no-type.csv')).catch((e) => e);
    expect(error).toMatchObject({ code: 'IMPORT_FILE_INVALID', details: { field: 'type' } });
    removeTemp(files);
  });
});
