// Figure 1: sustained ingest through the HTTP API. Several clients POST large NDJSON bodies to
// POST /v1/events over real sockets; the API (api/server.ts) queues them in Redis and the batch
// writer (engine/ingest/run.ts) stores them in ClickHouse, both in this process as in
// `segstream serve`. The clock runs from the first request until the writer has stored the last
// event. The ratio compares it with a bare TabSeparated insert of the same rows (Store.insert)
// into an empty events table, measured in the same run.
import { startServer } from '../api/server.ts';
import { loadConfig, type Config } from '../engine/config/config.ts';
import { startWriter } from '../engine/ingest/writer.ts';
import type { Logger } from '../engine/log.ts';
import { openWorkerConnections, type Endpoints } from '../engine/store/connections.ts';
import { createLogger } from '../engine/log.ts';
import { EVENT_COLUMNS, toClickHouseRow, type EventRow } from '../engine/store/events.ts';
import type { Store } from '../engine/store/clickhouse.ts';
import { benchEvent, ndjson } from './events.ts';
import { benchToken, poster } from './http.ts';
import type { BenchOptions } from './options.ts';
import { fmt, type FigureResult } from './report.ts';
import type { BenchServices } from './services.ts';
import { timedStore } from './profile.ts';
import { nowMs, round, timed, waitFor } from './stats.ts';

const TARGET_PER_S = 100_000;
const PLAYERS = 100_000;
const DAY_MS = 86_400_000;
/** runWriter's ClickHouse request timeout. */
const WRITER_TIMEOUT_MS = 30_000;

interface ApiRun {
  readonly acceptedMs: number;
  readonly storedMs: number;
  readonly batches: number;
  readonly requests: number;
  readonly writer: WriterCalls;
}

interface WriterCalls {
  /** The writer's lookups of already stored event ids (insertEvents), and its inserts. */
  lookupMs: number;
  lookups: number;
  insertMs: number;
  inserts: number;
}

/**
 * The batch writer as runWriter starts it (same settings and connections), with its ClickHouse
 * calls timed: the id lookups that keep retried batches from duplicating events, and the inserts.
 */
function profiledWriter(config: Config, endpoints: Endpoints, log: Logger) {
  const calls: WriterCalls = { lookupMs: 0, lookups: 0, insertMs: 0, inserts: 0 };
  const connections = openWorkerConnections(config, endpoints, log, WRITER_TIMEOUT_MS);
  const store = timedStore(connections.store, (kind, ms) => {
    if (kind === 'insert') {
      calls.insertMs += ms;
      calls.inserts += 1;
    } else {
      calls.lookupMs += ms;
      calls.lookups += 1;
    }
  });
  const writer = startWriter({
    ...{ redis: connections.redis, store, log, prefix: config.redis.prefix },
    consumer: 'bench-writer',
    batchSize: config.ingest.batchItems,
    flushMs: config.ingest.flushIntervalMs,
    leaseMs: config.ingest.leaseMs,
  });
  return {
    writer,
    calls,
    close: async () => {
      await writer.stop();
      await connections.close();
    },
  };
}

export async function benchIngest(
  services: BenchServices,
  options: BenchOptions,
): Promise<FigureResult> {
  const events = makeEvents(options.ingestEvents);
  const api = await throughApi(services, options, events);
  const bare = await bareInsert(services, events);
  const apiRate = (events.length / api.storedMs) * 1000;
  const bareRate = (events.length / bare) * 1000;
  const acceptRate = (events.length / api.acceptedMs) * 1000;
  return {
    name: 'ingest',
    rows: [
      {
        figure: `ingest via POST /v1/events (${fmt(events.length)} events)`,
        value: `${fmt(apiRate)} events/s`,
        target: `${fmt(TARGET_PER_S)} events/s`,
        ratio: `${round(apiRate / bareRate, 2)} of a bare TSV insert (${fmt(bareRate)} rows/s)`,
        verdict: apiRate >= TARGET_PER_S ? 'met' : 'missed',
      },
    ],
    notes: [
      `${options.ingestClients} concurrent HTTP clients sent ${fmt(api.requests)} NDJSON bodies ` +
        `of ${fmt(options.ingestBody)} events over keep-alive sockets to the API started in ` +
        'process (api/server.ts startServer) with the batch writer beside it (started as ' +
        'runWriter starts it, with its ClickHouse calls timed), at the ' +
        'default INGEST_BATCH_ITEMS and INGEST_FLUSH_INTERVAL_MS. Measured from the first request ' +
        'until the writer had stored the last event in ClickHouse; the count in ClickHouse was ' +
        'checked afterwards.',
      '',
      '| step | time | rate |',
      '|---|---|---|',
      `| all requests answered 202 (validated, queued in Redis) | ${fmt(api.acceptedMs)} ms | ` +
        `${fmt(acceptRate)} events/s |`,
      `| all events stored in ClickHouse (${api.batches} writer batches) | ` +
        `${fmt(api.storedMs)} ms | ${fmt(apiRate)} events/s |`,
      `| writer: ${api.writer.lookups} stored-id lookups (insertEvents) | ` +
        `${fmt(api.writer.lookupMs)} ms | |`,
      `| writer: ${api.writer.inserts} TabSeparated inserts | ${fmt(api.writer.insertMs)} ms | |`,
      `| bare Store.insert of the same rows as one TabSeparated stream into an empty table | ` +
        `${fmt(bare)} ms | ${fmt(bareRate)} rows/s |`,
      '',
      api.storedMs - api.acceptedMs > api.acceptedMs * 0.2
        ? 'The writer (ClickHouse side) finishes well after the API has accepted everything: ' +
          'the writer is the slower half.'
        : 'The writer keeps up with the API: the HTTP side (parsing, validation, queueing) is the ' +
          'slower half.',
    ],
    details: {
      events: events.length,
      api,
      bareInsertMs: round(bare),
      apiRate,
      bareRate,
      acceptRate,
    },
  };
}

function makeEvents(count: number): EventRow[] {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) =>
    benchEvent('ingest', i, PLAYERS, now - ((i * 7_919) % (30 * DAY_MS))),
  );
}

async function throughApi(
  services: BenchServices,
  options: BenchOptions,
  events: readonly EventRow[],
): Promise<ApiRun> {
  const database = 'bench_ingest';
  const token = benchToken();
  const store = await services.database(database);
  const config = loadConfig({
    CLICKHOUSE_DATABASE: database,
    REDIS_PREFIX: 'bench:ingest:',
    PORT: '0',
    SEGSTREAM_ADMIN_TOKEN: token,
  });
  const log = createLogger('warn', 'bench-ingest');
  const endpoints = { clickhouseUrl: services.clickhouseUrl, redisUrl: services.redisUrl };
  const bodies: string[] = [];
  for (let i = 0; i < events.length; i += options.ingestBody) {
    bodies.push(ndjson(events.slice(i, i + options.ingestBody)));
  }

  const server = await startServer({
    config,
    log,
    clickhouse: { url: services.clickhouseUrl, database },
    redisUrl: services.redisUrl,
  });
  const writer = profiledWriter(config, endpoints, log);
  const client = poster(server.url, options.ingestClients, token);
  try {
    const started = nowMs();
    let next = 0;
    const sendAll = async () => {
      while (next < bodies.length) {
        const body = bodies[next++]!;
        const reply = await client.post('/v1/events', body, 'application/x-ndjson');
        if (reply.rejected > 0) throw new Error(`bench: ${reply.rejected} events rejected`);
      }
    };
    await Promise.all(Array.from({ length: options.ingestClients }, sendAll));
    const acceptedMs = nowMs() - started;
    await waitFor(
      () => writer.writer.stats().eventsInserted >= events.length,
      'stored',
      600_000,
      5,
    );
    const storedMs = nowMs() - started;
    await checkCount(store, events.length);
    return {
      acceptedMs,
      storedMs,
      batches: writer.writer.stats().batches,
      requests: bodies.length,
      writer: { ...writer.calls },
    };
  } finally {
    client.close();
    await server.close();
    await writer.close();
    await store.close();
  }
}

/** Inserts `events` as one TabSeparated stream into an empty database; returns the ms taken. */
export async function bareInsert(
  services: BenchServices,
  events: readonly EventRow[],
  database = 'bench_ingest_bare',
): Promise<number> {
  const store = await services.database(database);
  try {
    const rows = events.map(toClickHouseRow);
    const { ms } = await timed(() => store.insert('events', EVENT_COLUMNS, rows));
    await checkCount(store, events.length);
    return ms;
  } finally {
    await store.close();
  }
}

async function checkCount(store: Store, expected: number): Promise<void> {
  const [row] = await store.rows<{ n: number }>('SELECT count() AS n FROM events');
  if (Number(row?.n) !== expected) {
    throw new Error(`bench: ${row?.n} events in ClickHouse, expected ${expected}`);
  }
}
