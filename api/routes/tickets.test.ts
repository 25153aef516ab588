// Single-use tickets (POST /v1/tickets) against real Redis, ClickHouse and sockets: issued to
// every role, good for one export or one live socket of their purpose, refused (401 naming
// query.ticket) when unknown, expired, reused or meant for the other purpose, and never worth
// more than the role of the token that asked for them.
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { insertPlayers } from '../../engine/store/players.ts';
import type { Role } from '../auth/roles.ts';
import { createTokenStore } from '../auth/tokens.ts';
import { LiveClient, refusedUpgrade } from '../live/test-support.ts';
import { memberFixture, type MemberFixture } from '../members/test-support.ts';
import { testApi, type TestApi } from '../test-support.ts';

const TTL_MS = 300;

let f: MemberFixture;
/** An API whose tickets live TTL_MS, listening, with heartbeats every 50 ms. */
let short: TestApi;
let liveUrl: string;
beforeAll(async () => {
  f = await memberFixture('tickets');
  await insertPlayers(f.api.db.store, [
    { player_id: 'p1', version: 1, country: 'DE' },
    { player_id: 'p2', version: 1, country: 'FR' },
  ]);
  await f.segment('all', { include: { all: [{ field: 'country', op: 'neq', value: 'none' }] } });
  await f.engine.step();
  short = await testApi('tickets_ttl', { ticketTtlMs: TTL_MS, env: { LIVE_HEARTBEAT_MS: '50' } });
  liveUrl = `${(await short.app.listen({ port: 0, host: '127.0.0.1' })).replace('http:', 'ws:')}/v1/live`;
});
afterAll(async () => {
  LiveClient.terminateAll();
  await f?.close();
  await short?.close();
});

async function ticket(api: TestApi, role: Role, purpose: string): Promise<string> {
  const res = await api.as(role).post('/v1/tickets', { purpose });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ ticket: string }>().ticket;
}

const exportWith = (t: string) =>
  f.api
    .as('none')
    .get(`/v1/segments/all/export.csv?columns=country&ticket=${encodeURIComponent(t)}`);

/** The status and error of an answer, and the field it names. */
const refusal = (res: { statusCode: number; json: <T>() => T }) => {
  const body = res.json<{ code: string; details?: { field?: string } }>();
  return [res.statusCode, body.code, body.details?.field];
};

describe('POST /v1/tickets', () => {
  it.each([
    ['viewer', 'export'],
    ['viewer', 'live'],
    ['editor', 'export'],
    ['admin', 'live'],
    ['ingest', 'export'],
  ] as const)('issues a %s a ticket for %s', async (role, purpose) => {
    const res = await f.api.as(role).post('/v1/tickets', { purpose });
    expect(res.statusCode, res.body).toBe(201);
    const body = res.json<{ ticket: string; expires_in_ms: number }>();
    expect(body.expires_in_ms).toBe(60_000);
    expect(body.ticket).toMatch(/^[A-Za-z0-9_-]{43}$/);
    // Bound to the principal and purpose in Redis, with a TTL.
    const ttl = await f.api.redis.pttl(`${f.api.prefix}ticket:${body.ticket}`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('gives every call a new ticket', async () => {
    const [a, b] = [
      await ticket(f.api, 'editor', 'export'),
      await ticket(f.api, 'editor', 'export'),
    ];
    expect(a).not.toBe(b);
  });

  it.each([
    ['an unknown purpose', { purpose: 'admin' }, 'body/purpose'],
    ['no purpose', {}, 'body/purpose'],
    ['an unknown field', { purpose: 'export', role: 'admin' }, 'body'],
    ['a number', { purpose: 1 }, 'body/purpose'],
  ])('refuses %s with 400 naming the path', async (_case, body, path) => {
    const res = await f.api.as('editor').post('/v1/tickets', body);
    expect(res.statusCode).toBe(400);
    const answer = res.json<{ code: string; details: { path: string } }>();
    expect([answer.code, answer.details.path]).toEqual(['VALIDATION_FAILED', path]);
  });

  it('needs a token', async () => {
    const res = await f.api.as('none').post('/v1/tickets', { purpose: 'export' });
    expect([res.statusCode, res.json<{ code: string }>().code]).toEqual([401, 'AUTH_REQUIRED']);
  });
});

describe('export.csv with ?ticket=', () => {
  it('exports once, then refuses the same ticket with 401', async () => {
    const t = await ticket(f.api, 'editor', 'export');
    const first = await exportWith(t);
    expect(first.statusCode, first.body).toBe(200);
    expect(parse(first.body, { bom: true })).toEqual([
      ['player_id', 'country'],
      ['p1', 'DE'],
      ['p2', 'FR'],
    ]);
    expect(refusal(await exportWith(t))).toEqual([401, 'AUTH_INVALID', 'query.ticket']);
  });

  it.each([
    ['a live ticket', async () => ticket(f.api, 'editor', 'live')],
    ['an unknown ticket', async () => 'A'.repeat(43)],
    ['a malformed ticket', async () => 'nope'],
  ])('refuses %s with 401 naming query.ticket', async (_case, make) => {
    expect(refusal(await exportWith(await make()))).toEqual([401, 'AUTH_INVALID', 'query.ticket']);
  });

  it.each([
    ['viewer', 403],
    ['ingest', 403],
    ['editor', 200],
    ['admin', 200],
  ] as const)('an export ticket of a %s answers %i', async (role, status) => {
    const res = await exportWith(await ticket(f.api, role, 'export'));
    expect(res.statusCode).toBe(status);
  });

  it('refuses an expired ticket', async () => {
    const res = await short.as('editor').post('/v1/tickets', { purpose: 'export' });
    expect(res.json<{ expires_in_ms: number }>().expires_in_ms).toBe(TTL_MS);
    const t = res.json<{ ticket: string }>().ticket;
    await new Promise((resolve) => setTimeout(resolve, TTL_MS * 2));
    const late = await short.as('none').get(`/v1/segments/nope/export.csv?ticket=${t}`);
    expect(refusal(late)).toEqual([401, 'AUTH_INVALID', 'query.ticket']);
  });

  it('is not taken by routes other than the export and the socket', async () => {
    const t = await ticket(f.api, 'editor', 'export');
    const res = await f.api.as('none').get(`/v1/segments/all/members?ticket=${t}`);
    expect(res.statusCode).toBe(401);
    expect((await exportWith(t)).statusCode).toBe(200);
  });
});

describe('/v1/live with ?ticket=', () => {
  const open = async (t: string) => {
    const client = new LiveClient(new WebSocket(`${liveUrl}?ticket=${t}`));
    await new Promise<void>((resolve, reject) => {
      client.socket.once('open', () => resolve());
      client.socket.once('error', reject);
    });
    return client;
  };

  it('connects once; the same ticket is then refused like a bad token', async () => {
    const t = await ticket(short, 'viewer', 'live');
    const client = await open(t);
    client.send({ type: 'subscribe', segments: '*' });
    expect(await client.nth('snapshot', 1)).toMatchObject({ type: 'snapshot' });
    const again = await refusedUpgrade(`${liveUrl}?ticket=${t}`);
    expect(again.status).toBe(401);
    expect(again.body).toMatchObject({ code: 'AUTH_INVALID', details: { field: 'query.ticket' } });
    expect(await again.closedByServer(5_000)).toBe(true);
    client.socket.close();
  });

  it.each([
    ['an export ticket', 'viewer', 'export', 401, 'AUTH_INVALID'],
    ["an ingest token's ticket", 'ingest', 'live', 403, 'AUTH_FORBIDDEN'],
  ] as const)('refuses %s', async (_case, role, purpose, status, code) => {
    const answer = await refusedUpgrade(`${liveUrl}?ticket=${await ticket(short, role, purpose)}`);
    expect([answer.status, answer.body.code]).toEqual([status, code]);
  });

  it('keeps checking the token behind the ticket: revoking it closes the socket', async () => {
    const store = createTokenStore(short.db.store, undefined);
    const issued = await store.issue('revoked soon', 'viewer', 'test');
    const res = await short.app.inject({
      method: 'POST',
      url: '/v1/tickets',
      headers: { authorization: `Bearer ${issued.token}` },
      payload: { purpose: 'live' },
    });
    const client = await open(res.json<{ ticket: string }>().ticket);
    await client.nth('heartbeat', 2);
    await short.as('admin').delete(`/v1/tokens/${issued.tokenId}`);
    expect(await client.closed).toEqual({ code: 4401, reason: 'AUTH_INVALID' });
  });
});
