// GET /v1/stats: ingest rate and freshness as JSON, for the live ops screen (the same facts as
// /metrics, which speaks Prometheus text). The rate counts the rows ClickHouse stored, whichever
// API process accepted them; freshness is how long accepted items wait in the ingest queue and
// how far the engine's watermark trails the newest stored row. Times are ClickHouse's clock, the
// one that stamps ingested_at and updated_at, so that no clock skew reads as lag.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import { INGEST_KINDS, queueStatus } from '../../engine/ingest/queue.ts';
import { membershipKeys } from '../../engine/membership/keys.ts';
import { readWatermark } from '../../engine/evaluator/touched.ts';
import type { Store } from '../../engine/store/clickhouse.ts';

export interface StatsRouteOptions {
  readonly store: Store;
  readonly redis: Redis;
  /** REDIS_PREFIX. */
  readonly redisPrefix: string;
}

/** Minutes of the per-minute series, the current (partial) one included. */
export const STATS_MINUTES = 15;

interface MinuteRow {
  readonly source: 'e' | 'p';
  /** The second the rows were stored in, and its minute, epoch seconds. */
  readonly s: number;
  readonly m: number;
  readonly n: number;
}

interface Clock {
  readonly now: number;
  readonly latest: number;
}

export const statsRoutes: FastifyPluginAsync<StatsRouteOptions> = async (app, opts) => {
  const { store, redis, redisPrefix } = opts;
  const schema = { querystring: Type.Object({}, { additionalProperties: false }) };
  app.get('/v1/stats', { config: { access: 'read' }, schema }, async () => {
    const [clock, rows, queue, watermark] = await Promise.all([
      readClock(store),
      readMinutes(store),
      queueStatus(redis, redisPrefix),
      readWatermark(redis, membershipKeys(redisPrefix)),
    ]);
    const minutes = minuteSeries(rows, clock.now);
    const lastMinute = rowsSince(rows, clock.now - 60);
    return {
      at: iso(clock.now),
      ingest: {
        last_minute: lastMinute,
        per_second: round2((lastMinute.events + lastMinute.players) / 60),
        minutes,
        queued_entries: INGEST_KINDS.reduce((sum, kind) => sum + queue[kind].entries, 0),
        queue_oldest_seconds: round2(
          Math.max(...INGEST_KINDS.map((kind) => queue[kind].oldestAgeMs)) / 1000,
        ),
      },
      engine: freshness(clock, watermark),
    };
  });
};

/** Where the engine stands against the newest stored row and against now, in seconds. */
export function freshness(clock: Clock, watermark: number | undefined) {
  const known = watermark !== undefined && watermark > 0;
  return {
    watermark: known ? iso(watermark) : null,
    latest_ingestion: clock.latest > 0 ? iso(clock.latest) : null,
    behind_seconds: known ? Math.max(0, clock.latest - watermark) : null,
    watermark_lag_seconds: known ? Math.max(0, clock.now - watermark) : null,
  };
}

/** One point per minute, oldest first, the last one the minute `now` is in; empty minutes 0. */
export function minuteSeries(rows: readonly MinuteRow[], now: number) {
  const last = Math.floor(now / 60) * 60;
  return Array.from({ length: STATS_MINUTES }, (_, i) => {
    const m = last - (STATS_MINUTES - 1 - i) * 60;
    const of = (source: MinuteRow['source']) =>
      rows.filter((r) => r.m === m && r.source === source).reduce((sum, r) => sum + r.n, 0);
    return { at: iso(m), events: of('e'), players: of('p') };
  });
}

/** Rows stored after `second`; the query groups by second, so the cut is exact. */
function rowsSince(rows: readonly MinuteRow[], second: number) {
  const count = (source: MinuteRow['source']) =>
    rows.filter((r) => r.source === source && r.s > second).reduce((sum, r) => sum + r.n, 0);
  return { events: count('e'), players: count('p') };
}

async function readClock(store: Store): Promise<Clock> {
  const [row] = await store.rows<{ now: number; latest: number }>(
    `SELECT toUInt32(now()) AS now, greatest(
       (SELECT toUInt32(max(ingested_at)) FROM events),
       (SELECT toUInt32(max(updated_at)) FROM players)) AS latest`,
  );
  return { now: Number(row?.now ?? 0), latest: Number(row?.latest ?? 0) };
}

/** Rows per source and second over the series' minutes (whole seconds, so both cuts are exact). */
async function readMinutes(store: Store): Promise<MinuteRow[]> {
  const since = `toDateTime(intDiv(toUInt32(now()), 60) * 60 - ${(STATS_MINUTES - 1) * 60}, 'UTC')`;
  const rows = await store.rows<{ source: 'e' | 'p'; s: number; n: number }>(
    `SELECT 'e' AS source, toUInt32(ingested_at) AS s, count() AS n
       FROM events WHERE ingested_at >= ${since} GROUP BY s
     UNION ALL
     SELECT 'p' AS source, toUInt32(updated_at) AS s, count() AS n
       FROM players WHERE updated_at >= ${since} GROUP BY s`,
  );
  return rows.map((r) => {
    const s = Number(r.s);
    return { source: r.source, s, m: Math.floor(s / 60) * 60, n: Number(r.n) };
  });
}

const iso = (second: number) => new Date(second * 1000).toISOString();
const round2 = (value: number) => Math.round(value * 100) / 100;
