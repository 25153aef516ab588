// Membership writes against real Redis and ClickHouse: player numbers, the apply script (only
// real flips count, fenced by the lease), the lease itself, and the journal written exactly once.
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  testDatabase,
  testRedisUrl,
  uniqueName,
  type TestDatabase,
} from '../../test/support/isolation.ts';
import { MembershipWriter, type ChangeSet } from './apply.ts';
import { flushJournal } from './journal.ts';
import { membershipKeys, type MembershipKeys } from './keys.ts';
import { Lease } from './lease.ts';
import { playerNumbers, type PlayerNumbers } from './numbers.ts';
import { readStatuses } from './status.ts';

const AT = Date.parse('2026-03-01T10:00:30Z');

describe('membership writes (real Redis and ClickHouse)', () => {
  let db: TestDatabase;
  let redis: Redis;
  let keys: MembershipKeys;
  let numbers: PlayerNumbers;
  let lease: Lease;
  let writer: MembershipWriter;
  const set = (changes: [number, boolean][], extra: Partial<ChangeSet> = {}): ChangeSet => ({
    ...{ segment: 's1', version: 1, cause: 'tick', at: AT },
    changes: changes.map(([num, on]) => ({ num, on })),
    ...extra,
  });

  beforeAll(async () => {
    db = await testDatabase('membership');
    redis = new Redis(testRedisUrl());
    keys = membershipKeys(`${uniqueName('membership')}:`);
    numbers = playerNumbers(redis, db.store, keys);
    lease = new Lease(redis, keys, 5_000, 'test');
    expect(await lease.acquire()).toBe(true);
    writer = new MembershipWriter(redis, keys);
  });
  afterAll(async () => {
    redis.disconnect();
    await db.drop();
  });

  it('numbers players densely, the same player always with the same number', async () => {
    const first = await numbers.assign(['a', 'b', 'c', 'a']);
    const again = await numbers.assign(['c', 'd', 'b']);
    expect(Object.fromEntries(first)).toEqual({ a: 1, b: 2, c: 3 });
    expect(Object.fromEntries(again)).toEqual({ c: 3, d: 4, b: 2 });
    expect(Object.fromEntries(await numbers.lookup(['d', 'zz']))).toEqual({ d: 4 });
    expect(Object.fromEntries(await numbers.idsOf([4, 1, 99]))).toEqual({ 4: 'd', 1: 'a' });
  });

  it('gives concurrent callers one number per player, stored once in ClickHouse', async () => {
    const ids = Array.from({ length: 300 }, (_, i) => `x${i}`);
    const [x, y] = await Promise.all([numbers.assign(ids), numbers.assign([...ids].reverse())]);
    expect(Object.fromEntries(x)).toEqual(Object.fromEntries(y));
    expect(new Set(x.values()).size).toBe(300);
    const rows = await db.store.rows<{ n: number; ids: number; nums: number }>(
      `SELECT count() AS n, uniqExact(player_id) AS ids, uniqExact(player_num) AS nums
       FROM player_numbers`,
    );
    expect(rows).toEqual([{ n: 304, ids: 304, nums: 304 }]);
  });

  it.each([
    [
      'enters players',
      [
        [1, true],
        [2, true],
        [3, true],
      ],
      { entered: 3, exited: 0, count: 3, seq: 1 },
    ],
    [
      'counts only real flips',
      [
        [1, true],
        [2, false],
        [4, true],
      ],
      { entered: 1, exited: 1, count: 3, seq: 2 },
    ],
    [
      'ignores a replay',
      [
        [1, true],
        [2, false],
        [4, true],
      ],
      { entered: 0, exited: 0, count: 3, seq: 2 },
    ],
  ] as const)('%s', async (_name, changes, expected) => {
    const applied = await writer.apply(lease.token, set(changes.map(([n, on]) => [n, on])));
    expect(applied).toEqual(expected);
    const status = (await readStatuses(redis, keys, ['s1'])).get('s1');
    expect({ count: status?.count, seq: status?.seq }).toEqual({
      count: expected.count,
      seq: expected.seq,
    });
    expect(await redis.bitcount(keys.bits('s1'))).toBe(expected.count);
  });

  it('keeps the mirror equal to Redis', async () => {
    expect([...writer.bitmap('s1').members()]).toEqual([1, 3, 4]);
    const other = new MembershipWriter(redis, keys);
    await other.load(['s1']);
    expect([...other.bitmap('s1').members()]).toEqual([1, 3, 4]);
  });

  it('refuses writes without the lease (fencing)', async () => {
    const stale = new Lease(redis, keys, 5_000, 'stale');
    expect(await stale.acquire()).toBe(false);
    await expect(writer.apply(stale.token, set([[9, true]]))).rejects.toMatchObject({
      code: 'ENGINE_LEASE_LOST',
    });
    expect(await redis.getbit(keys.bits('s1'), 9)).toBe(0);
  });

  it('hands the lease over when released, and after it expired', async () => {
    const other = new Lease(redis, keys, 300, 'other');
    await lease.release();
    expect(await other.acquire()).toBe(true);
    expect(await lease.acquire()).toBe(false);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(await lease.acquire()).toBe(true);
    expect(await lease.holder()).toBe(lease.token);
  });

  it('writes the journal to ClickHouse exactly once, even after a crash before the delete', async () => {
    // As if a writer stored the first entry's rows and crashed before removing it.
    const [first] = await redis.xrange(keys.journal, '-', '+', 'COUNT', 1);
    const firstId = first?.[0];
    await db.store.insert(
      'membership_transitions',
      ['segment_id', 'player_id', 'kind', 'at', 'segment_version', 'seq', 'journal_id', 'cause'],
      ['a', 'b', 'c'].map((p) => ['s1', p, 'entered', AT / 1000, 1, 1, firstId!, 'tick']),
    );
    expect(await flushJournal(redis, db.store, keys, async () => false)).toBe(0);
    expect(await flushJournal(redis, db.store, keys, () => lease.acquire())).toBe(2);
    expect(await redis.xlen(keys.journal)).toBe(0);

    const rows = await db.store.rows<{ player_id: string; kind: string; seq: number }>(
      `SELECT player_id, kind, seq FROM membership_transitions ORDER BY seq, kind, player_id`,
    );
    expect(rows.map((r) => `${r.seq}:${r.player_id}:${r.kind}`)).toEqual([
      '1:a:entered',
      '1:b:entered',
      '1:c:entered',
      '2:d:entered',
      '2:b:exited',
    ]);
  });
});
