import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeStatus } from '../../engine/membership/status.ts';
import { membershipKeys } from '../../engine/membership/keys.ts';
import { Lease } from '../../engine/membership/lease.ts';
import { testApi, type TestApi } from '../test-support.ts';

let api: TestApi;
beforeAll(async () => {
  api = await testApi('segments');
});
afterAll(() => api.close());

const deposits3 = {
  include: {
    all: [
      {
        list: 'deposits',
        window: { last: 7, unit: 'day' },
        measure: 'count',
        op: 'gte',
        value: 3,
      },
      { field: 'country', op: 'in', value: ['DE', 'AT'] },
    ],
  },
};

async function create(body: Record<string, unknown>) {
  const res = await api.as('editor').post('/v1/segments', { rule: deposits3, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ id: string; version: number }>();
}

describe('segments: create, read, update, versions (real ClickHouse and Redis)', () => {
  it('creates a segment and answers with its summary and a pending status', async () => {
    const res = await api.as('editor').post('/v1/segments', {
      name: 'Frequent depositors DACH',
      tags: ['vip'],
      rule: deposits3,
    });
    expect(res.statusCode).toBe(201);
    const body = res.json();
    expect(body).toMatchObject({
      version: 1,
      name: 'Frequent depositors DACH',
      tags: ['vip'],
      timezone: 'UTC',
      active: true,
      kind: 'rule',
      summary: expect.stringContaining('Deposits'),
      created_by: 'test editor',
      status: { state: 'pending', count: null },
    });
    const read = await api.as('viewer').get(`/v1/segments/${body.id}`);
    expect(read.json()).toEqual(body);
  });

  it('shows the live count and state the engine wrote', async () => {
    const { id, version } = await create({ name: 'with status' });
    const keys = membershipKeys(api.prefix);
    const lease = new Lease(api.redis, keys, 60_000, 'test');
    expect(await lease.acquire()).toBe(true);
    await writeStatus(api.redis, keys, lease.token, id, {
      count: 42,
      state: 'live',
      version,
      last_computed_at: Date.parse('2026-12-01T10:00:00Z'),
      duration_ms: 12,
    });
    const res = await api.as('viewer').get(`/v1/segments/${id}`);
    expect(res.json().status).toEqual({
      state: 'live',
      count: 42,
      // No bitmap was written, so no member can be suppressed (api/routes/suppressed.test.ts).
      suppressed_count: 0,
      error: null,
      last_computed_at: '2026-12-01T10:00:00.000Z',
      duration_ms: 12,
    });
    await lease.release();
  });

  it("shows a failed evaluation's error without ClickHouse's own text", async () => {
    const { id, version } = await create({ name: 'failing' });
    const keys = membershipKeys(api.prefix);
    const lease = new Lease(api.redis, keys, 60_000, 'test-fail');
    expect(await lease.acquire()).toBe(true);
    const raw = 'Code: 427, e.displayText() = DB::Exception: cannot compile re2: a{1001}';
    await writeStatus(api.redis, keys, lease.token, id, {
      ...{ state: 'failed', version, count: 0 },
      error_code: 'SEGMENT_EVALUATION_FAILED',
      error_message: raw,
    });
    const res = await api.as('viewer').get(`/v1/segments/${id}`);
    expect(res.json().status.error).toEqual({
      code: 'SEGMENT_EVALUATION_FAILED',
      message: 'The segment could not be evaluated',
    });
    await lease.release();
  });

  it('updates to a new version and keeps every version', async () => {
    const { id } = await create({ name: 'to edit' });
    const res = await api.as('editor').put(`/v1/segments/${id}`, {
      name: 'edited',
      rule: deposits3,
      timezone: 'Europe/Berlin',
    });
    expect([res.statusCode, res.json().version, res.json().timezone]).toEqual([
      200,
      2,
      'Europe/Berlin',
    ]);
    const versions = await api.as('viewer').get(`/v1/segments/${id}/versions`);
    expect(versions.json().versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    expect(versions.json().versions[0].definition.name).toBe('to edit');
  });

  it('deactivates and activates with PATCH, keeping the rule', async () => {
    const { id } = await create({ name: 'to pause' });
    const off = await api.as('editor').patch(`/v1/segments/${id}`, { active: false });
    expect([off.statusCode, off.json().active, off.json().version]).toEqual([200, false, 2]);
    expect(off.json().rule).toEqual(deposits3);
    const on = await api.as('editor').patch(`/v1/segments/${id}`, { active: true });
    expect([on.json().active, on.json().version]).toEqual([true, 3]);
  });

  it('clones a segment with a new name and id, static members included', async () => {
    const { id } = await create({ name: 'original' });
    const res = await api.as('editor').post(`/v1/segments/${id}/clone`, { name: 'the copy' });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ name: 'the copy', version: 1, rule: deposits3 });
    expect(res.json().id).not.toBe(id);
    const unnamed = await api.as('editor').post(`/v1/segments/${id}/clone`);
    expect(unnamed.json().name).toBe('Copy of original');

    const stat = await api.as('editor').post('/v1/segments', {
      name: 'static',
      static_members: ['p1', 'p2'],
    });
    const copy = await api.as('editor').post(`/v1/segments/${stat.json().id}/clone`);
    expect(copy.json().kind).toBe('static');
    const members = await api.db.store.rows<{ player_id: string }>(
      `SELECT player_id FROM static_segment_members
       WHERE segment_id = '${copy.json().id}' ORDER BY player_id`,
    );
    expect(members.map((m) => m.player_id)).toEqual(['p1', 'p2']);
  });

  it('deletes a segment nothing uses; it is gone from reads but its history stays', async () => {
    const { id } = await create({ name: 'to delete' });
    expect((await api.as('editor').delete(`/v1/segments/${id}`)).statusCode).toBe(204);
    expect((await api.as('viewer').get(`/v1/segments/${id}`)).statusCode).toBe(404);
    const versions = await api.as('viewer').get(`/v1/segments/${id}/versions`);
    expect(versions.json().versions.at(-1).deleted).toBe(true);
  });

  it('refuses to delete a segment another segment or an action uses, naming them', async () => {
    const { id } = await create({ name: 'base' });
    const user = await create({
      name: 'user',
      rule: { include: { all: [{ segment: id, op: 'in' }] } },
    });
    const res = await api.as('editor').delete(`/v1/segments/${id}`);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: 'SEGMENT_IN_USE',
      details: { path: 'id', segments: [user.id], actions: [] },
    });

    const bound = await create({ name: 'bound' });
    await api.db.store.insert(
      'actions',
      ['action_id', 'version', 'segment_id', 'type', 'channel', 'config', 'created_by', 'deleted'],
      [['a1', 1, bound.id, 'single', 'email', '{}', 't', 0]],
    );
    const refused = await api.as('editor').delete(`/v1/segments/${bound.id}`);
    expect(refused.json().details.actions).toEqual(['a1']);
  });
});

describe('GET /v1/segments: the list dashboards pull', () => {
  let ids: Record<string, string>;
  beforeAll(async () => {
    const t = await testApi('segment_list');
    await api.close();
    api = t;
    const list = await api.as('admin').post('/v1/retention-lists', { name: 'Win-back' });
    const r1 = list.json().id;
    ids = {
      r1,
      a: (await create({ name: 'Alpha', tags: ['vip'], description: 'High rollers' })).id,
      b: (await create({ name: 'Beta', tags: ['churn'], retention_lists: [r1] })).id,
      c: (await create({ name: 'Gamma', active: false })).id,
    };
  });

  const names = (res: { json(): { segments: { name: string }[] } }) =>
    res.json().segments.map((s) => s.name);

  it.each([
    ['everything, by name', '', ['Alpha', 'Beta', 'Gamma']],
    ['active only (what dashboards pull)', '?active=true', ['Alpha', 'Beta']],
    ['inactive only', '?active=false', ['Gamma']],
    ['by tag', '?tag=vip', ['Alpha']],
    ['by retention list', '?retention_list={r1}', ['Beta']],
    ['text in the description, any case', '?q=ROLLERS', ['Alpha']],
    ['text in a tag', '?q=chur', ['Beta']],
    ['no match', '?q=nothing', []],
    ['paged', '?limit=1&offset=1', ['Beta']],
  ])('%s', async (_name, query, expected) => {
    const res = await api.as('viewer').get(`/v1/segments${query.replace('{r1}', ids.r1!)}`);
    expect(res.statusCode, res.body).toBe(200);
    expect(names(res)).toEqual(expected);
  });

  it('reports the total before paging', async () => {
    const res = await api.as('viewer').get('/v1/segments?limit=1');
    expect([res.json().total, res.json().segments.length]).toEqual([3, 1]);
  });

  it('never lists a deactivated segment as active, even after it was active', async () => {
    await api.as('editor').patch(`/v1/segments/${ids.a}`, { active: false });
    const res = await api.as('viewer').get('/v1/segments?active=true');
    expect(names(res)).toEqual(['Beta']);
  });
});

describe('segments: bad input gets a coded error naming the path, and nothing is saved', () => {
  it.each([
    [
      'unknown window unit',
      {
        name: 'x',
        rule: {
          include: {
            all: [
              { list: 'deposits', window: { last: 7, unit: 'fortnight' }, op: 'gte', value: 1 },
            ],
          },
        },
      },
      400,
      'RULE_INVALID',
    ],
    [
      'unknown field',
      { name: 'x', rule: { include: { all: [{ field: 'shoe_size', op: 'eq', value: 1 }] } } },
      400,
      'RULE_UNKNOWN_FIELD',
    ],
    ['missing name', { rule: deposits3 }, 400, 'VALIDATION_FAILED'],
    ['unknown property', { name: 'x', rule: deposits3, colour: 'red' }, 400, 'VALIDATION_FAILED'],
    ['not an object', [1, 2], 400, 'VALIDATION_FAILED'],
    [
      'hostile name is data, not SQL',
      { name: "x'); DROP TABLE players; --\u0000é", rule: deposits3 },
      201,
      undefined,
    ],
  ])('%s', async (_name, body, status, code) => {
    const before = await api.as('viewer').get('/v1/segments');
    const res = await api.as('editor').post('/v1/segments', body);
    expect(res.statusCode, res.body).toBe(status);
    if (code) {
      expect(res.json().code).toBe(code);
      const after = await api.as('viewer').get('/v1/segments');
      expect(after.json().total).toBe(before.json().total);
    } else {
      expect(res.json().name).toBe((body as { name: string }).name);
    }
  });

  it.each([
    ['PATCH with an unknown property', 'patch', { colour: 'red' }, 'VALIDATION_FAILED'],
    ['PATCH with nothing', 'patch', {}, 'VALIDATION_FAILED'],
    ['PATCH active as text', 'patch', { active: 'no' }, 'VALIDATION_FAILED'],
  ] as const)('%s', async (_name, method, body, code) => {
    const { id } = await create({ name: 'patched' });
    const res = await api.as('editor')[method](`/v1/segments/${id}`, body);
    expect([res.statusCode, res.json().code]).toEqual([400, code]);
  });

  it('answers 404 NOT_FOUND for an unknown segment on every route', async () => {
    for (const [method, url] of [
      ['get', '/v1/segments/nope'],
      ['put', '/v1/segments/nope'],
      ['patch', '/v1/segments/nope'],
      ['delete', '/v1/segments/nope'],
      ['post', '/v1/segments/nope/clone'],
      ['get', '/v1/segments/nope/versions'],
    ] as const) {
      const body =
        method === 'put'
          ? { name: 'x', rule: deposits3 }
          : method === 'patch'
            ? { active: true }
            : undefined;
      const res = await api.as('editor')[method](url, body);
      expect([url, res.statusCode, res.json().code]).toEqual([url, 404, 'NOT_FOUND']);
    }
  });
});
