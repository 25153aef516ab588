// Real data: the CDNOW purchases as deposits. For each rule, ClickHouse (evaluateRule), the
// reference evaluator and a plain computation over the raw rows must find the same customers.
// The member counts are pinned, so a change in any of the three shows up here.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../engine/catalogue/default.ts';
import { evaluateRule } from '../../engine/compiler/evaluate.ts';
import { SHARED_DATA } from '../../engine/ingest/import/testing.ts';
import { referenceEvaluate } from '../../engine/reference/index.ts';
import type { Item, Rule } from '../../engine/rules/schema.ts';
import type { EventRow } from '../../engine/store/events.ts';
import { insertEvents } from '../../engine/store/events.ts';
import type { PlayerRow } from '../../engine/store/players.ts';
import { insertPlayers } from '../../engine/store/players.ts';
import { testDatabase, type TestDatabase } from '../support/isolation.ts';
import {
  cdnowEvents,
  cdnowPlayers,
  customersWhere,
  distinctDays,
  during,
  parseCdnow,
  totalCents,
  type CdnowRow,
} from './cdnow.ts';

// ../shared/data beside the repository, wherever the clone is (CI clones into another folder).
const FILE = path.join(SHARED_DATA, 'cdnow_master_transactions.txt');
const AS_OF = Date.parse('1998-07-01T00:00:00Z');

interface RealDataCase {
  readonly name: string;
  readonly item: Item;
  readonly timezone: string;
  /** The same question asked of one customer's raw rows. */
  readonly plain: (own: readonly CdnowRow[]) => boolean;
  readonly members: number;
}

const FEB_10_17 = { from: '1997-02-10', to: '1997-02-17' };

const CASES: RealDataCase[] = [
  {
    name: 'at least 3 deposits from 1997-02-10 to 1997-02-17',
    item: { list: 'deposits', window: FEB_10_17, measure: 'count', op: 'gte', value: 3 },
    timezone: 'UTC',
    plain: (own) => during(own, 19970210, 19970217).length >= 3,
    members: 16,
  },
  {
    name: 'deposits on at least 3 days from 1997-02-10 to 1997-02-17',
    item: { list: 'deposits', window: FEB_10_17, measure: 'count_days', op: 'gte', value: 3 },
    timezone: 'UTC',
    plain: (own) => distinctDays(during(own, 19970210, 19970217)) >= 3,
    members: 8,
  },
  {
    // Midnight UTC is 19:00 the day before in New York: the window holds UTC dates 11..17.
    name: 'deposits on at least 2 days from 1997-02-10 to 1997-02-17, New York',
    item: { list: 'deposits', window: FEB_10_17, measure: 'count_days', op: 'gte', value: 2 },
    timezone: 'America/New_York',
    plain: (own) => distinctDays(during(own, 19970211, 19970218)) >= 2,
    members: 91,
  },
  {
    name: 'deposits summing to at least 50.00 in February 1997',
    item: {
      list: 'deposits',
      window: { from: '1997-02-01', to: '1997-03-01' },
      measure: { sum: 'amount' },
      op: 'gte',
      value: '50.00',
    },
    timezone: 'UTC',
    plain: (own) => totalCents(during(own, 19970201, 19970301)) >= 5000,
    members: 2_101,
  },
  {
    name: 'average deposit of at least 50 in Q1 1997',
    item: {
      list: 'deposits',
      window: { from: '1997-01-01', to: '1997-04-01' },
      measure: { avg: 'amount' },
      op: 'gte',
      value: 50,
    },
    timezone: 'UTC',
    plain: (own) => {
      const q1 = during(own, 19970101, 19970401);
      return q1.length > 0 && totalCents(q1) >= 5000 * q1.length;
    },
    members: 3_812,
  },
  {
    name: 'last deposit of 1997 after 1997-12-01',
    item: {
      list: 'deposits',
      window: { from: '1997-01-01', to: '1998-01-01' },
      measure: 'last_time',
      op: 'after',
      value: '1997-12-01',
    },
    timezone: 'UTC',
    // A purchase on 1 December is at midnight, which is not after midnight.
    plain: (own) => during(own, 19971202, 19980101).length > 0,
    members: 1_793,
  },
  {
    name: 'last deposit within the last month (1998-06-01 00:00 itself excluded)',
    item: {
      list: 'deposits',
      measure: 'last_time',
      op: 'within_last',
      value: { last: 1, unit: 'month' },
    },
    timezone: 'UTC',
    plain: (own) => during(own, 19980602, 19980702).length > 0,
    members: 1_452,
  },
  {
    name: 'no purchase in Q2 1997',
    item: {
      list: 'deposits',
      window: { from: '1997-04-01', to: '1997-07-01' },
      measure: 'count',
      op: 'eq',
      value: 0,
    },
    timezone: 'UTC',
    plain: (own) => during(own, 19970401, 19970701).length === 0,
    members: 18_194,
  },
];

const present = fs.existsSync(FILE);
if (!present) console.warn(`cdnow.test.ts skipped: ${FILE} is missing`);

describe.skipIf(!present)('CDNOW purchases: ClickHouse = reference = plain computation', () => {
  let db: TestDatabase;
  let rows: CdnowRow[];
  let players: PlayerRow[];
  let events: EventRow[];

  beforeAll(async () => {
    rows = parseCdnow(fs.readFileSync(FILE, 'utf8'));
    players = cdnowPlayers(rows);
    events = cdnowEvents(rows);
    db = await testDatabase('cdnow');
    await insertPlayers(db.store, players);
    await insertEvents(db.store, events);
  });
  afterAll(() => db?.drop());

  it('reads every row of the file', () => {
    expect({ rows: rows.length, players: players.length }).toEqual({
      rows: 69_659,
      players: 23_570,
    });
    expect(new Set(events.map((e) => e.event_id)).size).toBe(69_659);
  });

  it.each(CASES)('$name', async ({ item, timezone, plain, members }) => {
    const rule: Rule = { include: { all: [item] } };
    const ctx = {
      catalogue: DEFAULT_CATALOGUE,
      timezone,
      asOf: AS_OF,
      resolveSegment: () => undefined,
    };
    const expected = customersWhere(rows, plain);
    const reference = referenceEvaluate(rule, { players, events }, ctx);
    const clickhouse = await evaluateRule(db.store, rule, ctx);
    expect(reference).toEqual(expected);
    expect([...clickhouse].sort()).toEqual(expected);
    expect(expected.length).toBe(members);
  });
});
