// Bad and hostile input on every route family that takes a body, a path or a query, against real
// ClickHouse and Redis: each case has the status and code it must get, the answer names the bad
// part, and nothing answers 5xx. Hostile strings (quotes, SQL, unicode, NUL, CR/LF) that are
// valid where they stand are stored and read back unchanged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApi, type TestApi } from './test-support.ts';

const HOSTILE = [
  "O'Brien",
  'say "hi"',
  "'; DROP TABLE players; --",
  "' OR 1=1 --",
  "\\' OR \\'1\\'=\\'1",
  'Zürich 名前 🎰 \u202Eevil',
  'nul\u0000byte',
  'line\r\nbreak',
  '=HYPERLINK("http://x")',
  '$(rm -rf /) `id`',
];

const rule = (value: unknown) => ({ include: { all: [{ field: 'country', op: 'eq', value }] } });

let api: TestApi;
beforeAll(async () => {
  api = await testApi('hostile');
});
afterAll(() => api.close());

type Role = 'editor' | 'admin' | 'ingest';
interface Case {
  readonly name: string;
  readonly role: Role;
  readonly method: 'POST' | 'PUT' | 'PATCH';
  readonly url: string;
  readonly body: string;
  readonly type?: string;
  readonly status: number;
  readonly code: string;
  /** Text the answer's details must contain: where the bad part is. */
  readonly at: string;
}

const json = (value: unknown) => JSON.stringify(value);

const CASES: Case[] = [
  ...(['/v1/segments', '/v1/segments/preview', '/v1/retention-lists', '/v1/tokens'] as const).map(
    (url): Case => ({
      name: `malformed JSON to ${url}`,
      ...{ role: 'admin', method: 'POST', url, body: '{"name": "x",' },
      ...{ status: 400, code: 'VALIDATION_FAILED', at: 'JSON' },
    }),
  ),
  {
    name: 'a segment name of the wrong type',
    ...{
      role: 'editor',
      method: 'POST',
      url: '/v1/segments',
      body: json({ name: 5, rule: rule('DE') }),
    },
    ...{ status: 400, code: 'VALIDATION_FAILED', at: 'name' },
  },
  {
    name: 'an unknown segment field',
    ...{ role: 'editor', method: 'POST', url: '/v1/segments' },
    body: json({ name: 'x', rule: rule('DE'), colour: 'red' }),
    ...{ status: 400, code: 'VALIDATION_FAILED', at: 'colour' },
  },
  {
    name: 'a rule nested 2,000 levels deep',
    ...{ role: 'editor', method: 'POST', url: '/v1/segments/preview' },
    body: json({ rule: { include: deep(2_000) } }),
    ...{ status: 400, code: 'RULE_INVALID', at: 'include' },
  },
  {
    name: 'a body nested 200,000 levels deep',
    ...{ role: 'editor', method: 'POST', url: '/v1/segments' },
    body: `{"name":${'['.repeat(200_000)}${']'.repeat(200_000)}}`,
    ...{ status: 400, code: 'VALIDATION_FAILED', at: 'name' },
  },
  {
    name: 'a rule of 500 conditions (the most allowed)',
    ...{ role: 'editor', method: 'POST', url: '/v1/segments/preview' },
    body: json({ rule: { include: conditions(500) } }),
    ...{ status: 200, code: '', at: '' },
  },
  {
    name: 'a rule of 501 conditions',
    ...{ role: 'editor', method: 'POST', url: '/v1/segments/preview' },
    body: json({ rule: { include: conditions(501) } }),
    ...{ status: 400, code: 'RULE_INVALID', at: 'conditions' },
  },
  {
    name: 'a regex repetition RE2 refuses',
    ...{ role: 'editor', method: 'POST', url: '/v1/segments/preview' },
    body: json({
      rule: { include: { all: [{ field: 'kyc_status', op: 'matches', value: 'a{1001}' }] } },
    }),
    ...{ status: 400, code: 'RULE_VALUE_INVALID', at: 'value' },
  },
  {
    name: 'a preview as of a leap second',
    ...{ role: 'editor', method: 'POST', url: '/v1/segments/preview' },
    body: json({ rule: rule('DE'), as_of: '2026-12-04T23:59:60Z' }),
    ...{ status: 400, code: 'VALIDATION_FAILED', at: 'as_of' },
  },
  {
    name: 'a preview as of 1960',
    ...{ role: 'editor', method: 'POST', url: '/v1/segments/preview' },
    body: json({ rule: rule('DE'), as_of: '1960-01-01T00:00:00Z' }),
    ...{ status: 400, code: 'VALIDATION_FAILED', at: 'as_of' },
  },
  {
    name: 'a catastrophic regex',
    ...{ role: 'editor', method: 'POST', url: '/v1/segments/preview' },
    body: json({
      rule: { include: { all: [{ field: 'kyc_status', op: 'matches', value: '(a+)+$' }] } },
    }),
    ...{ status: 200, code: '', at: '' },
  },
  {
    name: 'an invalid regex',
    ...{ role: 'editor', method: 'POST', url: '/v1/segments/preview' },
    body: json({
      rule: { include: { all: [{ field: 'kyc_status', op: 'matches', value: '([a-' }] } },
    }),
    ...{ status: 400, code: 'RULE_VALUE_INVALID', at: 'value' },
  },
  {
    name: 'a pattern on an anonymized field (it would read the masked value back)',
    ...{ role: 'editor', method: 'POST', url: '/v1/segments/preview' },
    body: json({ rule: { include: { all: [{ field: 'email', op: 'starts_with', value: 'a' }] } } }),
    ...{ status: 400, code: 'RULE_OPERATOR_MISMATCH', at: 'op' },
  },
  {
    name: 'a field name that is SQL',
    ...{ role: 'editor', method: 'POST', url: '/v1/segments/preview' },
    body: json({ rule: { include: { all: [{ field: 'country) OR (1=1', op: 'is_set' }] } } }),
    ...{ status: 400, code: 'RULE_UNKNOWN_FIELD', at: 'field' },
  },
  {
    name: 'a huge number',
    ...{ role: 'editor', method: 'POST', url: '/v1/segments/preview' },
    body: json({ rule: { include: { all: [{ field: 'vip_level', op: 'gt', value: 1e308 }] } } }),
    ...{ status: 200, code: '', at: '' },
  },
  {
    name: 'a body over the 1 MiB JSON limit',
    ...{ role: 'editor', method: 'POST', url: '/v1/segments' },
    body: json({ name: 'x'.repeat(1_100_000) }),
    ...{ status: 413, code: 'VALIDATION_FAILED', at: 'body' },
  },
  {
    name: 'an event with a NUL in its id',
    ...{ role: 'ingest', method: 'POST', url: '/v1/events' },
    body: json([{ event_id: 'a\u0000b', player_id: 'p', type: 'deposit', event_time: 0 }]),
    ...{ status: 202, code: '', at: '' },
  },
  {
    name: 'a PATCH with nothing to change',
    ...{ role: 'editor', method: 'PATCH', url: '/v1/segments/nope', body: json({}) },
    ...{ status: 400, code: 'VALIDATION_FAILED', at: 'body' },
  },
  {
    name: 'an action with a hostile channel',
    ...{ role: 'editor', method: 'POST', url: "/v1/segments/x'--/actions" },
    body: json({ type: 'single', channel: "email'; --" }),
    ...{ status: 400, code: 'VALIDATION_FAILED', at: 'channel' },
  },
];

const lone = (body: object) => JSON.stringify(body).replace('LONE', '\\ud800');
CASES.push(
  {
    name: 'a lone surrogate in a segment name',
    ...{ role: 'editor', method: 'POST', url: '/v1/segments' },
    body: lone({ name: 'LONE', rule: rule('DE') }),
    ...{ status: 400, code: 'VALIDATION_FAILED', at: 'body/name' },
  },
  {
    name: 'a lone surrogate in a rule value',
    ...{ role: 'editor', method: 'POST', url: '/v1/segments/preview' },
    body: lone({ rule: rule('LONE') }),
    ...{ status: 400, code: 'VALIDATION_FAILED', at: 'body/rule.include.all[0].value' },
  },
  {
    name: 'a lone surrogate in a segment reference',
    ...{ role: 'editor', method: 'POST', url: '/v1/segments' },
    body: lone({ name: 'x', rule: { include: { all: [{ segment: 'LONE', op: 'in' }] } } }),
    ...{ status: 400, code: 'VALIDATION_FAILED', at: 'segment' },
  },
);

/** 200 conditions per group at most: groups of 100 in one all. */
function conditions(n: number): unknown {
  const groups = [];
  for (let i = 0; i < n; i += 100) {
    const size = Math.min(100, n - i);
    groups.push({
      any: Array.from({ length: size }, (_, j) => ({ field: 'vip_level', op: 'eq', value: i + j })),
    });
  }
  return { all: groups };
}

function deep(levels: number): unknown {
  let item: unknown = { field: 'country', op: 'is_set' };
  for (let i = 0; i < levels; i++) item = { all: [item] };
  return item;
}

describe('bad input on every route family', () => {
  it.each(CASES)('$name: $status $code', async (c) => {
    const res = await api.as(c.role)[c.method.toLowerCase() as 'post'](c.url, c.body, {
      'content-type': c.type ?? 'application/json',
    });
    expect(res.statusCode, res.body).toBe(c.status);
    if (c.code === '') return;
    expect(res.json().code).toBe(c.code);
    expect(JSON.stringify(res.json().details)).toContain(c.at);
    expect(res.body).not.toMatch(/DB::Exception|at .*\.ts:\d+|node_modules/);
  });

  it.each([
    '/v1/segments/%27%20OR%201%3D1%20--',
    '/v1/segments/..%2F..%2Fetc%2Fpasswd',
    '/v1/segments/%E5%90%8D%E5%89%8D',
    '/v1/segments/a%00b/members',
    '/v1/players/%27%3B%20DROP%20TABLE%20players%3B--/segments',
    '/v1/segments?q=%27%20OR%201%3D1%20--&tag=%00',
    '/v1/segments?limit=-1',
    '/v1/segments?limit=99999999999999999999',
    '/v1/segments/x/members?sort=country;DROP',
    '/v1/segments/x/transitions?since=yesterday',
    '/v1/segments?limit=Infinity',
    '/v1/segments?offset=-Infinity',
    '/v1/segments/x/members?limit=Infinity',
    '/v1/segments/x/transitions?limit=NaN',
    '/v1/segments/%ZZ',
    `/v1/segments/${'x'.repeat(101)}`,
  ])('GET %s answers 4xx or an empty answer, never 5xx', async (url) => {
    const res = await api.as('editor').get(url);
    expect(res.statusCode, res.body).toBeLessThan(500);
    expect(res.body).not.toMatch(/DB::Exception/);
    // Every refusal has the coded envelope, even those raised before routing.
    if (res.statusCode >= 400)
      expect(Object.keys(res.json()).sort()).toEqual(['code', 'details', 'message']);
  });

  it.each([
    ['/v1/segments?limit=Infinity', 'limit'],
    ['/v1/segments/x/members?limit=Infinity', 'limit'],
  ])('refuses %s naming the field', async (url, field) => {
    const res = await api.as('editor').get(url);
    expect([res.statusCode, res.json().code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(res.json().details.path).toContain(field);
  });

  it('answers player routes for ids as long as ingest accepts (200 characters)', async () => {
    const id = 'p'.repeat(200);
    const res = await api.as('viewer').get(`/v1/players/${id}/segments`);
    expect([res.statusCode, res.json().player_id]).toEqual([200, id]);
  });
});

describe('hostile text where text is allowed', () => {
  it.each(HOSTILE)('a segment named %j is stored and read back unchanged', async (text) => {
    const saved = await api.as('editor').post('/v1/segments', {
      name: text,
      description: text,
      tags: [text],
      rule: rule(text),
    });
    expect(saved.statusCode, saved.body).toBe(201);
    const read = (await api.as('viewer').get(`/v1/segments/${saved.json().id}`)).json();
    expect([read.name, read.description, read.tags, read.rule.include.all[0].value]).toEqual([
      text,
      text,
      [text],
      text,
    ]);
    const found = await api.as('viewer').get(`/v1/segments?q=${encodeURIComponent(text)}`);
    expect(found.statusCode).toBe(200);
    expect(found.json().segments.map((s: { id: string }) => s.id)).toContain(saved.json().id);
  });

  it.each(HOSTILE)('a preview comparing with %j counts nobody and fails nothing', async (text) => {
    const res = await api.as('editor').post('/v1/segments/preview', { rule: rule(text) });
    expect([res.statusCode, res.json().count]).toEqual([200, 0]);
  });
});
