// Resolves where ClickHouse and Redis are for a command: the servers named by CLICKHOUSE_URL /
// REDIS_URL, or local ones under the data directory, started on demand.
import path from 'node:path';
import type { Config } from '../engine/config/config.ts';
import { clickhouseUrl, startClickHouse, type LocalClickHouse } from './services/clickhouse.ts';
import { redisUrl, startRedis, type LocalRedis } from './services/redis.ts';

export interface Endpoints {
  readonly clickhouseUrl: string;
  readonly redisUrl: string;
}

export function localClickHouse(config: Config): LocalClickHouse {
  return {
    dir: path.join(config.dataDir, 'clickhouse'),
    httpPort: config.clickhouse.httpPort,
    tcpPort: config.clickhouse.tcpPort,
  };
}

export function localRedis(config: Config): LocalRedis {
  return { dir: path.join(config.dataDir, 'redis'), port: config.redis.port };
}

/** Starts whichever local services are needed (already running ones are reused). */
export async function ensureServices(config: Config): Promise<Endpoints> {
  const ch =
    config.clickhouse.url ??
    (await startLocal(localClickHouse(config), startClickHouse, clickhouseUrl));
  const redis = config.redis.url ?? (await startLocal(localRedis(config), startRedis, redisUrl));
  return { clickhouseUrl: ch, redisUrl: redis };
}

async function startLocal<S>(
  server: S,
  start: (s: S) => Promise<number>,
  url: (s: S) => string,
): Promise<string> {
  await start(server);
  return url(server);
}

export function clickhouseOptions(config: Config, endpoints: Endpoints) {
  return {
    url: endpoints.clickhouseUrl,
    database: config.clickhouse.database,
    user: config.clickhouse.user,
    password: config.clickhouse.password,
    cluster: config.clickhouse.cluster,
  };
}
