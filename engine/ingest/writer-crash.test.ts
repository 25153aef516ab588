// Fault tests: the writer process killed with SIGKILL mid-ingest, and Redis restarted under a
// running API and writer. Each must end with every accepted event in ClickHouse exactly once.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import Fastify, { type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ingestRoutes } from '../../api/routes/ingest.ts';
import { redisUrl, startRedis, stopRedis, type LocalRedis } from '../../cli/services/redis.ts';
import {
  testDatabase,
  testRedisUrl,
  uniqueName,
  type TestDatabase,
} from '../../test/support/isolation.ts';
import { freePort } from '../../test/support/ports.ts';
import { depositRows, silentLog, storedEvents, waitFor } from './test-support.ts';
import { startWriter } from './writer.ts';

const WRITER_MAIN = fileURLToPath(new URL('./writer-main.ts', import.meta.url));

async function ingestApp(redis: Redis, redisPrefix: string): Promise<FastifyInstance> {
  const app = Fastify({ logger: false });
  await app.register(ingestRoutes, {
    redis,
    redisPrefix,
    bodyLimitBytes: 10 * 1024 * 1024,
    futureLimitMs: 86_400_000,
  });
  return app;
}

/** Posts `n` fresh events; returns the HTTP status. */
async function postEvents(app: FastifyInstance, n: number): Promise<number> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/events',
    headers: { 'content-type': 'application/json' },
    payload: JSON.stringify(depositRows(n)),
  });
  if (res.statusCode === 202)
    expect(res.json()).toEqual({ accepted: n, rejected_count: 0, rejected: [] });
  return res.statusCode;
}

describe('ingest faults (real Redis and ClickHouse)', () => {
  let db: TestDatabase;
  const children: ChildProcess[] = [];

  beforeAll(async () => (db = await testDatabase('crash')));
  afterAll(() => db.drop());
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  });

  function spawnWriter(prefix: string): ChildProcess {
    const env = {
      ...process.env,
      CLICKHOUSE_URL: db.url,
      CLICKHOUSE_DATABASE: db.database,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: prefix,
      INGEST_BATCH_ITEMS: '3000',
      INGEST_FLUSH_INTERVAL_MS: '100',
      LOG_LEVEL: 'error',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER_MAIN, 'crash-writer'], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.push(child);
    return child;
  }

  it('stores every accepted event exactly once though the writer got SIGKILL', async () => {
    await db.store.exec('TRUNCATE TABLE events');
    const prefix = `${uniqueName('crash')}:`;
    const redis = new Redis(testRedisUrl());
    const app = await ingestApp(redis, prefix);

    const first = spawnWriter(prefix);
    let posted = 0;
    for (let i = 0; i < 30; i++) posted += (await postEvents(app, 1_000)) === 202 ? 1_000 : 0;
    // Kill while the writer is part-way through the queue: some batches stored, some not.
    await waitFor(
      () => storedEvents(db.store),
      (c) => c.rows > 0,
      30_000,
    );
    first.kill('SIGKILL');
    await new Promise((resolve) => first.once('exit', resolve));
    const atKill = (await storedEvents(db.store)).rows;
    for (let i = 0; i < 20; i++) posted += (await postEvents(app, 1_000)) === 202 ? 1_000 : 0;

    spawnWriter(prefix);
    const stored = await waitFor(
      () => storedEvents(db.store),
      (c) => c.rows >= posted,
      60_000,
    );
    expect(posted).toBe(50_000);
    expect(atKill).toBeLessThan(posted);
    expect(stored).toEqual({ rows: posted, ids: posted });
    await app.close();
    redis.disconnect();
  });

  it('recovers by itself when Redis restarts; meanwhile the API answers 503', async () => {
    await db.store.exec('TRUNCATE TABLE events');
    const server: LocalRedis = {
      dir: fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-redis-')),
      port: await freePort(),
    };
    await startRedis(server);
    const apiRedis = new Redis(redisUrl(server));
    const writerRedis = new Redis(redisUrl(server));
    for (const r of [apiRedis, writerRedis]) r.on('error', () => undefined);
    const prefix = `${uniqueName('restart')}:`;
    const app = await ingestApp(apiRedis, prefix);
    const writer = startWriter({
      ...{ redis: writerRedis, store: db.store, log: silentLog, prefix, consumer: 'w' },
      ...{ batchSize: 2_000, flushMs: 100, leaseMs: 60_000, backoff: { baseMs: 50, maxMs: 500 } },
    });
    try {
      for (let i = 0; i < 10; i++) expect(await postEvents(app, 200)).toBe(202);
      await stopRedis(server);
      await waitFor(
        async () => apiRedis.status,
        (s) => s === 'reconnecting',
        10_000,
      );
      expect(await postEvents(app, 200)).toBe(503);

      await startRedis(server);
      await waitFor(
        async () => apiRedis.status,
        (s) => s === 'ready',
        15_000,
      );
      for (let i = 0; i < 10; i++) expect(await postEvents(app, 200)).toBe(202);
      const stored = await waitFor(
        () => storedEvents(db.store),
        (c) => c.rows >= 4_000,
        30_000,
      );
      expect(stored).toEqual({ rows: 4_000, ids: 4_000 });
    } finally {
      await writer.stop();
      await app.close();
      apiRedis.disconnect();
      writerRedis.disconnect();
      await stopRedis(server);
      fs.rmSync(server.dir, { recursive: true, force: true });
    }
  });
});
