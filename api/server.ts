// A running API: the ClickHouse store, the Redis client and the listening fastify instance,
// opened together and closed together in reverse order. Used by `segstream serve` and
// `segstream demo`, which first make sure the services run and the schema is migrated.
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import type { Config } from '../engine/config/config.ts';
import { SegstreamError } from '../engine/errors/errors.ts';
import type { Logger } from '../engine/log.ts';
import { createStore, type ClickHouseOptions, type Store } from '../engine/store/clickhouse.ts';
import { buildApp } from './app.ts';

export interface ServerOptions {
  readonly config: Config;
  readonly log: Logger;
  readonly clickhouse: ClickHouseOptions;
  readonly redisUrl: string;
  /** Folder of the built UI; see AppOptions.uiDir. */
  readonly uiDir?: string;
}

export interface RunningServer {
  /** Where to open the UI, e.g. http://127.0.0.1:8080. */
  readonly url: string;
  readonly store: Store;
  readonly redis: Redis;
  readonly app: FastifyInstance;
  /** Stops accepting requests, lets running ones finish, then closes Redis and ClickHouse. */
  close(): Promise<void>;
}

export async function startServer(opts: ServerOptions): Promise<RunningServer> {
  const { config, log } = opts;
  const store = createStore(opts.clickhouse);
  const redis = connectRedis(opts.redisUrl, log);
  const closeClients = async () => {
    await redis.quit().catch(() => redis.disconnect());
    await store.close();
  };

  try {
    await redis.ping().catch((err: unknown) => {
      throw new SegstreamError('REDIS_UNAVAILABLE', {}, undefined, { cause: err });
    });
    const app = await buildApp({ config, store, redis, log, uiDir: opts.uiDir });
    await listen(app, config);
    const url = publicUrl(app, config.host);
    const close = async () => {
      await app.close();
      await closeClients();
    };
    return { url, store, redis, app, close };
  } catch (err) {
    await closeClients();
    throw err;
  }
}

async function listen(app: FastifyInstance, config: Config): Promise<void> {
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (err) {
    await app.close();
    const reason = (err as { code?: string }).code;
    throw new SegstreamError(
      'SERVICE_START_FAILED',
      { service: 'api', host: config.host, port: config.port, reason },
      undefined,
      { cause: err },
    );
  }
}

/** A Redis client that logs an outage once when it starts and once when it ends. */
function connectRedis(url: string, log: Logger): Redis {
  const redis = new Redis(url);
  let down = false;
  redis.on('error', (err: Error & { code?: string }) => {
    if (!down) log.warn({ code: err.code }, 'redis unavailable');
    down = true;
  });
  redis.on('ready', () => {
    if (down) log.info('redis available again');
    down = false;
  });
  return redis;
}

/** The URL to print: a wildcard listen address is reached through the loopback address. */
function publicUrl(app: FastifyInstance, host: string): string {
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return `http://${shown.includes(':') ? `[${shown}]` : shown}:${port}`;
}
