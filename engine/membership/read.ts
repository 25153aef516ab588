// Reading membership for the HTTP layer. Everything but the size history answers from Redis:
// "is player P in segment S" and "which segments is P in" are one script call each (one round
// trip, well under a millisecond on a local Redis), counts and statuses one hash read.
import type { Redis } from 'ioredis';
import type { Store } from '../store/clickhouse.ts';
import { Bitmap } from './bitmap.ts';
import { sizeHistory, type SizeHistory } from './history.ts';
import { membershipKeys } from './keys.ts';
import { IS_MEMBER, SEGMENTS_OF } from './scripts.ts';
import { readStatuses, type SegmentStatus } from './status.ts';

export interface MemberPageOptions {
  /** Return members with a player number above this one (the previous page's `next`). */
  readonly after?: number;
  /** At most this many members; default 100, at most 10,000. */
  readonly limit?: number;
}

export interface MemberPage {
  readonly members: readonly { readonly num: number; readonly id: string }[];
  /** Pass as `after` for the next page; undefined on the last page. */
  readonly next: number | undefined;
}

export interface MembershipReader {
  isMember(segment: string, playerId: string): Promise<boolean>;
  /** Ids of the segments the player is a member of, sorted. */
  segmentsOf(playerId: string): Promise<string[]>;
  /** The member count; undefined for a segment the engine does not know. */
  count(segment: string): Promise<number | undefined>;
  status(segment: string): Promise<SegmentStatus | undefined>;
  /** Status of every segment the engine keeps membership for, by id. */
  statuses(): Promise<SegmentStatus[]>;
  /** Members in player number order (stable across pages while members change). */
  members(segment: string, opts?: MemberPageOptions): Promise<MemberPage>;
  /** Size history in [from, to), epoch milliseconds. */
  history(segment: string, from: number, to: number): Promise<SizeHistory>;
}

export interface ReaderOptions {
  readonly redis: Redis;
  readonly store: Store;
  /** REDIS_PREFIX. */
  readonly prefix: string;
}

/** Bytes of bitmap fetched per GETRANGE while paging: 131,072 player numbers. */
const PAGE_SCAN_BYTES = 16_384;

export function membershipReader({ redis, store, prefix }: ReaderOptions): MembershipReader {
  const keys = membershipKeys(prefix);
  const reader: MembershipReader = {
    isMember: async (segment, playerId) =>
      Number(await IS_MEMBER.run(redis, [keys.numbers, keys.bits(segment)], [playerId])) === 1,
    segmentsOf: async (playerId) => {
      const found = await SEGMENTS_OF.run(redis, [keys.numbers, keys.segments], [playerId, prefix]);
      return (found as string[]).sort();
    },
    count: async (segment) => (await reader.status(segment))?.count,
    status: async (segment) => {
      const status = (await readStatuses(redis, keys, [segment])).get(segment);
      return status?.state === undefined && status?.seq === 0 ? undefined : status;
    },
    statuses: async () => {
      const ids = (await redis.smembers(keys.segments)).sort();
      return [...(await readStatuses(redis, keys, ids)).values()];
    },
    members: async (segment, opts = {}) => {
      const limit = Math.min(Math.max(1, opts.limit ?? 100), 10_000);
      const nums = await scanMembers(redis, keys.bits(segment), (opts.after ?? 0) + 1, limit + 1);
      const page = nums.slice(0, limit);
      const ids = page.length > 0 ? await redis.hmget(keys.ids, ...page.map(String)) : [];
      return {
        members: page.map((num, i) => ({ num, id: ids[i] ?? '' })),
        next: nums.length > limit ? page.at(-1) : undefined,
      };
    },
    history: (segment, from, to) => sizeHistory(store, segment, from, to),
  };
  return reader;
}

/** Up to `limit` set bits from number `from` on, reading the bitmap in slices. */
async function scanMembers(
  redis: Redis,
  key: string,
  from: number,
  limit: number,
): Promise<number[]> {
  const found: number[] = [];
  for (let byte = from >> 3; found.length < limit; byte += PAGE_SCAN_BYTES) {
    const slice = await redis.getrangeBuffer(key, byte, byte + PAGE_SCAN_BYTES - 1);
    if (slice.length === 0) break;
    const bitmap = new Bitmap(new Uint8Array(slice));
    for (const n of bitmap.members(Math.max(0, from - byte * 8))) {
      found.push(byte * 8 + n);
      if (found.length === limit) break;
    }
    if (slice.length < PAGE_SCAN_BYTES) break;
  }
  return found;
}
