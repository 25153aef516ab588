// The Redis and ClickHouse connections a long-running worker (batch writer, engine) opens for
// itself, so that one worker's stuck query or reconnect never stalls another's.
import { Redis } from 'ioredis';
import type { Config } from '../config/config.ts';
import type { Logger } from '../log.ts';
import { createStore, type Store } from './clickhouse.ts';

/** Where the services are: the configured URLs, or the ones `segstream services` started. */
export interface Endpoints {
  readonly clickhouseUrl: string;
  readonly redisUrl: string;
}

export interface WorkerConnections {
  readonly redis: Redis;
  readonly store: Store;
  close(): Promise<void>;
}

export function openWorkerConnections(
  config: Config,
  endpoints: Endpoints,
  log: Logger,
  requestTimeoutMs: number,
): WorkerConnections {
  const redis = new Redis(endpoints.redisUrl);
  // ioredis reconnects by itself; an error event without a listener would crash the process.
  redis.on('error', (err: Error) => log.debug({ reason: err.message }, 'redis error'));
  const store = createStore({
    url: endpoints.clickhouseUrl,
    database: config.clickhouse.database,
    user: config.clickhouse.user,
    password: config.clickhouse.password,
    requestTimeoutMs,
    cluster: config.clickhouse.cluster,
  });
  return {
    redis,
    store,
    close: async () => {
      redis.disconnect();
      await store.close();
    },
  };
}
