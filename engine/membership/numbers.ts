// Dense player numbers. A player gets a number (1, 2, 3 ...) the first time the engine finds the
// player in a segment; membership bitmaps are indexed by it. Redis assigns numbers atomically
// (one Lua script per batch, so two engines never give one player two numbers), and every new
// number is copied to ClickHouse player_numbers BEFORE any bit is set for it: whatever has a bit
// or a transition also has its number in ClickHouse, which is what a rebuild of Redis reads.
import type { Redis } from 'ioredis';
import type { Store } from '../store/clickhouse.ts';
import type { MembershipKeys } from './keys.ts';
import { ASSIGN_NUMBERS } from './scripts.ts';

/** Players per script call and per HMGET: keeps each Redis command short. */
const CHUNK = 5_000;

export interface PlayerNumbers {
  /** Numbers of the players, assigning new ones; new ones are stored in ClickHouse first. */
  assign(playerIds: readonly string[]): Promise<Map<string, number>>;
  /** Numbers of the players that have one. */
  lookup(playerIds: readonly string[]): Promise<Map<string, number>>;
  /** Player ids of numbers; unknown numbers are left out. */
  idsOf(nums: readonly number[]): Promise<Map<number, string>>;
}

export function playerNumbers(redis: Redis, store: Store, keys: MembershipKeys): PlayerNumbers {
  return {
    assign: async (playerIds) => {
      const found = new Map<string, number>();
      const fresh: [string, number][] = [];
      for (const chunk of chunks([...new Set(playerIds)])) {
        const keyList = [keys.numbers, keys.ids, keys.lastNumber];
        const reply = (await ASSIGN_NUMBERS.run(redis, keyList, chunk)) as number[];
        chunk.forEach((id, i) => {
          const num = Number(reply[2 * i]);
          found.set(id, num);
          if (Number(reply[2 * i + 1]) === 1) fresh.push([id, num]);
        });
      }
      await store.insert('player_numbers', ['player_id', 'player_num'], fresh);
      return found;
    },
    lookup: async (playerIds) => {
      const found = new Map<string, number>();
      for (const chunk of chunks([...new Set(playerIds)])) {
        const nums = await redis.hmget(keys.numbers, ...chunk);
        chunk.forEach((id, i) => {
          const num = nums[i];
          if (num != null) found.set(id, Number(num));
        });
      }
      return found;
    },
    idsOf: async (nums) => {
      const found = new Map<number, string>();
      for (const chunk of chunks([...new Set(nums)])) {
        const ids = await redis.hmget(keys.ids, ...chunk.map(String));
        chunk.forEach((num, i) => {
          const id = ids[i];
          if (id != null) found.set(num, id);
        });
      }
      return found;
    },
  };
}

/**
 * Copies the numbers stored in ClickHouse back into Redis, after Redis lost its data. Runs
 * before anything else writes, so the counter continues after the highest stored number and no
 * number is given twice. Returns how many numbers were restored.
 */
export async function restoreNumbers(
  redis: Redis,
  store: Store,
  keys: MembershipKeys,
): Promise<number> {
  const rows = await store.rows<{ player_id: string; player_num: number }>(
    'SELECT player_id, any(player_num) AS player_num FROM player_numbers GROUP BY player_id',
  );
  let last = 0;
  for (const chunk of chunks(rows)) {
    const tx = redis.multi();
    for (const row of chunk) {
      tx.hset(keys.numbers, row.player_id, row.player_num);
      tx.hset(keys.ids, row.player_num, row.player_id);
      last = Math.max(last, row.player_num);
    }
    await tx.exec();
  }
  // Only ever raises the counter: numbers assigned meanwhile stay unique.
  const current = Number((await redis.get(keys.lastNumber)) ?? 0);
  if (last > current) await redis.set(keys.lastNumber, last);
  return rows.length;
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += CHUNK) yield items.slice(i, i + CHUNK);
}
