// Bad and hostile input on the new routes against real ClickHouse, Redis and the real engine:
// preview with compare_to, limit, columns, sort and as_of at their edges; preview counts of rules
// with hostile values and odd profiles (NULLs, NaN-like attributes, empty arrays, duplicate
// profile versions) equal to a from-scratch evaluation and to the engine's membership;
// GET /v1/stats with odd paths, bad tokens and every role; actions with hostile names, urls and
// ids.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateRule } from '../../engine/compiler/index.ts';
import { loadResolver } from '../../engine/segments/references.ts';
import { validateRule } from '../../engine/rules/validate.ts';
import { insertPlayers } from '../../engine/store/players.ts';
import { MASK } from '../members/columns.ts';
import { MEMBER_CATALOGUE, memberFixture, type MemberFixture } from '../members/test-support.ts';

const HOSTILE = [
  "O'Brien",
  'say "hi"',
  "'; DROP TABLE players; --",
  "' OR 1=1 --",
  "\\' OR \\'1\\'=\\'1",
  'back\\slash\\',
  'Zürich 名前 🎰 \u202Eevil',
  'nul\u0000byte',
  'line\r\nbreak',
  '',
];

const de = { include: { all: [{ field: 'country', op: 'eq', value: 'DE' }] } };

let f: MemberFixture;
let asOf: string;
beforeAll(async () => {
  f = await memberFixture('newhostile');
  asOf = new Date(f.clock.now).toISOString();
  const store = f.api.db.store;
  await insertPlayers(store, [
    {
      ...{ player_id: 'h01', version: 1, country: "O'Brien", vip_level: 3 },
      ...{ tags: ["'; DROP TABLE players; --", ''], registered_at: Date.UTC(2024, 0, 1) },
      attributes: { score: 'NaN', badge: "a'b", last_seen: '2024-01-01T00:00:00Z', nick: 'x\\' },
    },
    { player_id: 'h02', version: 1, tags: [] },
    {
      ...{ player_id: 'h03', version: 1, country: "'; DROP TABLE players; --" },
      ...{ tags: ['x', 'x'], attributes: { score: '-nan', balance: '12.3456' } },
    },
    { player_id: 'h04', version: 1, country: 'DE', vip_level: 1 },
    { player_id: 'h05', version: 2, country: 'DE', vip_level: 2, marketing_email: true },
    {
      ...{ player_id: 'h06', version: 1, country: 'Zürich 名前 🎰 \u202Eevil' },
      ...{ tags: ['nul\u0000byte'], attributes: { score: 'inf', vip_flag: 'true' } },
    },
    {
      ...{ player_id: 'h07', version: 1, country: '', tags: [''] },
      attributes: { score: '1e309', badge: '' },
    },
    {
      ...{ player_id: 'h08', version: 1, country: 'nul\u0000byte', vip_level: -2147483648 },
      ...{ attributes: { score: '-0', nick: '' }, birth_date: '1900-01-01' },
    },
    {
      ...{ player_id: "h09'\\", version: 1, country: 'DE', registered_at: 0 },
      ...{ cooling_off_until: Date.UTC(2105, 0, 1), birth_date: '2105-12-31' },
      attributes: { score: '1e308', last_seen: 'garbage' },
    },
    {
      ...{ player_id: 'h10', version: 1, country: 'say "hi"', self_excluded: true },
      ...{ tags: ['a', 'b'], attributes: { score: '  5 ', vip_flag: 'maybe' } },
    },
    {
      ...{ player_id: 'h11 é', version: 1, country: 'line\r\nbreak' },
      ...{ tags: ['line\r\nbreak'], attributes: { score: '0x10', last_seen: '1970-01-01' } },
    },
  ]);
  // Duplicate profile versions: the same version twice (different data), and an older version
  // stored after a newer one.
  await insertPlayers(store, [{ player_id: 'h04', version: 1, country: 'FR', vip_level: 7 }]);
  await insertPlayers(store, [{ player_id: 'h05', version: 1, country: 'AT', vip_level: 9 }]);
});
afterAll(() => f.close());

const editor = () => f.api.as('editor');
const preview = (body: object) => editor().post('/v1/segments/preview', body);

/** A from-scratch evaluation of `rule` at the fixture's as-of time, UTC, sorted. */
async function truth(rule: unknown): Promise<string[]> {
  const valid = validateRule(rule, MEMBER_CATALOGUE, 'rule');
  const resolveSegment = await loadResolver(f.repo, valid);
  const ctx = { catalogue: MEMBER_CATALOGUE, timezone: 'UTC', resolveSegment };
  return evaluateRule(f.api.db.store, valid, { ...ctx, asOf: f.clock.now });
}

const field = (name: string, op: string, value?: unknown) => ({
  include: { all: [value === undefined ? { field: name, op } : { field: name, op, value }] },
});

const RULES: [string, object][] = [
  ...HOSTILE.map((v, i): [string, object] => [
    `country eq hostile #${i}`,
    field('country', 'eq', v),
  ]),
  ['country in every hostile text', field('country', 'in', HOSTILE)],
  ["country neq O'Brien (NULLs match)", field('country', 'neq', "O'Brien")],
  ['country is_empty', field('country', 'is_empty')],
  ['country matches a quote', field('country', 'matches', "^'")],
  ['country contains a backslash', field('country', 'contains', '\\')],
  [
    'tags has_any hostile',
    field('tags', 'has_any', ["'; DROP TABLE players; --", 'nul\u0000byte']),
  ],
  ['tags has_any the empty string', field('tags', 'has_any', [''])],
  ['tags has_none x', field('tags', 'has_none', ['x'])],
  ['tags is_empty', field('tags', 'is_empty')],
  ['score is_set (NaN-like texts)', field('score', 'is_set')],
  ['score gt 0', field('score', 'gt', 0)],
  ['score neq 0', field('score', 'neq', 0)],
  ['score between huge numbers', field('score', 'between', [-1e308, 1e308])],
  ['badges has_any quote and empty', field('badges', 'has_any', ["a'b", ''])],
  ['nickname eq a backslash', field('nickname', 'eq', 'x\\')],
  ['last_seen is_not_set', field('last_seen', 'is_not_set')],
  ['registered_at before 1970-01-02', field('registered_at', 'before', '1970-01-02T00:00:00Z')],
  ['vip_level lt -2147483647', field('vip_level', 'lt', -2147483647)],
  ['vip_level gt 1e308', field('vip_level', 'gt', 1e308)],
  ['age gte 18', field('age', 'gte', 18)],
  ['vip_flag is_not_set', field('vip_flag', 'is_not_set')],
  [
    'everyone',
    {
      include: {
        any: [field('country', 'is_set').include, field('country', 'is_not_set').include],
      },
    },
  ],
];

const VIEWS: [string, object][] = [
  ['no columns', {}],
  [
    'string list and dates',
    { columns: ['tags', 'registered_at', 'country', 'vip_level'], sort: 'tags:desc' },
  ],
  [
    'key fields',
    { columns: ['score', 'badges', 'last_seen', 'nickname', 'vip_flag'], sort: 'score:desc' },
  ],
  [
    'masked and datetimes',
    {
      columns: ['email', 'cooling_off_until', 'self_excluded', 'age', 'birth_date'],
      sort: 'cooling_off_until',
    },
  ],
  ['sorted by a string list', { columns: ['badges'], sort: 'badges' }],
  [
    'sorted by a datetime key descending',
    { columns: ['last_seen', 'tags'], sort: 'last_seen:desc' },
  ],
  ['player_id descending', { columns: ['country'], sort: 'player_id:desc' }],
];

describe('preview counts of hostile rules', () => {
  it.each(RULES)('%s: equal the truth with every view and limit', async (_name, rule) => {
    const expected = await truth(rule);
    for (const [view, opts] of VIEWS) {
      for (const limit of [0, 1, 100]) {
        const res = await preview({ rule, as_of: asOf, timezone: 'UTC', limit, ...opts });
        expect(res.statusCode, `${view} ${limit} ${res.body}`).toBe(200);
        const answer = res.json();
        expect(answer.count, `${view} limit ${limit}`).toBe(expected.length);
        const ids = answer.members.map((m: { player_id: string }) => m.player_id);
        expect(ids.length, `${view} limit ${limit}`).toBe(Math.min(limit, expected.length));
        if (limit === 100) expect([...ids].sort(), view).toEqual(expected);
      }
    }
  });

  it('equal the engine membership and compare with the saved rule as nobody moving', async () => {
    for (const [i, [, rule]] of RULES.entries()) await f.segment(`r${i}`, rule);
    await f.engine.step();
    for (const [i, [name, rule]] of RULES.entries()) {
      const expected = await truth(rule);
      const members = await editor().get(`/v1/segments/r${i}/members?columns=&limit=1000`);
      expect(members.statusCode, members.body).toBe(200);
      expect(members.json().count, name).toBe(expected.length);
      const res = await preview({ rule, as_of: asOf, compare_to: `r${i}`, limit: 5 });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json(), name).toMatchObject({
        count: expected.length,
        entering: { count: 0, player_ids: [] },
        leaving: { count: 0, player_ids: [] },
      });
    }
  });
});

interface Refusal {
  readonly status: number;
  readonly code: string;
  /** details.path, exactly. */
  readonly path: string;
}

const refused = (status: number, code: string, path: string): Refusal => ({ status, code, path });
const bad = (path: string) => refused(400, 'VALIDATION_FAILED', path);

describe('preview refusals', () => {
  const cases: [string, object, Refusal][] = [
    ['compare_to of 201 characters', { compare_to: 'x'.repeat(201) }, bad('body/compare_to')],
    ['compare_to with a lone high surrogate', { compare_to: '\uD800' }, bad('body/compare_to')],
    ['compare_to with a lone low surrogate', { compare_to: '\uDC00abc' }, bad('body/compare_to')],
    ['compare_to empty', { compare_to: '' }, bad('body/compare_to')],
    ['compare_to null', { compare_to: null }, bad('body/compare_to')],
    ['compare_to an empty array', { compare_to: [] }, bad('body/compare_to')],
    ['compare_to an object', { compare_to: {} }, bad('body/compare_to')],
    ['limit 101', { limit: 101 }, bad('body/limit')],
    ['limit -1', { limit: -1 }, bad('body/limit')],
    ['limit 1.5', { limit: 1.5 }, bad('body/limit')],
    ['limit 1e308', { limit: 1e308 }, bad('body/limit')],
    [
      'player_id twice in columns',
      { columns: ['player_id', 'player_id'] },
      refused(400, 'MEMBER_COLUMN_INVALID', 'body.columns[1]'),
    ],
    [
      'a column twice',
      { columns: ['country', 'country'] },
      refused(400, 'MEMBER_COLUMN_INVALID', 'body.columns[1]'),
    ],
    [
      'a hidden column',
      { columns: ['note'] },
      refused(400, 'MEMBER_COLUMN_INVALID', 'body.columns[0]'),
    ],
    [
      'a column in capitals',
      { columns: ['COUNTRY'] },
      refused(400, 'MEMBER_COLUMN_INVALID', 'body.columns[0]'),
    ],
    [
      'a NUL column',
      { columns: ['\u0000'] },
      refused(400, 'MEMBER_COLUMN_INVALID', 'body.columns[0]'),
    ],
    [
      'an SQL column',
      { columns: ["'; DROP"] },
      refused(400, 'MEMBER_COLUMN_INVALID', 'body.columns[0]'),
    ],
    ['an empty column', { columns: [''] }, bad('body/columns/0')],
    ['a column of 101 characters', { columns: ['x'.repeat(101)] }, bad('body/columns/0')],
    ['101 columns', { columns: Array(101).fill('country') }, bad('body/columns')],
    ...['email', 'age:desc', 'birth_date', 'phone:asc'].map((sort): [string, object, Refusal] => [
      `sort by anonymized ${sort}`,
      { sort },
      refused(400, 'MEMBER_SORT_INVALID', 'body.sort'),
    ]),
    ...[
      'colour',
      'country:up',
      'country:ASC',
      'country:',
      'country:asc:desc',
      ':asc',
      'note',
      'COUNTRY',
      'country ',
      "'; DROP TABLE players; --",
    ].map((sort): [string, object, Refusal] => [
      `sort ${JSON.stringify(sort)}`,
      { sort },
      refused(400, 'MEMBER_SORT_INVALID', 'body.sort'),
    ]),
    ['an empty sort', { sort: '' }, bad('body/sort')],
    ['a sort of 121 characters', { sort: 'x'.repeat(121) }, bad('body/sort')],
    ...[
      '1969-12-31T23:59:59Z',
      '2106-02-07T06:28:16Z',
      '1970-01-01T00:00:00+14:00',
      '2106-02-07T06:28:15-01:00',
      '2026-12-04T23:59:60Z',
      '9999-12-31T23:59:59Z',
      '0000-01-01T00:00:00Z',
      '2026-12-04T10:00:00',
      '2026-02-30T00:00:00Z',
      '2026-12-04',
      '',
      "'; DROP",
      1e12,
    ].map((as_of): [string, object, Refusal] => [
      `as_of ${JSON.stringify(as_of)}`,
      { as_of },
      bad('body/as_of'),
    ]),
    ...["'; DROP", 'UTC\u0000', 'Etc/GMT+14', '../../etc/passwd', 'Europe/Berlin\n'].map(
      (timezone): [string, object, Refusal] => [
        `timezone ${JSON.stringify(timezone)}`,
        { timezone },
        refused(400, 'TIMEZONE_INVALID', 'timezone'),
      ],
    ),
    ['a timezone of 101 characters', { timezone: 'x'.repeat(101) }, bad('body/timezone')],
    ['a timezone with a lone surrogate', { timezone: '\uD800' }, bad('body/timezone')],
    ['a client of 101 characters', { client: 'x'.repeat(101) }, bad('body/client')],
    ['a client with a lone surrogate', { client: '\uD800' }, bad('body/client')],
    [
      'a rule value with a lone surrogate',
      { rule: field('country', 'eq', '\uD800') },
      bad('body/rule.include.all[0].value'),
    ],
    [
      'an empty in list',
      { rule: field('country', 'in', []) },
      refused(400, 'RULE_VALUE_INVALID', 'rule.include.all[0].value'),
    ],
    [
      'a NaN text for a number',
      { rule: field('score', 'eq', 'NaN') },
      refused(400, 'RULE_VALUE_INVALID', 'rule.include.all[0].value'),
    ],
    [
      'a reference to a segment that does not exist',
      { rule: { include: { all: [{ segment: "'; DROP TABLE segments; --", op: 'in' }] } } },
      refused(400, 'RULE_SEGMENT_UNKNOWN', 'rule.include.all[0].segment'),
    ],
  ];

  it.each(cases)('refuses %s', async (_name, body, want) => {
    const res = await preview({ rule: de, ...body });
    expect(res.statusCode, res.body).toBe(want.status);
    expect(res.json()).toMatchObject({ code: want.code, details: { path: want.path } });
  });

  it.each<[string, string]>([
    ['1e400', '{"rule":{"include":{"all":[{"field":"vip_level","op":"gt","value":1e400}]}}}'],
    ['-1e400', '{"rule":{"include":{"all":[{"field":"score","op":"lt","value":-1e400}]}}}'],
  ])('refuses a number that overflows to infinity: %s', async (_name, body) => {
    const res = await editor().post('/v1/segments/preview', body, {
      'content-type': 'application/json',
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({
      code: 'VALIDATION_FAILED',
      details: { path: 'body/rule.include.all[0].value', reason: 'must be a finite number' },
    });
  });

  it('refuses a rule nested deeper than 32 with RULE_INVALID', async () => {
    const nested = JSON.parse(
      `{"include":${'{"all":['.repeat(200)}{"field":"country","op":"eq","value":"DE"}${']}'.repeat(200)}}`,
    );
    const res = await preview({ rule: nested });
    expect([res.statusCode, res.json().code]).toEqual([400, 'RULE_INVALID']);
    expect(res.json().details.reason).toBe('nests deeper than 32');
  });
});

describe('preview compare_to', () => {
  const save = async (definition: object) => {
    const res = await editor().post('/v1/segments', definition);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    ids.dach = await save({ name: 'DACH', rule: field('country', 'in', ['DE', 'AT']) });
    ids.gone = await save({ name: 'Gone', rule: de });
    await editor().delete(`/v1/segments/${ids.gone}`);
    ids.static = await save({
      name: 'Uploaded',
      static_members: ["h09'\\", 'nobody', "'; DROP", 'h01'],
    });
    ids.kiritimati = await save({ name: 'DE far east', rule: de, timezone: 'Pacific/Kiritimati' });
    ids.refs = await save({
      name: 'Refs',
      rule: { include: { all: [{ segment: ids.dach, op: 'in' }] } },
    });
  });

  it.each(
    [
      "O'Brien",
      '\\',
      "\\'",
      "'; DROP TABLE segments; --",
      "' OR 1=1 --",
      'nul\u0000byte',
      'x'.repeat(200),
      'Zürich 名前 🎰',
      ' ',
      '\u202Eabc',
    ].map((id) => [JSON.stringify(id).slice(0, 40), id]),
  )('answers 404 at body.compare_to for the unknown id %s', async (_name, id) => {
    const res = await preview({ rule: de, compare_to: id });
    expect(res.statusCode, res.body).toBe(404);
    expect(res.json()).toMatchObject({
      code: 'NOT_FOUND',
      details: { path: 'body.compare_to', segment: id },
    });
  });

  it('answers 404 at body.compare_to for a deleted segment', async () => {
    const res = await preview({ rule: de, compare_to: ids.gone });
    expect([res.statusCode, res.json().code, res.json().details.path]).toEqual([
      404,
      'NOT_FOUND',
      'body.compare_to',
    ]);
  });

  const inDach = { include: { all: [{ segment: 'DACH', op: 'in' }] } };
  const notInDach = { include: { all: [{ not: { segment: 'DACH', op: 'in' } }] } };
  const everyoneElse = ['h01', 'h02', 'h03', 'h04', 'h06', 'h07', 'h08', 'h10', 'h11 é'];
  const withIds = (rule: object) =>
    JSON.parse(JSON.stringify(rule).replaceAll('"DACH"', JSON.stringify(ids.dach)));

  it.each<[string, string, object, object, number, object, object]>([
    [
      'a static list with hostile ids',
      'static',
      de,
      {},
      2,
      { count: 1, player_ids: ['h05'] },
      { count: 1, player_ids: ['h01'] },
    ],
    ['the same rule', 'dach', field('country', 'in', ['DE', 'AT']), {}, 2, none(), none()],
    ['a rule that references it', 'dach', inDach, {}, 2, none(), none()],
    [
      'a rule that excludes it',
      'dach',
      notInDach,
      {},
      9,
      { count: 9, player_ids: everyoneElse },
      { count: 2, player_ids: ['h05', "h09'\\"] },
    ],
    ['a segment in another timezone', 'kiritimati', de, {}, 2, none(), none()],
    ['a segment that references another', 'refs', de, {}, 2, none(), none()],
    [
      'a static list at the first second of 1970',
      'static',
      field('registered_at', 'within_last', { last: 100000, unit: 'month' }),
      { as_of: '1970-01-01T00:00:00.999Z' },
      1,
      none(),
      { count: 1, player_ids: ['h01'] },
    ],
    [
      'a static list at the last second of 2106',
      'static',
      field('registered_at', 'within_last', { last: 100000, unit: 'month' }),
      { as_of: '2106-02-07T06:28:15Z' },
      2,
      none(),
      none(),
    ],
    [
      '10,000 hostile values',
      'dach',
      field(
        'country',
        'in',
        Array.from({ length: 10_000 }, (_, i) => `'${i}\\`),
      ),
      { columns: ['tags'], limit: 100 },
      0,
      none(),
      { count: 2, player_ids: ['h05', "h09'\\"] },
    ],
  ])(
    'tells who enters and leaves against %s',
    async (_name, saved, rule, opts, count, entering, leaving) => {
      for (const limit of [0, 1, 100]) {
        const res = await preview({ rule: withIds(rule), compare_to: ids[saved], limit, ...opts });
        expect(res.statusCode, res.body).toBe(200);
        expect(res.json()).toMatchObject({
          count,
          compare_to: { id: ids[saved], version: 1 },
          entering,
          leaving,
        });
      }
    },
  );
});

function none() {
  return { count: 0, player_ids: [] };
}

describe('preview edge values that are accepted', () => {
  it.each<[string, object, object]>([
    ['limit 0', { limit: 0 }, { count: 2, members: [] }],
    [
      'limit 100',
      { limit: 100 },
      { count: 2, members: [{ player_id: 'h05' }, { player_id: "h09'\\" }] },
    ],
    ['player_id as the only column', { columns: ['player_id'] }, { columns: ['player_id'] }],
    [
      'every anonymized column, masked',
      { columns: ['email', 'age', 'birth_date', 'phone'], limit: 1 },
      {
        members: [{ player_id: 'h05', email: MASK, age: MASK, birth_date: MASK, phone: MASK }],
      },
    ],
    ['sort by a string list', { sort: 'tags' }, { sort: 'tags:asc', count: 2 }],
    ['sort by a datetime key', { sort: 'last_seen:desc' }, { sort: 'last_seen:desc', count: 2 }],
    ['sort by a boolean key', { sort: 'vip_flag' }, { sort: 'vip_flag:asc', count: 2 }],
    [
      'sort by player_id descending',
      { sort: 'player_id:desc', limit: 1 },
      { members: [{ player_id: "h09'\\" }] },
    ],
    [
      'as_of at the first second',
      { as_of: '1970-01-01T00:00:00Z' },
      { as_of: '1970-01-01T00:00:00.000Z' },
    ],
    [
      'as_of at the last second',
      { as_of: '2106-02-07T06:28:15Z' },
      { as_of: '2106-02-07T06:28:15.000Z' },
    ],
    [
      'as_of with 13 fraction digits',
      { as_of: '2026-12-04T10:00:00.1234567891234Z' },
      { as_of: '2026-12-04T10:00:00.000Z' },
    ],
    ['a timezone in lower case', { timezone: 'utc' }, { count: 2 }],
    ['a client with NUL and SQL', { client: "nul\u0000'; DROP" }, { count: 2 }],
  ])('%s', async (_name, opts, want) => {
    const res = await preview({ rule: de, ...opts });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject(want);
  });

  it.each<[string, object, number]>([
    ['deposits in 7 days at 1970', { as_of: '1970-01-01T00:00:00Z' }, 11],
    ['deposits in 7 days at 2106', { as_of: '2106-02-07T06:28:15Z' }, 11],
  ])('evaluates windows at the ends of time: %s', async (_name, opts, count) => {
    const rule = {
      include: {
        all: [
          {
            list: 'deposits',
            window: { last: 7, unit: 'day' },
            measure: 'count',
            op: 'gte',
            value: 0,
          },
        ],
      },
    };
    const columns = ['registered_at', 'cooling_off_until', 'age'];
    const res = await preview({ rule, columns, limit: 5, ...opts });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().count).toBe(count);
  });

  it.each<[string, number]>([
    ['1970-01-01T00:00:00Z', 2],
    ['2106-02-07T06:28:15Z', 1],
  ])('computes ages at as_of %s', async (at, count) => {
    const res = await preview({ rule: field('age', 'lt', 200), as_of: at, limit: 3 });
    expect([res.statusCode, res.json().count]).toEqual([200, count]);
  });
});

describe('GET /v1/stats', () => {
  it.each<
    [
      string,
      'none' | 'viewer' | 'editor' | 'admin' | 'ingest',
      Record<string, string>,
      number,
      string | undefined,
    ]
  >([
    ['no token', 'none', {}, 401, 'AUTH_REQUIRED'],
    ['an unknown token', 'none', { authorization: 'Bearer nope' }, 401, 'AUTH_INVALID'],
    ['a Basic header', 'none', { authorization: 'Basic abc' }, 401, 'AUTH_INVALID'],
    ['an ingest token', 'ingest', {}, 403, 'AUTH_FORBIDDEN'],
    ['a viewer token', 'viewer', {}, 200, undefined],
    ['an editor token', 'editor', {}, 200, undefined],
    ['an admin token', 'admin', {}, 200, undefined],
  ])('answers %s', async (_name, role, headers, status, code) => {
    const res = await f.api.as(role).get('/v1/stats', undefined, headers);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().code).toBe(code);
  });

  it('ignores access_token in the query: 401 without the header', async () => {
    const res = await f.api.as('none').get(`/v1/stats?access_token=${f.api.tokens.admin}`);
    expect([res.statusCode, res.json().code]).toEqual([401, 'AUTH_REQUIRED']);
  });

  it.each(['/v1/stats/', '/v1/STATS', '/v1/stats;x', '/v1/stats%00', '/v1//stats'])(
    'answers 404 NOT_FOUND for %s',
    async (url) => {
      const res = await f.api.as('viewer').get(url);
      expect(res.statusCode, res.body).toBe(404);
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND', details: { method: 'GET', url } });
    },
  );

  it('answers 404 NOT_FOUND to POST', async () => {
    const res = await f.api.as('admin').post('/v1/stats', {});
    expect([res.statusCode, res.json().code]).toEqual([404, 'NOT_FOUND']);
  });

  it('counts the stored profile rows over the last 15 minutes', async () => {
    const res = await f.api.as('viewer').get('/v1/stats');
    const { ingest } = res.json();
    type Minute = { events: number; players: number };
    expect(ingest.minutes).toHaveLength(15);
    expect(ingest.minutes.reduce((n: number, m: Minute) => n + m.players, 0)).toBe(13);
    expect(ingest.minutes.reduce((n: number, m: Minute) => n + m.events, 0)).toBe(0);
    expect(ingest.queued_entries).toBe(0);
  });
});

describe('actions with hostile input', () => {
  const single = { type: 'single', channel: 'email' };
  const web = { type: 'single', channel: 'web_api' };
  beforeAll(async () => {
    await f.segment('act', de);
    await f.engine.step();
  });
  const create = (body: object) => editor().post('/v1/segments/act/actions', body);

  it.each(
    [
      ...HOSTILE.filter((h) => h !== ''),
      '=HYPERLINK("http://x")',
      '${x}',
      '{"json":1}',
      'x'.repeat(200),
    ].map((name) => [JSON.stringify(name).slice(0, 40), name]),
  )('stores the name %s and reads it back unchanged', async (_label, name) => {
    const res = await create({ ...single, name });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().name).toBe(name);
    const listed = await f.api.as('viewer').get('/v1/actions?segment=act');
    const back = listed.json().actions.find((a: { id: string }) => a.id === res.json().id);
    expect(back.name).toBe(name);
  });

  it.each(["http://x/';DROP", 'HTTP://EXAMPLE.COM', 'http://[::1]:80/'])(
    'stores the url %s unchanged',
    async (url) => {
      const res = await create({ ...web, url });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json().url).toBe(url);
    },
  );

  it.each<[string, object, Refusal]>([
    ['an empty name', { ...single, name: '' }, bad('body/name')],
    ['a name of 201 characters', { ...single, name: 'x'.repeat(201) }, bad('body/name')],
    ['a name with a lone surrogate', { ...single, name: '\uD800' }, bad('body/name')],
    ['a null name', { ...single, name: null }, bad('body/name')],
    [
      'a javascript: url',
      { ...web, url: 'javascript:alert(1)' },
      refused(400, 'ACTION_INVALID', 'url'),
    ],
    ['an ftp url', { ...web, url: 'ftp://x.example/' }, refused(400, 'ACTION_INVALID', 'url')],
    ['a data: url', { ...web, url: 'data:text/html,hi' }, refused(400, 'ACTION_INVALID', 'url')],
    ['http without slashes', { ...web, url: 'http:x' }, refused(400, 'ACTION_INVALID', 'url')],
    ['a url with NUL', { ...web, url: 'http://x/\u0000' }, bad('body/url')],
    ['a url with CR LF', { ...web, url: 'http://x\r\nHeader: y' }, bad('body/url')],
    ['a url with spaces', { ...web, url: "http://x/'; DROP TABLE actions; --" }, bad('body/url')],
    [
      'a url with quotes and brackets',
      { ...web, url: 'https://x.example/?q=\'"<>' },
      bad('body/url'),
    ],
    ['a scheme-relative url', { ...web, url: '//x.example' }, bad('body/url')],
    ['a url of 2,009 characters', { ...web, url: `http://x/${'a'.repeat(2000)}` }, bad('body/url')],
    ['a null url', { ...web, url: null }, bad('body/url')],
    [
      'a url on email',
      { ...single, url: 'http://x.example/' },
      refused(400, 'ACTION_INVALID', 'url'),
    ],
    [
      'send_at without an offset',
      { ...single, send_at: '2026-12-04T10:00:00' },
      bad('body/send_at'),
    ],
    ['send_at 30 February', { ...single, send_at: '2026-02-30T10:00:00Z' }, bad('body/send_at')],
    ['send_at not a date', { ...single, send_at: 'not a date' }, bad('body/send_at')],
    [
      'a schedule at 24:00',
      { type: 'scheduled', channel: 'sms', schedule: { every: 'day', at: '24:00' } },
      bad('body/schedule/at'),
    ],
    [
      'a schedule time with a newline',
      { type: 'scheduled', channel: 'sms', schedule: { every: 'day', at: '09:30\n' } },
      bad('body/schedule/at'),
    ],
    [
      'a schedule with an extra field',
      { type: 'scheduled', channel: 'sms', schedule: { every: 'day', at: '23:59', tz: 'x' } },
      bad('body/schedule'),
    ],
    [
      'a trigger of both',
      { type: 'triggered', channel: 'push', trigger: 'both' },
      bad('body/trigger'),
    ],
    ['a type in capitals', { type: 'TRIGGERED', channel: 'push' }, bad('body/type')],
    ['an unknown field', { ...single, colour: 1 }, bad('body')],
  ])('refuses %s', async (_name, body, want) => {
    const res = await create(body);
    expect(res.statusCode, res.body).toBe(want.status);
    expect(res.json()).toMatchObject({ code: want.code, details: { path: want.path } });
  });

  it.each(['[]', 'null'])('refuses the JSON body %s', async (body) => {
    const res = await editor().post('/v1/segments/act/actions', body, {
      'content-type': 'application/json',
    });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { path: 'body' } });
  });

  it.each(["'; DROP TABLE actions; --", 'nul\u0000', 'Zürich', 'x'.repeat(100)])(
    'answers 404 at id for the unknown id %j',
    async (id) => {
      const enc = encodeURIComponent(id);
      const post = await editor().post(`/v1/segments/${enc}/actions`, single);
      const del = await editor().delete(`/v1/actions/${enc}`);
      for (const res of [post, del]) {
        expect(res.statusCode, res.body).toBe(404);
        expect(res.json()).toMatchObject({ code: 'NOT_FOUND', details: { path: 'id', id } });
      }
      const list = await f.api.as('viewer').get(`/v1/actions?segment=${enc}`);
      expect([list.statusCode, list.json().actions]).toEqual([200, []]);
    },
  );

  it.each<[string, string, Refusal]>([
    ['an id of 101 characters', `/v1/actions/${'x'.repeat(101)}`, bad('params/id')],
    ['a lone surrogate in the path', '/v1/actions/%ED%A0%80', bad('url')],
  ])('refuses a delete with %s', async (_name, url, want) => {
    const res = await editor().delete(url);
    expect(res.statusCode, res.body).toBe(want.status);
    expect(res.json()).toMatchObject({ code: want.code, details: { path: want.path } });
  });

  it.each<[string, string]>([
    ['an empty segment', '?segment='],
    ['a segment twice', '?segment=a&segment=b'],
    ['a segment of 101 characters', `?segment=${'x'.repeat(101)}`],
    ['an unknown parameter', '?x=1'],
    ['a bracketed parameter', '?segment[]=a'],
  ])('refuses a list query with %s', async (_name, query) => {
    const res = await f.api.as('viewer').get(`/v1/actions${query}`);
    expect([res.statusCode, res.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.json().details.path).toMatch(/^querystring/);
  });

  type Who = 'none' | 'viewer' | 'ingest' | 'editor' | 'admin';
  it.each<[Who, number, number, number, number]>([
    ['none', 401, 401, 401, 401],
    ['ingest', 403, 403, 403, 403],
    ['viewer', 403, 200, 200, 403],
    ['editor', 201, 200, 200, 404],
    ['admin', 201, 200, 200, 404],
  ])('checks the role %s', async (role, post, get, list, del) => {
    const as = f.api.as(role);
    const answers = [
      await as.post('/v1/segments/act/actions', single),
      await as.get('/v1/segments/act/actions'),
      await as.get('/v1/actions'),
      await as.delete('/v1/actions/nope'),
    ];
    expect(answers.map((r) => r.statusCode)).toEqual([post, get, list, del]);
  });
});
