import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { RETRY_AFTER_S } from '../errors.ts';
import { entryItems, streamKey, type IngestKind } from '../../engine/ingest/queue.ts';
import { silentLog, storedEvents, waitFor } from '../../engine/ingest/test-support.ts';
import { startWriter } from '../../engine/ingest/writer.ts';
import {
  testDatabase,
  testRedisUrl,
  uniqueName,
  type TestDatabase,
} from '../../test/support/isolation.ts';
import { freePort } from '../../test/support/ports.ts';
import { ingestRoutes, type IngestRouteOptions } from './ingest.ts';

const NOW = Date.parse('2026-03-01T12:00:00Z');
const event = (id: string, patch: Record<string, unknown> = {}) => ({
  event_id: id,
  player_id: 'p1',
  type: 'deposit',
  event_time: '2026-03-01T10:00:00Z',
  amount: '10.00',
  ...patch,
});

async function ingestApp(opts: Partial<IngestRouteOptions> & Pick<IngestRouteOptions, 'redis'>) {
  const app = Fastify({ logger: false });
  await app.register(ingestRoutes, {
    redisPrefix: 'unused:',
    bodyLimitBytes: 64 * 1024,
    futureLimitMs: 86_400_000,
    now: () => NOW,
    ...opts,
  });
  return app;
}

const post = (app: FastifyInstance, url: string, payload: string, type = 'application/json') =>
  app.inject({ method: 'POST', url, headers: { 'content-type': type }, payload });

describe('POST /v1/events and /v1/players (real Redis)', () => {
  let redis: Redis;
  let app: FastifyInstance;
  let prefix: string;

  beforeAll(() => {
    redis = new Redis(testRedisUrl());
  });
  afterAll(() => redis.disconnect());
  beforeEach(async () => {
    prefix = `${uniqueName('api')}:`;
    app = await ingestApp({ redis, redisPrefix: prefix });
    return () => app.close();
  });

  /** Items queued on a stream, entry by entry. */
  async function queued(kind: IngestKind): Promise<unknown[][]> {
    const entries = await redis.xrange(streamKey(prefix, kind), '-', '+');
    return entries.map(([, fields]) => entryItems(fields) ?? []);
  }

  it('queues the valid items of a JSON array and reports each rejected one', async () => {
    const items = [
      event('e1'),
      event('e2', { amount: 12.345678 }),
      event('e3', { event_time: 1_767_225_600_000 }),
      { ...event('e4'), colour: 'red' },
      event('e5', { player_id: 'unknown-player' }),
    ];
    const res = await post(app, '/v1/events', JSON.stringify(items));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({
      accepted: 3,
      rejected_count: 2,
      rejected: [
        { index: 1, code: 'INGEST_FIELD_INVALID', path: 'amount', message: expect.any(String) },
        { index: 3, code: 'INGEST_FIELD_UNKNOWN', path: 'colour', message: expect.any(String) },
      ],
    });
    const entries = await queued('events');
    expect(entries).toHaveLength(1);
    expect(entries[0]).toEqual([
      { ...event('e1'), event_time: Date.parse('2026-03-01T10:00:00Z') },
      { ...event('e3'), event_time: 1_767_225_600_000 },
      { ...event('e5', { player_id: 'unknown-player' }), event_time: expect.any(Number) },
    ]);
  });

  it('reads NDJSON line by line: a broken line is rejected alone', async () => {
    const lines = [
      JSON.stringify(event('e1')),
      '{"event_id": "e2", ',
      '',
      JSON.stringify(event('e3', { event_time: '2026-03-05T10:00:00Z' })),
      JSON.stringify(event('e4')),
    ].join('\n');
    const res = await post(app, '/v1/events', lines, 'application/x-ndjson');
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({
      accepted: 2,
      rejected_count: 2,
      rejected: [
        { index: 1, code: 'INGEST_ITEM_MALFORMED', path: '', message: expect.any(String) },
        {
          index: 3,
          code: 'INGEST_EVENT_TOO_FAR_AHEAD',
          path: 'event_time',
          message: expect.any(String),
        },
      ],
    });
    const ids = (await queued('events')).flat().map((e) => (e as { event_id: string }).event_id);
    expect(ids).toEqual(['e1', 'e4']);
  });

  it.each([
    ['an event id', '/v1/events', { ...event('bad'), event_id: 'x\ud800' }, 'event_id'],
    ['a player id', '/v1/players', { player_id: '\udc00' }, 'player_id'],
    ['a tag', '/v1/players', { player_id: 'p9', tags: ['ok', 'a\ud83c'] }, 'tags[1]'],
    ['a property', '/v1/events', { ...event('bad'), props: { k: '\ud800' } }, 'props.k'],
  ])('rejects a lone surrogate in %s, keeping the neighbours', async (_name, url, bad, path) => {
    const good = url === '/v1/events' ? event('good') : { player_id: 'good' };
    // JSON.stringify writes lone surrogates as \u escapes, as a client would send them.
    const res = await post(app, url, JSON.stringify([good, bad]));
    expect(res.json()).toMatchObject({
      accepted: 1,
      rejected: [{ index: 1, code: 'INGEST_FIELD_INVALID', path }],
    });
  });

  it('lists at most 1,000 rejected items however many there are, and counts them all', async () => {
    const res = await post(
      app,
      '/v1/events',
      JSON.stringify([event('ok'), ...Array(5_000).fill(1)]),
    );
    const answer = res.json();
    expect([answer.accepted, answer.rejected_count, answer.rejected.length]).toEqual([
      1, 5_000, 1_000,
    ]);
    expect(answer.rejected[0].index).toBe(1);
  });

  it('queues player updates with their version', async () => {
    const updates = [
      { player_id: 'p1', country: 'DE', version: 3 },
      { player_id: 'p2', email: null },
      { player_id: 'p3', country: 'Germany' },
    ];
    const res = await post(app, '/v1/players', JSON.stringify(updates));
    expect(res.json()).toMatchObject({ accepted: 2, rejected: [{ index: 2, path: 'country' }] });
    expect(await queued('players')).toEqual([
      [
        { player_id: 'p1', version: 3, changes: { country: 'DE' } },
        { player_id: 'p2', version: NOW, changes: { email: null } },
      ],
    ]);
  });

  it('queues a large request as several entries in one step', async () => {
    const items = Array.from({ length: 2_500 }, (_, i) => ({ player_id: `p${i}`, version: 1 }));
    const big = await ingestApp({ redis, redisPrefix: prefix, bodyLimitBytes: 1024 * 1024 });
    const res = await post(big, '/v1/players', JSON.stringify(items));
    await big.close();
    expect(res.json()).toEqual({ accepted: 2_500, rejected_count: 0, rejected: [] });
    expect((await queued('players')).map((entry) => entry.length)).toEqual([1_000, 1_000, 500]);
  });

  it('answers 202 and queues nothing when every item is rejected', async () => {
    const res = await post(app, '/v1/events', JSON.stringify([{}, 5]));
    expect(res.statusCode).toBe(202);
    expect(res.json().accepted).toBe(0);
    expect(res.json().rejected).toHaveLength(2);
    expect(await redis.exists(streamKey(prefix, 'events'))).toBe(0);
  });

  it.each([
    ['text that is not JSON', 'application/json', '[{"event_id":', 400, 'INGEST_BODY_INVALID'],
    [
      'a single object',
      'application/json',
      JSON.stringify(event('e1')),
      400,
      'INGEST_BODY_INVALID',
    ],
    ['an empty JSON body', 'application/json', '', 400, 'INGEST_BODY_INVALID'],
    ['plain text', 'text/plain', 'hello', 415, 'INGEST_MEDIA_TYPE_UNSUPPORTED'],
    [
      'a body over the limit',
      'application/json',
      `[${'1,'.repeat(40_000)}1]`,
      413,
      'INGEST_BODY_TOO_LARGE',
    ],
  ])('answers a coded error for %s', async (_name, type, payload, status, code) => {
    const res = await post(app, '/v1/events', payload, type);
    expect(res.statusCode).toBe(status);
    expect(res.json()).toEqual({ code, message: expect.any(String), details: expect.any(Object) });
  });

  it('accepts an empty array and an empty NDJSON body as nothing to do', async () => {
    expect((await post(app, '/v1/events', '[]')).json()).toEqual({
      accepted: 0,
      rejected_count: 0,
      rejected: [],
    });
    const ndjson = await post(app, '/v1/players', '\n', 'application/x-ndjson');
    expect(ndjson.json()).toEqual({ accepted: 0, rejected_count: 0, rejected: [] });
  });
});

describe('POST /v1/events while Redis is down', () => {
  it('answers 503 REDIS_UNAVAILABLE with Retry-After at once', async () => {
    const port = await freePort();
    const down = new Redis({ port, retryStrategy: () => 200, maxRetriesPerRequest: 0 });
    down.on('error', () => undefined);
    const app = await ingestApp({ redis: down, redisPrefix: 'down:' });
    const started = Date.now();
    const res = await post(app, '/v1/events', JSON.stringify([event('e1')]));
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe(String(RETRY_AFTER_S));
    expect(res.json().code).toBe('REDIS_UNAVAILABLE');
    await app.close();
    down.disconnect();
  });
});

describe('ingest through the API into ClickHouse', () => {
  let db: TestDatabase;
  beforeAll(async () => (db = await testDatabase('ingest_api')));
  afterAll(() => db.drop());

  it('stores every accepted event once, whatever the duplicates and neighbours', async () => {
    const redis = new Redis(testRedisUrl());
    const prefix = `${uniqueName('e2e')}:`;
    const app = await ingestApp({ redis, redisPrefix: prefix, now: Date.now });
    const writer = startWriter({
      ...{ redis, prefix, store: db.store, log: silentLog, consumer: 'api-test' },
      ...{ batchSize: 1_000, flushMs: 100, leaseMs: 60_000 },
    });
    const first = [event('a1'), event('a2'), event('bad', { type: 'Bet!' }), event('a1')];
    const second = [event('a2', { amount: '99' }), event('a3', { player_id: 'nobody' })];
    expect((await post(app, '/v1/events', JSON.stringify(first))).json().accepted).toBe(3);
    const ndjson = second.map((e) => JSON.stringify(e)).join('\n');
    expect((await post(app, '/v1/events', ndjson, 'application/x-ndjson')).statusCode).toBe(202);

    await waitFor(
      () => storedEvents(db.store),
      (c) => c.rows >= 3,
    );
    await waitFor(
      async () => writer.stats(),
      (s) => s.eventsInserted + s.eventsDuplicate === 5,
    );
    const rows = await db.store.rows<{ event_id: string; amount: string }>(
      'SELECT event_id, toString(amount) AS amount FROM events ORDER BY event_id',
    );
    expect(rows.map((r) => [r.event_id, Number(r.amount)])).toEqual([
      ['a1', 10],
      ['a2', 10],
      ['a3', 10],
    ]);
    await writer.stop();
    await app.close();
    redis.disconnect();
  });
});
