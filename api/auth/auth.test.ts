// Every route that needs a token refuses a request without one (401), with an unknown or revoked
// one (401) and with a role that lacks the access (403). The routes come from the app itself, so
// a new route is covered the moment it is registered.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_TOKEN, testApi, type TestApi } from '../test-support.ts';
import { allows, ROLES } from './roles.ts';

let api: TestApi;
beforeAll(async () => {
  api = await testApi('auth');
});
afterAll(() => api.close());

const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, 'x1');

describe('bearer tokens on every protected route (real ClickHouse)', () => {
  it('protects the segment, list and token families', () => {
    const urls = new Set(api.app.protectedRoutes.map((r) => r.url));
    for (const url of ['/v1/segments', '/v1/segments/:id', '/v1/lists', '/v1/tokens']) {
      expect(urls).toContain(url);
    }
  });

  it('protects every /v1 route, ingest included', () => {
    const urls = new Set(api.app.protectedRoutes.map((r) => `${r.method} ${r.url}`));
    for (const route of ['POST /v1/events', 'POST /v1/players']) expect(urls).toContain(route);
    expect(api.app.publicRoutes.filter((r) => r.split(' ')[1]!.startsWith('/v1'))).toEqual([]);
  });

  it('leaves public only probes, metrics, the API description and the UI', () => {
    const allowed = /^GET (\/health|\/ready|\/metrics|\/docs(\/.*)?|\/|\/\*|\/assets\/.*)$/;
    expect(api.app.publicRoutes.filter((r) => !allowed.test(r))).toEqual([]);
  });

  it('answers 401 AUTH_REQUIRED without a token, with a Bearer challenge', async () => {
    for (const route of api.app.protectedRoutes) {
      const res = await api.app.inject({ method: route.method as 'GET', url: concrete(route.url) });
      expect([route.url, res.statusCode, res.json().code]).toEqual([
        route.url,
        401,
        'AUTH_REQUIRED',
      ]);
      expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    }
  });

  it.each([
    ['an unknown token', 'Bearer sgs_nope', 'AUTH_INVALID'],
    ['a token that is not ours', 'Bearer abc', 'AUTH_INVALID'],
    ['another scheme', 'Basic dXNlcjpwYXNz', 'AUTH_INVALID'],
    ['an empty bearer', 'Bearer ', 'AUTH_INVALID'],
  ])('answers 401 for %s', async (_name, authorization, code) => {
    for (const route of api.app.protectedRoutes) {
      const res = await api.app.inject({
        method: route.method as 'GET',
        url: concrete(route.url),
        headers: { authorization },
      });
      expect([route.url, res.statusCode, res.json().code]).toEqual([route.url, 401, code]);
    }
  });

  it('says how to send a token sent without the Bearer scheme', async () => {
    const res = await api.app.inject({ url: '/v1/segments', headers: { authorization: 'sgs_x' } });
    expect(res.json()).toMatchObject({
      code: 'AUTH_INVALID',
      details: { reason: 'expected "Authorization: Bearer <token>"' },
    });
  });

  it('answers 403 AUTH_FORBIDDEN to every role the route does not allow', async () => {
    let checked = 0;
    for (const route of api.app.protectedRoutes) {
      for (const role of ROLES.filter((r) => !allows(r, route.access))) {
        const res = await api.app.inject({
          method: route.method as 'GET',
          url: concrete(route.url),
          headers: { authorization: `Bearer ${api.tokens[role]}` },
        });
        expect([route.url, role, res.statusCode, res.json().code]).toEqual([
          route.url,
          role,
          403,
          'AUTH_FORBIDDEN',
        ]);
        checked += 1;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('lets each role reach what it is allowed', async () => {
    expect((await api.as('viewer').get('/v1/segments')).statusCode).toBe(200);
    expect((await api.as('editor').get('/v1/lists')).statusCode).toBe(200);
    expect((await api.as('admin').get('/v1/tokens')).statusCode).toBe(200);
  });
});

describe('token administration', () => {
  it('issues a token once, lists it without the secret, and revokes it', async () => {
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const issued = await api.as('admin').post('/v1/tokens', { name: 'dashboard', role: 'viewer' });
    expect(issued.statusCode).toBe(201);
    const { id, token } = issued.json();
    expect(token).toMatch(/^sgs_[A-Za-z0-9_-]{40,}$/);

    const listed = await api.app.inject({ url: '/v1/tokens', headers: admin });
    const mine = listed.json().tokens.find((t: { id: string }) => t.id === id);
    expect(mine).toEqual({
      id,
      name: 'dashboard',
      role: 'viewer',
      created_at: expect.any(String),
      created_by: 'test admin',
    });
    expect(listed.body).not.toContain(token);
    const stored = await api.db.store.rows<{ token_hash: string }>(
      `SELECT token_hash FROM api_tokens WHERE token_id = '${id}'`,
    );
    expect(stored[0]!.token_hash).not.toContain(token);

    const use = () =>
      api.app.inject({ url: '/v1/segments', headers: { authorization: `Bearer ${token}` } });
    expect((await use()).statusCode).toBe(200);
    expect((await api.as('admin').delete(`/v1/tokens/${id}`)).statusCode).toBe(204);
    // This process forgets a revoked token at once; others within TOKEN_CACHE_MS.
    expect((await use()).statusCode).toBe(401);
    expect((await api.as('admin').delete(`/v1/tokens/${id}`)).statusCode).toBe(404);
  });

  it.each([
    ['an unknown role', { name: 'x', role: 'root' }],
    ['no name', { role: 'viewer' }],
    ['an extra field', { name: 'x', role: 'viewer', expires: 1 }],
  ])('refuses %s with VALIDATION_FAILED', async (_name, body) => {
    const res = await api.as('admin').post('/v1/tokens', body);
    expect([res.statusCode, res.json().code]).toEqual([400, 'VALIDATION_FAILED']);
  });
});
