// Fault test: ClickHouse stopped for 20 s during ingest. The API keeps accepting (it only needs
// Redis), the writer keeps retrying, and once ClickHouse is back every accepted event arrives
// exactly once. Runs its own throw-away ClickHouse so stopping it disturbs no other test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestRoutes } from '../../api/routes/ingest.ts';
import {
  clickhouseUrl,
  startClickHouse,
  stopClickHouse,
  type LocalClickHouse,
} from '../../cli/services/clickhouse.ts';
import { testRedisUrl, uniqueName } from '../../test/support/isolation.ts';
import { freePort } from '../../test/support/ports.ts';
import { createStore, type Store } from '../store/clickhouse.ts';
import { migrate } from '../store/migrate.ts';
import { depositRows, silentLog, storedEvents, waitFor } from './test-support.ts';
import { startWriter, type Writer } from './writer.ts';

const OUTAGE_MS = 20_000;
const REQUEST_EVENTS = 500;

describe('ClickHouse outage during ingest (own throw-away ClickHouse)', () => {
  let server: LocalClickHouse;
  let store: Store;
  let redis: Redis;
  let app: FastifyInstance;
  let writer: Writer;

  beforeAll(async () => {
    server = {
      dir: fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-ch-')),
      httpPort: await freePort(),
      tcpPort: await freePort(),
    };
    await startClickHouse(server);
    const url = clickhouseUrl(server);
    await migrate({ url, database: 'outage' });
    store = createStore({ url, database: 'outage', requestTimeoutMs: 5_000 });
    redis = new Redis(testRedisUrl());
    const prefix = `${uniqueName('outage')}:`;
    app = Fastify({ logger: false });
    await app.register(ingestRoutes, {
      ...{ redis, redisPrefix: prefix, bodyLimitBytes: 10 * 1024 * 1024 },
      futureLimitMs: 86_400_000,
    });
    writer = startWriter({
      ...{ redis, store, log: silentLog, prefix, consumer: 'outage-writer' },
      ...{
        batchSize: 5_000,
        flushMs: 200,
        leaseMs: 60_000,
        backoff: { baseMs: 100, maxMs: 1_000 },
      },
    });
  });

  afterAll(async () => {
    await writer?.stop();
    await app?.close();
    redis?.disconnect();
    await store?.close();
    await stopClickHouse(server);
    fs.rmSync(server.dir, { recursive: true, force: true });
  });

  async function post(): Promise<{ status: number; ms: number }> {
    const started = Date.now();
    const res = await app.inject({
      method: 'POST',
      url: '/v1/events',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify(depositRows(REQUEST_EVENTS)),
    });
    return { status: res.statusCode, ms: Date.now() - started };
  }

  it('keeps accepting while ClickHouse is down and stores everything once it is back', async () => {
    let accepted = 0;
    for (let i = 0; i < 10; i++) if ((await post()).status === 202) accepted += REQUEST_EVENTS;
    await waitFor(
      () => storedEvents(store),
      (c) => c.rows === accepted,
      15_000,
    );

    await stopClickHouse(server);
    const downAt = Date.now();
    const during: { status: number; ms: number }[] = [];
    while (Date.now() - downAt < OUTAGE_MS) {
      during.push(await post());
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    accepted += during.filter((r) => r.status === 202).length * REQUEST_EVENTS;
    expect(during.every((r) => r.status === 202)).toBe(true);
    expect(Math.max(...during.map((r) => r.ms))).toBeLessThan(1_000);
    expect(writer.stats().retrying).toBe(true);
    expect((await writer.queueStatus()).events.entries).toBeGreaterThan(0);

    await startClickHouse(server);
    const stored = await waitFor(
      () => storedEvents(store),
      (c) => c.rows >= accepted,
      30_000,
    );
    expect(stored).toEqual({ rows: accepted, ids: accepted });
    expect(accepted).toBeGreaterThan(10 * REQUEST_EVENTS);
    expect(writer.stats().retries).toBeGreaterThan(0);
    await waitFor(
      () => writer.queueStatus(),
      (q) => q.events.entries === 0,
    );
  });
});
