// Which players to evaluate in a tick: those with events ingested, or a profile written, since
// the watermark. Rows land with ingested_at / updated_at = now() of the server, in whole
// seconds, and an insert can become visible a moment after rows stamped later, so every tick
// re-reads an overlap of a few seconds behind the watermark. A ledger of the row counts seen per
// (player, second) in that overlap keeps re-read rows from making their players "touched" again:
// only a count that grew does. The watermark itself (in Redis) only moves forward.
//
// Rows written with an older stamp than the overlap reaches (a pipeline that sets ingested_at
// itself, an insert that took longer than the overlap to become visible) are not seen by ticks;
// the periodic sweep evaluates every player and picks them up.
import type { Redis } from 'ioredis';
import type { MembershipKeys } from '../membership/keys.ts';
import { ADVANCE_WATERMARK } from '../membership/scripts.ts';
import type { Store } from '../store/clickhouse.ts';

export interface TouchedRow {
  /** `e` for events, `p` for profiles. */
  readonly source: string;
  readonly player_id: string;
  /** The ingestion second, epoch seconds. */
  readonly s: number;
  /** Rows of the player in that second. */
  readonly n: number;
  /** Profiles: the highest version among them (0 for events). */
  readonly v: number;
}

/** Rows per player and second since `fromSecond` (inclusive), events and profiles. */
export function readTouched(store: Store, fromSecond: number): Promise<TouchedRow[]> {
  const from = `toDateTime(${Math.max(0, Math.floor(fromSecond))}, 'UTC')`;
  return store.rows<TouchedRow>(
    `SELECT 'e' AS source, player_id, toUInt32(ingested_at) AS s, count() AS n, toUInt64(0) AS v
       FROM events WHERE ingested_at >= ${from} GROUP BY player_id, s
     UNION ALL
     SELECT 'p' AS source, player_id, toUInt32(updated_at) AS s, count() AS n, max(version) AS v
       FROM players WHERE updated_at >= ${from} GROUP BY player_id, s`,
  );
}

/** The newest ingestion second of any event or profile, 0 when there are none. */
export async function latestIngestion(store: Store): Promise<number> {
  const [row] = await store.rows<{ s: number }>(
    `SELECT greatest(
       (SELECT toUInt32(max(ingested_at)) FROM events),
       (SELECT toUInt32(max(updated_at)) FROM players)) AS s`,
  );
  return Number(row?.s ?? 0);
}

export class TouchedLedger {
  /** second -> `<source>|<player>` -> rows and highest profile version seen. */
  private readonly seen = new Map<number, Map<string, { n: number; v: number }>>();

  /**
   * Records the rows read from `fromSecond` on; returns the players with rows not seen before,
   * and the newest second read (the watermark's next value, when higher).
   *
   * A count alone is not enough for profiles: players is a ReplacingMergeTree, and a merge can
   * fold a newer profile into an older one of the same second after a tick counted the older,
   * leaving the count as it was. The version then still grows.
   */
  update(rows: readonly TouchedRow[], fromSecond: number): { players: string[]; newest: number } {
    for (const second of this.seen.keys()) if (second < fromSecond) this.seen.delete(second);
    const players = new Set<string>();
    let newest = 0;
    for (const row of rows) {
      const second = Number(row.s);
      const key = `${row.source}|${row.player_id}`;
      const bucket = this.seen.get(second) ?? new Map<string, { n: number; v: number }>();
      this.seen.set(second, bucket);
      const before = bucket.get(key) ?? { n: 0, v: 0 };
      const now = { n: Number(row.n), v: Number(row.v ?? 0) };
      if (now.n > before.n || now.v > before.v) players.add(row.player_id);
      bucket.set(key, { n: Math.max(before.n, now.n), v: Math.max(before.v, now.v) });
      newest = Math.max(newest, second);
    }
    return { players: [...players], newest };
  }

  /** Forgets what was seen: after a failed tick every row in the overlap counts again. */
  reset(): void {
    this.seen.clear();
  }
}

export async function readWatermark(
  redis: Redis,
  keys: MembershipKeys,
): Promise<number | undefined> {
  const value = await redis.get(keys.watermark);
  return value === null ? undefined : Number(value);
}

/** Moves the watermark to `second` unless it is already there or later. */
export async function advanceWatermark(
  redis: Redis,
  keys: MembershipKeys,
  token: string,
  second: number,
): Promise<void> {
  await ADVANCE_WATERMARK.run(redis, [keys.lease, keys.watermark], [token, Math.floor(second)]);
}
