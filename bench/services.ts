// The bench's own ClickHouse and Redis, started like the test suite starts them (the same
// functions as `segstream services` and test/support/global-setup.ts) on free ports, with their
// data under .data/bench/run-<time>, and stopped at the end. Each figure uses its own database
// and Redis key prefix.
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import {
  clickhouseUrl,
  startClickHouse,
  stopClickHouse,
  type LocalClickHouse,
} from '../cli/services/clickhouse.ts';
import { redisUrl, startRedis, stopRedis, type LocalRedis } from '../cli/services/redis.ts';
import { createStore, openClient, type Store } from '../engine/store/clickhouse.ts';
import { migrate } from '../engine/store/migrate.ts';
import { freePort } from '../test/support/ports.ts';

export interface BenchServices {
  readonly clickhouseUrl: string;
  readonly redisUrl: string;
  readonly dir: string;
  /** A new, migrated database and a store on it. */
  database(name: string): Promise<Store>;
  clickhouseVersion(): Promise<string>;
  redisVersion(): Promise<string>;
  stop(): Promise<void>;
}

export async function startServices(keep: boolean): Promise<BenchServices> {
  const dir = path.resolve('.data', 'bench', `run-${new Date().toISOString().replace(/\D/g, '')}`);
  const ch: LocalClickHouse = {
    dir: path.join(dir, 'clickhouse'),
    httpPort: await freePort(),
    tcpPort: await freePort(),
  };
  const redis: LocalRedis = { dir: path.join(dir, 'redis'), port: await freePort() };
  fs.mkdirSync(ch.dir, { recursive: true });
  await startClickHouse(ch);
  try {
    await startRedis(redis);
  } catch (err) {
    await stopClickHouse(ch);
    throw err;
  }
  const chUrl = clickhouseUrl(ch);
  const rUrl = redisUrl(redis);

  return {
    clickhouseUrl: chUrl,
    redisUrl: rUrl,
    dir,
    database: async (name) => {
      await migrate({ url: chUrl, database: name });
      return createStore({ url: chUrl, database: name, requestTimeoutMs: 600_000 });
    },
    clickhouseVersion: async () => {
      const client = openClient({ url: chUrl, database: 'default' });
      const result = await client.query({ query: 'SELECT version() AS v', format: 'JSONEachRow' });
      const [row] = await result.json<{ v: string }>();
      await client.close();
      return row?.v ?? 'unknown';
    },
    redisVersion: async () => {
      const client = new Redis(rUrl);
      const info = await client.info('server');
      client.disconnect();
      return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    },
    stop: async () => {
      await Promise.all([stopClickHouse(ch), stopRedis(redis)]);
      if (!keep) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
