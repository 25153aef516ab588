// Getting Redis membership right after Redis restarted. With its append-only file Redis comes
// back with everything but possibly the last second of writes; without it, empty.
//
// - Empty (the epoch key is gone): player numbers are restored from ClickHouse player_numbers,
//   and each segment's bitmap, count and sequence from the latest transition of each player in
//   membership_transitions. Transitions still in the lost journal are missing there, which the
//   next sweep finds as differences and records again.
// - Lost last writes: numbers assigned in that second may already be in ClickHouse, so the
//   number counter is raised past the highest stored number before anything is assigned again.
//   Counts always match their bitmaps (one script writes both and Redis replays whole scripts);
//   the check below only guards against the unexpected.
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import { sqlString } from '../sql/literal.ts';
import type { Store } from '../store/clickhouse.ts';
import { Bitmap } from './bitmap.ts';
import type { MembershipKeys } from './keys.ts';
import { restoreNumbers } from './numbers.ts';
import { RESTORE_SEGMENT } from './scripts.ts';

export interface RecoverContext {
  readonly redis: Redis;
  readonly store: Store;
  readonly keys: MembershipKeys;
  /** The lease token: restoring writes are fenced like all others. */
  readonly token: string;
  readonly log: Logger;
}

/** Restores what Redis lost. Returns true when it rebuilt membership from ClickHouse. */
export async function recoverRedis(ctx: RecoverContext): Promise<boolean> {
  const { redis, store, keys, log } = ctx;
  if ((await redis.exists(keys.epoch)) === 1) {
    const [stored] = await store.rows<{ last: number }>(
      'SELECT max(player_num) AS last FROM player_numbers',
    );
    const last = Number((await redis.get(keys.lastNumber)) ?? 0);
    if (Number(stored?.last ?? 0) > last) {
      log.warn({ redis: last, clickhouse: stored?.last }, 'player numbers behind, restoring');
      await restoreNumbers(redis, store, keys);
    }
    return false;
  }

  const numbers = await restoreNumbers(redis, store, keys);
  const segments = await restoreSegments(ctx);
  await redis.set(keys.epoch, String(Date.now()));
  if (numbers > 0) log.warn({ numbers, segments }, 'membership rebuilt from clickhouse');
  return numbers > 0;
}

async function restoreSegments(ctx: RecoverContext): Promise<number> {
  const sequences = await ctx.store.rows<{ segment_id: string; seq: number }>(
    'SELECT segment_id, max(seq) AS seq FROM membership_transitions GROUP BY segment_id',
  );
  let restored = 0;
  for (const { segment_id: segment, seq } of sequences) {
    const bitmap = await lastMembers(ctx.store, segment);
    const count = bitmap.count();
    if (count === 0) continue;
    const { keys } = ctx;
    const keyList = [keys.lease, keys.bits(segment), keys.segment(segment), keys.segments];
    const args = [ctx.token, segment, Buffer.from(bitmap.bytes), count, seq];
    await RESTORE_SEGMENT.run(ctx.redis, keyList, args);
    restored += 1;
  }
  return restored;
}

/**
 * Players whose latest transition in the segment is `entered`, as a bitmap. Transitions are
 * ordered by their journal entry id (Redis stream ids only grow), not by seq, which can repeat
 * after Redis lost its last writes.
 */
async function lastMembers(store: Store, segment: string): Promise<Bitmap> {
  const order = `toUInt64OrZero(splitByChar('-', journal_id)[1]) * 1000000
    + toUInt64OrZero(splitByChar('-', journal_id)[2])`;
  const rows = await store.rows<{ player_num: number }>(
    `SELECT player_num FROM (
       SELECT player_id, argMax(kind, ${order}) AS last FROM membership_transitions
       WHERE segment_id = ${sqlString(segment)} GROUP BY player_id HAVING last = 'entered'
     ) ANY INNER JOIN (SELECT player_id, player_num FROM player_numbers) USING player_id`,
  );
  const bitmap = new Bitmap();
  for (const row of rows) bitmap.set(Number(row.player_num), true);
  return bitmap;
}
