// Segment size history for charts. The apply script counts each minute's transitions and the
// count after the minute's last change in a Redis hash per minute (in the same atomic step as
// the bits, so a crash loses nothing); once a minute is over the engine writes its rows to
// ClickHouse segment_sizes and deletes the hash. Days older than ENGINE_HISTORY_MINUTE_DAYS are
// rolled up into segment_sizes_hourly, then their partition is dropped (18.16 has no TTL).
// Rows exist only for minutes and hours with changes: a reader carries the last count forward.
import type { Redis } from 'ioredis';
import { sqlDateTime, sqlString } from '../sql/literal.ts';
import type { Store } from '../store/clickhouse.ts';
import type { MembershipKeys } from './keys.ts';

const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;
const COLUMNS = ['segment_id', 'minute', 'count', 'entered', 'exited'];

/**
 * Writes the size rows of every finished minute (before the minute of `now`) and removes their
 * counters. Writing a minute twice stores the same row twice, which the table collapses.
 * Returns how many minutes were written.
 */
export async function flushSizes(
  redis: Redis,
  store: Store,
  keys: MembershipKeys,
  now: number,
): Promise<number> {
  const current = Math.floor(now / MINUTE_MS) * MINUTE_MS;
  const minutes = (await redis.zrangebyscore(keys.sizesPending, '-inf', `(${current}`)).map(Number);
  for (const minute of minutes) {
    const counters = await redis.hgetall(keys.sizes(minute));
    await store.insert('segment_sizes', COLUMNS, sizeRows(minute, counters));
    await redis.multi().del(keys.sizes(minute)).zrem(keys.sizesPending, minute).exec();
  }
  return minutes.length;
}

function sizeRows(minute: number, counters: Record<string, string>): (string | number)[][] {
  const bySegment = new Map<string, { count: number; entered: number; exited: number }>();
  for (const [field, value] of Object.entries(counters)) {
    const cut = field.lastIndexOf('|');
    const segment = field.slice(0, cut);
    const row = bySegment.get(segment) ?? { count: 0, entered: 0, exited: 0 };
    const name = field.slice(cut + 1) as 'count' | 'entered' | 'exited';
    row[name] = Number(value);
    bySegment.set(segment, row);
  }
  const seconds = minute / 1000;
  return [...bySegment].map(([s, r]) => [s, seconds, r.count, r.entered, r.exited]);
}

/**
 * Rolls every day of per-minute rows older than `keepDays` up into hours, then drops the day.
 * A crash between the two repeats the same hourly rows, which collapse. Returns the days.
 */
export async function rollupSizes(store: Store, keepDays: number, now: number): Promise<string[]> {
  const cutoff = dayText(Math.floor(now / DAY_MS) * DAY_MS - keepDays * DAY_MS);
  const parts = await store.rows<{ partition: string }>(
    `SELECT DISTINCT partition FROM system.parts
     WHERE database = currentDatabase() AND table = 'segment_sizes' AND active`,
  );
  const days = parts
    .map((p) => p.partition.replace(/'/g, ''))
    .filter((day) => /^\d{8}$/.test(day) && day < cutoff)
    .sort();
  for (const day of days) {
    await store.exec(`INSERT INTO segment_sizes_hourly (segment_id, hour, count, entered, exited)
      SELECT segment_id, toStartOfHour(minute) AS hour, argMax(count, minute), sum(entered),
        sum(exited)
      FROM segment_sizes FINAL WHERE toYYYYMMDD(minute) = ${day}
      GROUP BY segment_id, hour`);
    await store.exec(`ALTER TABLE segment_sizes DROP PARTITION ${day}`);
  }
  return days;
}

function dayText(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10).replace(/-/g, '');
}

export interface SizePoint {
  /** Start of the minute or hour, epoch milliseconds. */
  readonly at: number;
  readonly count: number;
  readonly entered: number;
  readonly exited: number;
}

export interface SizeHistory {
  /** The count before `from` (the last one written earlier), 0 when none. */
  readonly countBefore: number;
  /** Minutes and hours with changes in [from, to), oldest first: hours where rolled up. */
  readonly points: readonly SizePoint[];
}

export async function sizeHistory(
  store: Store,
  segment: string,
  from: number,
  to: number,
): Promise<SizeHistory> {
  const both = `SELECT hour AS t, count, entered, exited FROM segment_sizes_hourly FINAL
      WHERE segment_id = ${sqlString(segment)}
    UNION ALL
    SELECT minute AS t, count, entered, exited FROM segment_sizes FINAL
      WHERE segment_id = ${sqlString(segment)}`;
  const [points, before] = await Promise.all([
    store.rows<{ t: number; count: number; entered: number; exited: number }>(
      `SELECT toUnixTimestamp(t) AS t, count, entered, exited FROM (${both})
       WHERE t >= ${sqlDateTime(from)} AND t < ${sqlDateTime(to)} ORDER BY t`,
    ),
    store.rows<{ count: number }>(
      `SELECT argMax(count, t) AS count FROM (${both}) WHERE t < ${sqlDateTime(from)}`,
    ),
  ]);
  return {
    countBefore: Number(before[0]?.count ?? 0),
    points: points.map((p) => ({
      at: Number(p.t) * 1000,
      count: Number(p.count),
      entered: Number(p.entered),
      exited: Number(p.exited),
    })),
  };
}
