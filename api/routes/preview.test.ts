// POST /v1/segments/preview against real ClickHouse: the exact count (equal to a from-scratch
// evaluation), the first rows with chosen columns and sort, masked anonymized fields, the
// compiled SQL and summary; coded errors at the bad field; the timeout; and superseded previews.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../engine/catalogue/default.ts';
import { evaluateRule } from '../../engine/compiler/evaluate.ts';
import { validateRule } from '../../engine/rules/validate.ts';
import { insertPlayers } from '../../engine/store/players.ts';
import { testApi, type TestApi } from '../test-support.ts';

const de = { include: { all: [{ field: 'country', op: 'in', value: ['DE', 'AT'] }] } };

let api: TestApi;
beforeAll(async () => {
  api = await testApi('preview');
  await insertPlayers(api.db.store, [
    { player_id: 'p1', version: 1, country: 'DE', vip_level: 2, email: 'a@x.example' },
    { player_id: 'p2', version: 1, country: 'AT', vip_level: 5, email: 'b@x.example' },
    { player_id: 'p3', version: 1, country: 'DE', vip_level: 1 },
    { player_id: 'p4', version: 1, country: 'FR', vip_level: 9 },
    { player_id: 'p5', version: 1, country: 'DE', vip_level: 5 },
  ]);
});
afterAll(() => api.close());

const preview = (body: object) => api.as('editor').post('/v1/segments/preview', body);

describe('a preview', () => {
  it('counts exactly what a from-scratch evaluation finds, with the SQL and a summary', async () => {
    const res = await preview({ rule: de });
    expect(res.statusCode, res.body).toBe(200);
    const answer = res.json();
    const asOf = Date.parse(answer.as_of);
    const rule = validateRule(de, DEFAULT_CATALOGUE, 'rule');
    const ctx = {
      catalogue: DEFAULT_CATALOGUE,
      timezone: 'UTC',
      asOf,
      resolveSegment: () => undefined,
    };
    const expected = await evaluateRule(api.db.store, rule, ctx);
    expect(answer.count).toBe(expected.length);
    expect(answer.members).toEqual(expected.map((id) => ({ player_id: id })));
    expect(answer).toMatchObject({ columns: ['player_id'], sort: 'player_id:asc' });
    expect(answer.summary).toBe('Country is one of DE, AT');
    expect(answer.sql).toContain('SELECT');
    expect(typeof answer.took_ms).toBe('number');
  });

  it.each<[string, object, object[]]>([
    [
      'chosen columns, sorted by a field descending, ties by player_id',
      { columns: ['vip_level', 'country'], sort: 'vip_level:desc', limit: 3 },
      [
        { player_id: 'p2', vip_level: 5, country: 'AT' },
        { player_id: 'p5', vip_level: 5, country: 'DE' },
        { player_id: 'p1', vip_level: 2, country: 'DE' },
      ],
    ],
    [
      'player_id descending',
      { sort: 'player_id:desc', limit: 2 },
      [{ player_id: 'p5' }, { player_id: 'p3' }],
    ],
    [
      'an anonymized field masked',
      { columns: ['email'], limit: 1 },
      [{ player_id: 'p1', email: '•••' }],
    ],
    ['no rows with limit 0', { limit: 0 }, []],
  ])('returns the first rows: %s', async (_name, opts, rows) => {
    const res = await preview({ rule: de, ...opts });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().members).toEqual(rows);
    expect(res.json().count).toBe(4);
  });

  it.each<[string, object, number, string, string]>([
    [
      'a bad rule',
      { rule: { include: { all: [{ field: 'country', op: 'gt', value: 1 }] } } },
      400,
      'RULE_OPERATOR_MISMATCH',
      'rule.include.all[0]',
    ],
    [
      'an unknown column',
      { rule: de, columns: ['colour'] },
      400,
      'MEMBER_COLUMN_INVALID',
      'body.columns[0]',
    ],
    [
      'two names in one element of the columns array, at that element',
      { rule: de, columns: ['vip_level', 'country,colour'] },
      400,
      'MEMBER_COLUMN_INVALID',
      'body.columns[1]',
    ],
    [
      'a sort by an anonymized field',
      { rule: de, sort: 'email' },
      400,
      'MEMBER_SORT_INVALID',
      'body.sort',
    ],
    ['a bad timezone', { rule: de, timezone: 'Mars/Olympus' }, 400, 'TIMEZONE_INVALID', ''],
    ['an unknown property', { rule: de, colour: 'red' }, 400, 'VALIDATION_FAILED', 'body'],
    ['a limit over 100', { rule: de, limit: 101 }, 400, 'VALIDATION_FAILED', 'body/limit'],
  ])('refuses %s with a coded error naming it', async (_name, body, status, code, path) => {
    const res = await preview(body);
    expect([res.statusCode, res.json().code]).toEqual([status, code]);
    expect(JSON.stringify(res.json().details)).toContain(path);
  });

  it('needs an editor token', async () => {
    const res = await api.as('viewer').post('/v1/segments/preview', { rule: de });
    expect([res.statusCode, res.json().code]).toEqual([403, 'AUTH_FORBIDDEN']);
  });
});

describe('a preview compared with a saved segment', () => {
  const save = async (definition: object) => {
    const res = await api.as('editor').post('/v1/segments', definition);
    expect(res.statusCode, res.body).toBe(201);
    return res.json().id as string;
  };
  const countries = (...value: string[]) => ({
    include: { all: [{ field: 'country', op: 'in', value }] },
  });

  it.each<[string, () => Promise<string>, object, object, object]>([
    [
      'a rule segment, some entering and some leaving',
      () => save({ name: 'DACH', rule: de }),
      countries('DE', 'FR'),
      { count: 1, player_ids: ['p4'] },
      { count: 1, player_ids: ['p2'] },
    ],
    [
      'the same rule: nobody moves',
      () => save({ name: 'DACH again', rule: de }),
      de,
      { count: 0, player_ids: [] },
      { count: 0, player_ids: [] },
    ],
    [
      'a static segment',
      () => save({ name: 'Uploaded', static_members: ['p1', 'p4', 'nobody'] }),
      countries('DE'),
      { count: 2, player_ids: ['p3', 'p5'] },
      { count: 1, player_ids: ['p4'] },
    ],
    [
      'a segment whose rule references another segment',
      async () => {
        const high = await save({
          name: 'High VIP',
          rule: { include: { all: [{ field: 'vip_level', op: 'gte', value: 5 }] } },
        });
        return save({
          name: 'High VIP outside DE',
          rule: {
            include: { all: [{ segment: high, op: 'in' }] },
            exclude: { all: [{ field: 'country', op: 'eq', value: 'DE' }] },
          },
        });
      },
      countries('AT'),
      { count: 0, player_ids: [] },
      { count: 1, player_ids: ['p4'] },
    ],
  ])('tells who would enter and leave: %s', async (_name, saved, rule, entering, leaving) => {
    const id = await saved();
    const res = await preview({ rule, compare_to: id, limit: 0 });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ compare_to: { id, version: 1 }, entering, leaving });
  });

  it('equals the difference of from-scratch evaluations of both rules', async () => {
    const id = await save({ name: 'DE or FR', rule: countries('DE', 'FR') });
    const res = await preview({ rule: de, compare_to: id });
    const ctx = {
      catalogue: DEFAULT_CATALOGUE,
      timezone: 'UTC',
      asOf: Date.parse(res.json().as_of),
      resolveSegment: () => undefined,
    };
    const evaluate = (r: object) =>
      evaluateRule(api.db.store, validateRule(r, DEFAULT_CATALOGUE, 'rule'), ctx);
    const [now, before] = [await evaluate(de), await evaluate(countries('DE', 'FR'))];
    expect(res.json().entering.player_ids).toEqual(now.filter((p) => !before.includes(p)));
    expect(res.json().leaving.player_ids).toEqual(before.filter((p) => !now.includes(p)));
  });

  it('leaves the comparison out without compare_to', async () => {
    const res = await preview({ rule: de });
    expect(res.json()).not.toHaveProperty('entering');
    expect(res.json()).not.toHaveProperty('leaving');
  });

  it.each<[string, () => Promise<unknown>, number, string, string]>([
    ['an unknown segment', async () => 'no-such-segment', 404, 'NOT_FOUND', 'body.compare_to'],
    [
      'a deleted segment',
      async () => {
        const id = await save({ name: 'Gone', rule: de });
        await api.as('editor').delete(`/v1/segments/${id}`);
        return id;
      },
      404,
      'NOT_FOUND',
      'body.compare_to',
    ],
    ['an empty id', async () => '', 400, 'VALIDATION_FAILED', 'body/compare_to'],
    ['an object', async () => ({ id: 'x' }), 400, 'VALIDATION_FAILED', 'body/compare_to'],
  ])('refuses %s with a coded error naming compare_to', async (_name, id, status, code, path) => {
    const res = await preview({ rule: de, compare_to: await id() });
    expect([res.statusCode, res.json().code]).toEqual([status, code]);
    expect(JSON.stringify(res.json().details)).toContain(path);
  });
});
