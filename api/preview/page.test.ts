// A preview's count and first rows from one query (the totals row of a GROUP BY … WITH TOTALS)
// against real ClickHouse: for every kind of column shown or sorted by (text, number, boolean,
// date-time, birth date, string list, money, missing values, duplicates of one value), every limit, and
// a rule that selects nobody, the count equals a bare count of the rule's members and the rows
// equal the full member table's first rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileMembersQuery } from '../../engine/compiler/index.ts';
import { timeEnv } from '../../engine/compiler/time.ts';
import { validateRule } from '../../engine/rules/validate.ts';
import { insertPlayers, type PlayerRow } from '../../engine/store/players.ts';
import { testApi, type TestApi } from '../test-support.ts';
import { MEMBER_CATALOGUE as CATALOGUE } from '../members/test-support.ts';
import { parseColumns, parseSort } from '../members/columns.ts';
import type { MembersPlan } from '../members/query.ts';
import { previewPage, type CompileRule, type Runner } from './page.ts';

const AS_OF = Date.parse('2026-12-01T00:00:00Z');
const DAY = 86_400_000;

const balance = (i: number): Record<string, string> =>
  i % 8 === 0 ? {} : { balance: `${(i % 6) * 1000}.${String(i).padStart(4, '0')}` };

/** 40 players: countries cycle DE, AT, FR, (missing); values repeat so sorts need the tie-break. */
function population(): PlayerRow[] {
  return Array.from({ length: 40 }, (_, i) => ({
    player_id: `p${String(i).padStart(3, '0')}`,
    version: 1,
    country: [null, 'DE', 'AT', 'FR'][i % 4],
    vip_level: i % 5 === 0 ? null : i % 3,
    self_excluded: i % 7 === 0,
    registered_at: i % 6 === 0 ? null : AS_OF - (i % 4) * DAY,
    birth_date: i % 9 === 0 ? null : `19${60 + (i % 5)}-0${1 + (i % 8)}-15`,
    tags: i % 2 === 0 ? ['vip', `t${i % 3}`] : [],
    // A money attribute (Decimal): as a GROUP BY key it crashed ClickHouse 18.16.
    attributes: balance(i),
  }));
}

const rules: Record<string, object> = {
  'DE or AT': { include: { all: [{ field: 'country', op: 'in', value: ['DE', 'AT'] }] } },
  'country not FR (missing included)': {
    include: { all: [{ field: 'country', op: 'neq', value: 'FR' }] },
  },
  nobody: { include: { all: [{ field: 'country', op: 'eq', value: 'ZZ' }] } },
};

const plans: [string, string[], string][] = [
  ['player_id only', [], 'player_id:asc'],
  ['player_id descending', [], 'player_id:desc'],
  ['a number with missing values, descending', ['vip_level', 'country'], 'vip_level:desc'],
  ['a text field', ['country'], 'country:asc'],
  ['a boolean', ['self_excluded'], 'self_excluded:desc'],
  ['a date-time with missing values', ['registered_at'], 'registered_at:asc'],
  ['a string list beside a masked birth date', ['birth_date', 'tags'], 'registered_at:desc'],
  ['an anonymized field shown, sorted by another', ['email', 'vip_level'], 'vip_level:asc'],
  ['money, descending, with missing values', ['balance'], 'balance:desc'],
  ['money shown, sorted by a number', ['balance', 'country'], 'vip_level:asc'],
];

let api: TestApi;
const direct: Runner = (fn) => fn({});

beforeAll(async () => {
  api = await testApi('preview_page', { catalogue: CATALOGUE });
  await insertPlayers(api.db.store, population());
});
afterAll(() => api.close());

function compiler(rule: object): CompileRule {
  const valid = validateRule(rule, CATALOGUE, 'rule');
  const ctx = { catalogue: CATALOGUE, timezone: 'UTC', asOf: AS_OF };
  return (columns) =>
    compileMembersQuery(valid, { ...ctx, resolveSegment: () => undefined }, columns);
}

function plan(columns: string[], sort: string): MembersPlan {
  return {
    columns: parseColumns(CATALOGUE, columns, 'body'),
    sort: parseSort(CATALOGUE, sort, 'body'),
    env: timeEnv('UTC', AS_OF),
  };
}

describe('a preview page and its count in one query', () => {
  for (const [ruleName, rule] of Object.entries(rules)) {
    it.each(plans)(`${ruleName}: %s`, async (_, columns, sort) => {
      const compile = compiler(rule);
      const sql = compile();
      const [bare] = await api.db.store.rows<{ n: number }>(`SELECT count() AS n FROM (${sql})`);
      const every = await previewPage(api.db.store, direct, plan(columns, sort), compile, 1000);
      expect(every.count).toBe(Number(bare!.n));
      const members = await api.db.store.rows<{ player_id: string }>(sql);
      expect(every.rows.map((r) => r.c0).sort()).toEqual(members.map((m) => m.player_id).sort());
      for (const limit of [1, 7, Number(bare!.n), Number(bare!.n) + 5]) {
        const page = await previewPage(api.db.store, direct, plan(columns, sort), compile, limit);
        expect(page.count).toBe(Number(bare!.n));
        expect(page.rows).toEqual(every.rows.slice(0, limit));
      }
    });
  }

  it('counts without fetching rows when no rows are asked for', async () => {
    const page = await previewPage(
      api.db.store,
      direct,
      plan([], 'player_id:asc'),
      compiler(rules['DE or AT']!),
      0,
    );
    expect(page).toEqual({ count: 20, rows: [] });
  });

  it('orders the full member table by the sort, ties by player_id', async () => {
    const compile = compiler(rules['DE or AT']!);
    const shown = plan(['vip_level'], 'vip_level:desc');
    const { rows } = await previewPage(api.db.store, direct, shown, compile, 50);
    const pairs = rows.map((r) => [r.c1 as number | null, r.c0 as string] as const);
    const sorted = [...pairs].sort(([a, x], [b, y]) => {
      // Missing values come last in descending order, as ClickHouse's NULLS LAST default puts them.
      if (a !== b) return a === null ? 1 : b === null ? -1 : b - a;
      return x < y ? -1 : 1;
    });
    expect(pairs).toEqual(sorted);
    expect(rows).toHaveLength(20);
  });
});
