// A batch writer with its own connections, as a process runs it: `segstream serve` or the
// stand-alone writer-main.ts. The ClickHouse request timeout is short so a hung server turns
// into a retry instead of holding a batch for minutes.
import { hostname } from 'node:os';
import { Redis } from 'ioredis';
import type { Config } from '../config/config.ts';
import type { Logger } from '../log.ts';
import { createStore } from '../store/clickhouse.ts';
import { startWriter, type Writer } from './writer.ts';

export interface WriterEndpoints {
  readonly clickhouseUrl: string;
  readonly redisUrl: string;
}

export interface RunningWriter {
  readonly writer: Writer;
  /** Stops the writer (finishing its batch) and closes its connections. */
  close(): Promise<void>;
}

const CLICKHOUSE_TIMEOUT_MS = 30_000;

/** `consumer` must stay the same across restarts of one writer; the host name is a fair default. */
export function runWriter(
  config: Config,
  endpoints: WriterEndpoints,
  log: Logger,
  consumer = hostname(),
): RunningWriter {
  const redis = new Redis(endpoints.redisUrl);
  redis.on('error', (err: Error) => log.debug({ reason: err.message }, 'redis error'));
  const store = createStore({
    url: endpoints.clickhouseUrl,
    database: config.clickhouse.database,
    user: config.clickhouse.user,
    password: config.clickhouse.password,
    requestTimeoutMs: CLICKHOUSE_TIMEOUT_MS,
  });
  const writer = startWriter({
    redis,
    store,
    log,
    prefix: config.redis.prefix,
    consumer,
    batchSize: config.ingest.batchItems,
    flushMs: config.ingest.flushIntervalMs,
    leaseMs: config.ingest.leaseMs,
  });
  return {
    writer,
    close: async () => {
      await writer.stop();
      redis.disconnect();
      await store.close();
    },
  };
}
