// A batch writer with its own connections, as a process runs it: `segstream serve` or the
// stand-alone writer-main.ts. The ClickHouse request timeout is short so a hung server turns
// into a retry instead of holding a batch for minutes.
import { hostname } from 'node:os';
import type { Config } from '../config/config.ts';
import type { Logger } from '../log.ts';
import { openWorkerConnections, type Endpoints } from '../store/connections.ts';
import { startWriter, type Writer } from './writer.ts';

export interface RunningWriter {
  readonly writer: Writer;
  /** Stops the writer (finishing its batch) and closes its connections. */
  close(): Promise<void>;
}

const CLICKHOUSE_TIMEOUT_MS = 30_000;

/** `consumer` must stay the same across restarts of one writer; the host name is a fair default. */
export function runWriter(
  config: Config,
  endpoints: Endpoints,
  log: Logger,
  consumer = hostname(),
): RunningWriter {
  const connections = openWorkerConnections(config, endpoints, log, CLICKHOUSE_TIMEOUT_MS);
  const { redis, store } = connections;
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
      await connections.close();
    },
  };
}
