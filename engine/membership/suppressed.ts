// Suppressed counts: how many of a segment's members no action may reach, because they match the
// global suppression group (engine/segments/suppression.ts). The group is evaluated in ClickHouse
// at the moment of asking (one query over the players), and its players are counted against each
// segment's membership bitmap in Redis, so the suppressed count is always about the same members
// as the segment's live count, never about a second evaluation of the segment's rule.
import type { Redis } from 'ioredis';
import type { Catalogue } from '../catalogue/types.ts';
import { evaluateRule } from '../compiler/evaluate.ts';
import type { Group } from '../rules/schema.ts';
import { loadResolver, type SegmentSource } from '../segments/references.ts';
import type { Store } from '../store/clickhouse.ts';
import { Bitmap } from './bitmap.ts';
import { membershipKeys } from './keys.ts';

export interface SuppressedCounter {
  /** Suppressed members of each segment, by id; a segment without membership counts 0. */
  counts(segmentIds: readonly string[]): Promise<Map<string, number>>;
}

export interface SuppressedCounterOptions {
  readonly store: Store;
  readonly redis: Redis;
  /** REDIS_PREFIX. */
  readonly prefix: string;
  readonly catalogue: Catalogue;
  /** The validated suppression group (loadSuppression). */
  readonly suppression: Group;
  /** Resolves segment references inside the group. */
  readonly segments: SegmentSource;
  /** Timezone of calendar windows and dates in the group (SEGSTREAM_TIMEZONE). */
  readonly timezone: string;
  readonly now?: () => number;
}

/** Player ids are turned into player numbers this many at a time (one HMGET each). */
const NUMBER_CHUNK = 10_000;

export function suppressedCounter(opts: SuppressedCounterOptions): SuppressedCounter {
  const keys = membershipKeys(opts.prefix);
  const now = opts.now ?? Date.now;
  const rule = { include: opts.suppression };

  const suppressedNumbers = async (): Promise<number[]> => {
    const resolveSegment = await loadResolver(opts.segments, rule);
    const ctx = { catalogue: opts.catalogue, timezone: opts.timezone, asOf: now() };
    const ids = await evaluateRule(opts.store, rule, { ...ctx, resolveSegment });
    const numbers: number[] = [];
    for (let i = 0; i < ids.length; i += NUMBER_CHUNK) {
      const found = await opts.redis.hmget(keys.numbers, ...ids.slice(i, i + NUMBER_CHUNK));
      // A player without a number has never been a member of any segment.
      for (const n of found) if (n !== null) numbers.push(Number(n));
    }
    return numbers;
  };

  return {
    counts: async (segmentIds) => {
      const counts = new Map<string, number>();
      if (segmentIds.length === 0) return counts;
      const numbers = await suppressedNumbers();
      for (const id of segmentIds) {
        const bytes = await opts.redis.getBuffer(keys.bits(id));
        const members = new Bitmap(bytes ?? undefined);
        counts.set(
          id,
          numbers.reduce((n, num) => (members.get(num) ? n + 1 : n), 0),
        );
      }
      return counts;
    },
  };
}
