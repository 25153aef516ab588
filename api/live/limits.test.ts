// /v1/live protects itself over real sockets: tokens before the upgrade and on every heartbeat,
// heartbeats that drop dead clients, the LIVE_* limits (each closes with a code and a coded
// reason, and each allows what is exactly at the limit), and slow readers, which get coalesced
// updates ending at the latest value or, when stuck, are closed.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LiveMessage } from '../../engine/membership/apply.ts';
import { membershipKeys } from '../../engine/membership/keys.ts';
import type { Role } from '../auth/roles.ts';
import {
  ADMIN_TOKEN,
  LiveClient,
  liveFixture,
  refusedUpgrade,
  waitUntil,
  type LiveFixture,
  type LiveServer,
} from './test-support.ts';

let f: LiveFixture;
beforeAll(async () => {
  f = await liveFixture('limits');
  await f.engine.live('a');
  await f.engine.live('b');
});
afterAll(() => f.close());

describe('tokens', () => {
  let server: LiveServer;
  beforeAll(async () => {
    server = await f.server();
  });

  it.each([
    ['no token', '', {}, 401, 'AUTH_REQUIRED'],
    ['an unknown token', '?access_token=sgs_nope', {}, 401, 'AUTH_INVALID'],
    ['a malformed header', '', { authorization: 'Basic abc' }, 401, 'AUTH_INVALID'],
    ['an ingest token', 'ingest', {}, 403, 'AUTH_FORBIDDEN'],
  ] as const)('refuses the upgrade with %s', async (_case, query, headers, status, code) => {
    const suffix = query === 'ingest' ? `?access_token=${f.tokens.ingest}` : query;
    const answer = await refusedUpgrade(`${server.url}${suffix}`, headers);
    expect([answer.status, answer.body.code]).toEqual([status, code]);
    // A refused socket left open leaks a descriptor per client and holds up shutdown.
    expect(await answer.closedByServer(5_000)).toBe(true);
  });

  it.each(['viewer', 'editor', 'admin'] as const)('lets a %s token in', async (role: Role) => {
    const client = await LiveClient.open(server.url, f.tokens[role]);
    client.send({ type: 'subscribe', segments: ['a'] });
    expect(await client.nth('snapshot', 1)).toMatchObject({ segments: [{ segment: 'a' }] });
    client.close();
  });

  it('takes the token from the Authorization header too', async () => {
    const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
    const client = await LiveClient.open(server.url, undefined, headers);
    client.send({ type: 'subscribe', segments: ['a'] });
    await client.nth('snapshot', 1);
    client.close();
  });

  it('answers a plain GET with 426 LIVE_UPGRADE_REQUIRED', async () => {
    const http = server.url.replace('ws:', 'http:');
    const res = await fetch(`${http}?access_token=${f.tokens.viewer}`);
    expect([res.status, ((await res.json()) as { code: string }).code]).toEqual([
      426,
      'LIVE_UPGRADE_REQUIRED',
    ]);
  });
});

describe('heartbeats', () => {
  let server: LiveServer;
  beforeAll(async () => {
    server = await f.server({ heartbeatMs: 50 });
  });

  it('pings and sends a heartbeat message', async () => {
    const client = await LiveClient.open(server.url, f.tokens.viewer);
    let pings = 0;
    client.socket.on('ping', () => (pings += 1));
    const heartbeat = await client.nth('heartbeat', 2);
    expect(Date.parse(String(heartbeat.at))).not.toBeNaN();
    expect(pings).toBeGreaterThan(0);
    client.close();
  });

  it('drops a client that stops answering pings', async () => {
    const before = server.hub.stats.closed.heartbeat ?? 0;
    const client = await LiveClient.open(server.url, f.tokens.viewer);
    await client.nth('heartbeat', 1);
    client.socket.pause();
    await waitUntil(() => (server.hub.stats.closed.heartbeat ?? 0) > before, 'the drop');
    client.socket.resume();
    expect((await client.closed).code).toBe(1006);
  });

  it('closes with 4401 AUTH_INVALID once its token is revoked', async () => {
    const issued = await f.tokenStore.issue('short-lived', 'viewer', 't');
    const client = await LiveClient.open(server.url, issued.token);
    await client.nth('heartbeat', 1);
    await f.tokenStore.revoke(issued.tokenId, 't');
    expect(await client.closed).toEqual({ code: 4401, reason: 'AUTH_INVALID' });
    expect(client.of('error').at(-1)).toMatchObject({ code: 'AUTH_INVALID' });
  });
});

describe('client limits', () => {
  let server: LiveServer;
  beforeAll(async () => {
    server = await f.server({ subscriptionsMax: 3, messageMaxBytes: 200, messagesPerSecond: 4 });
  });
  const open = () => LiveClient.open(server.url, f.tokens.viewer);

  it.each([
    ['3 segments at once', [['a', 'b', 'c']]],
    [
      '3 segments in two messages, one twice',
      [
        ['a', 'b'],
        ['b', 'c'],
      ],
    ],
    ['"*" besides 3 segments', [['a', 'b', 'c'], '*']],
  ] as const)('allows %s', async (_case, requests) => {
    const client = await open();
    for (const segments of requests) client.send({ type: 'subscribe', segments });
    await client.nth('snapshot', requests.length);
    expect(client.of('error')).toEqual([]);
    client.close();
  });

  it.each([
    ['4 segments at once', [['a', 'b', 'c', 'd']], 4],
    [
      '4 segments in two messages',
      [
        ['a', 'b'],
        ['c', 'd'],
      ],
      4,
    ],
  ] as const)('closes with 1008 on %s', async (_case, requests, requested) => {
    const client = await open();
    for (const segments of requests) client.send({ type: 'subscribe', segments });
    expect(await client.closed).toEqual({ code: 1008, reason: 'LIVE_TOO_MANY_SUBSCRIPTIONS' });
    expect(client.of('error').at(-1)).toMatchObject({
      code: 'LIVE_TOO_MANY_SUBSCRIPTIONS',
      details: { limit: 3, requested },
    });
  });

  it('allows a message of exactly LIVE_MESSAGE_MAX_BYTES', async () => {
    const client = await open();
    const text = padded(200);
    expect(Buffer.byteLength(text)).toBe(200);
    client.socket.send(text);
    await client.nth('snapshot', 1);
    client.close();
  });

  it.each([
    ['a little larger', 201],
    ['more than the websocket layer takes', 1_000],
  ] as const)('closes with 1009 on a message %s', async (_case, bytes) => {
    const client = await open();
    client.socket.send(padded(bytes));
    const closed = await client.closed;
    expect(closed.code).toBe(1009);
    // Beyond four times the limit ws cuts the message off itself, without a reason.
    expect(closed.reason).toBe(bytes <= 800 ? 'LIVE_MESSAGE_TOO_LARGE' : '');
  });

  it('allows a burst of LIVE_MESSAGES_PER_SECOND messages', async () => {
    const client = await open();
    for (let i = 0; i < 4; i++) client.send({ type: 'subscribe', segments: ['a'] });
    await client.nth('snapshot', 4);
    client.close();
  });

  it('closes with 1008 LIVE_RATE_LIMITED on a longer burst', async () => {
    const client = await open();
    for (let i = 0; i < 40; i++) client.send({ type: 'subscribe', segments: ['a'] });
    expect(await client.closed).toEqual({ code: 1008, reason: 'LIVE_RATE_LIMITED' });
  });

  it.each([
    ['not JSON', '{', ''],
    ['not an object', '[1]', ''],
    ['an unknown type', { type: 'hello' }, 'type'],
    ['no segments', { type: 'subscribe' }, 'segments'],
    ['an empty list', { type: 'subscribe', segments: [] }, 'segments'],
    ['a bad segment id', { type: 'subscribe', segments: ['a', 'no way'] }, 'segments[1]'],
    ['a negative seq', { type: 'subscribe', segments: ['a'], since: { a: -1 } }, 'since.a'],
    [
      'a bad id in since',
      { type: 'subscribe', segments: '*', since: { 'x y': 1 } },
      'since["x y"]',
    ],
    ['an unknown key', { type: 'unsubscribe', segments: '*', since: {} }, 'since'],
  ] as const)('answers %s with LIVE_MESSAGE_INVALID and stays open', async (_c, message, path) => {
    const client = await open();
    client.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
    expect(await client.nth('error', 1)).toMatchObject({
      code: 'LIVE_MESSAGE_INVALID',
      details: { path },
    });
    client.send({ type: 'subscribe', segments: ['a'] });
    await client.nth('snapshot', 1);
    client.close();
  });
});

describe('slow clients', () => {
  it('get coalesced updates that end at the latest value', async () => {
    const server = await f.server({ bufferHighBytes: 1_024 });
    const client = await LiveClient.open(server.url, f.tokens.viewer);
    client.send({ type: 'subscribe', segments: ['a', 'b'] });
    const snapshot = await client.nth('snapshot', 1);
    const start = Object.fromEntries(
      (snapshot.segments as { segment: string; seq: number }[]).map((e) => [e.segment, e.seq]),
    );

    client.socket.pause();
    const published = await flood(['a', 'b'], () => server.hub.stats.coalesced > 0);
    const last = { a: await f.engine.change('a', 1), b: await f.engine.change('b', 1) };
    client.socket.resume();

    for (const segment of ['a', 'b'] as const) {
      await waitUntil(
        () => client.of('update').some((m) => m.segment === segment && m.seq === last[segment].seq),
        `the last update of ${segment}`,
      );
      const updates = client.of('update').filter((m) => m.segment === segment);
      const seqs = updates.map((m) => Number(m.seq));
      expect(seqs).toEqual([...seqs].sort((x, y) => x - y));
      expect(new Set(seqs).size).toBe(seqs.length);
      expect(updates.at(-1)).toMatchObject({ count: last[segment].count });
      // Every change set is accounted for once, whether sent alone or merged.
      const merged = updates.reduce((sum, m) => sum + Number(m.merged), 0);
      expect(merged).toBe(last[segment].seq - start[segment]!);
      const entered = updates.reduce((sum, m) => sum + Number(m.entered), 0);
      expect(entered).toBe(merged);
    }
    expect(client.of('update').length).toBeLessThan(published + 2);
    expect(client.of('update').some((m) => Number(m.merged) > 1)).toBe(true);
    client.close();
  });

  it('are closed with 1013 LIVE_CLIENT_TOO_SLOW when they stay behind', async () => {
    const server = await f.server({ bufferHighBytes: 1_024, bufferStuckMs: 100 });
    const client = await LiveClient.open(server.url, f.tokens.viewer);
    client.send({ type: 'subscribe', segments: ['a'] });
    await client.nth('snapshot', 1);
    client.socket.pause();
    await flood(['a'], () => (server.hub.stats.closed.LIVE_CLIENT_TOO_SLOW ?? 0) > 0);
    client.socket.resume();
    expect(await client.closed).toEqual({ code: 1013, reason: 'LIVE_CLIENT_TOO_SLOW' });
  });
});

/**
 * Messages of the engine's shape for these segments, published in batches until `done` (the
 * segment hashes follow, as the apply script would keep them): a paused client's kernel buffers
 * take an unknown amount, megabytes, before the server sees it behind. Returns how many.
 */
async function flood(segments: readonly string[], done: () => boolean): Promise<number> {
  const keys = membershipKeys(f.prefix);
  const state = new Map<string, { count: number; seq: number }>();
  for (const segment of segments) {
    const hash = await f.redis.hgetall(keys.segment(segment));
    state.set(segment, { count: Number(hash.count ?? 0), seq: Number(hash.seq ?? 0) });
  }
  let published = 0;
  const deadline = Date.now() + 60_000;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('the server never saw the client behind');
    const batch = f.redis.pipeline();
    for (let i = 0; i < 2_000; i++) {
      const segment = segments[i % segments.length]!;
      const now = state.get(segment)!;
      const next = { count: now.count + 1, seq: now.seq + 1 };
      state.set(segment, next);
      const message: LiveMessage = {
        ...{ segment, version: 1, ...next, entered: 1, exited: 0, at: Date.now(), cause: 'tick' },
      };
      batch.publish(keys.live, JSON.stringify(message));
    }
    for (const [segment, now] of state) batch.hset(keys.segment(segment), now);
    await batch.exec();
    published += 2_000;
  }
  return published;
}

/** A valid subscribe message of exactly `bytes` bytes (JSON allows trailing blanks). */
function padded(bytes: number): string {
  const base = JSON.stringify({ type: 'subscribe', segments: ['a'] });
  return base + ' '.repeat(bytes - base.length);
}
