// The read API the HTTP layer uses, against real Redis and ClickHouse: membership questions,
// counts, statuses, member pages and size history (with the per-minute flush and the rollup).
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  testDatabase,
  testRedisUrl,
  uniqueName,
  type TestDatabase,
} from '../../test/support/isolation.ts';
import { MembershipWriter } from './apply.ts';
import { flushSizes, rollupSizes } from './history.ts';
import { membershipKeys, type MembershipKeys } from './keys.ts';
import { Lease } from './lease.ts';
import { playerNumbers } from './numbers.ts';
import { membershipReader, type MembershipReader } from './read.ts';

const MINUTE = 60_000;
const T0 = Date.parse('2026-03-01T10:00:00Z');

describe('membership reader (real Redis and ClickHouse)', () => {
  let db: TestDatabase;
  let redis: Redis;
  let keys: MembershipKeys;
  let reader: MembershipReader;
  let lease: Lease;
  let writer: MembershipWriter;

  async function enter(segment: string, players: string[], at: number, on = true) {
    const nums = await playerNumbers(redis, db.store, keys).assign(players);
    const changes = players.map((p) => ({ num: nums.get(p)!, on }));
    await writer.apply(lease.token, { segment, version: 1, cause: 'tick', at, changes });
  }

  beforeAll(async () => {
    db = await testDatabase('reader');
    redis = new Redis(testRedisUrl());
    const prefix = `${uniqueName('reader')}:`;
    keys = membershipKeys(prefix);
    reader = membershipReader({ redis, store: db.store, prefix });
    lease = new Lease(redis, keys, 5_000, 'test');
    await lease.acquire();
    writer = new MembershipWriter(redis, keys);
    await enter('vip', ['ann', "o'neil", 'bob'], T0);
    await enter('new', ['bob', 'cy'], T0 + 10_000);
    await enter('new', ['bob'], T0 + MINUTE + 5_000, false);
  });
  afterAll(async () => {
    redis.disconnect();
    await db.drop();
  });

  it.each([
    ['vip', 'ann', true],
    ['vip', "o'neil", true],
    ['vip', 'cy', false],
    ['new', 'cy', true],
    ['new', 'bob', false],
    ['vip', 'unknown player', false],
    ['unknown-segment', 'ann', false],
  ])('isMember(%s, %s) is %s', async (segment, player, expected) => {
    expect(await reader.isMember(segment, player)).toBe(expected);
  });

  it.each([
    ['ann', ['vip']],
    ['bob', ['vip']],
    ['cy', ['new']],
    ['nobody', []],
  ])('segmentsOf(%s) is %j', async (player, expected) => {
    expect(await reader.segmentsOf(player)).toEqual(expected);
  });

  it.each([
    ['vip', 3],
    ['new', 1],
    ['unknown-segment', undefined],
  ])('count(%s) is %s', async (segment, expected) => {
    expect(await reader.count(segment)).toBe(expected);
  });

  it('lists the statuses of every known segment', async () => {
    const statuses = await reader.statuses();
    expect(statuses.map((s) => [s.segment, s.count, s.seq])).toEqual([
      ['new', 1, 2],
      ['vip', 3, 1],
    ]);
  });

  it('pages through members in player number order', async () => {
    const many = Array.from({ length: 2_345 }, (_, i) => `m${i}`);
    await enter('big', many, T0);
    const seen: string[] = [];
    let after: number | undefined;
    let pages = 0;
    do {
      const page = await reader.members('big', { after, limit: 1_000 });
      seen.push(...page.members.map((m) => m.id));
      after = page.next;
      pages += 1;
    } while (after !== undefined);
    expect(pages).toBe(3);
    expect(seen).toEqual(many);
    expect(await reader.members('unknown-segment')).toEqual({ members: [], next: undefined });
  });

  it('writes finished minutes of size history once, and reads them back', async () => {
    expect(await flushSizes(redis, db.store, keys, T0 + MINUTE + 30_000)).toBe(1);
    expect(await flushSizes(redis, db.store, keys, T0 + 2 * MINUTE)).toBe(1);
    expect(await flushSizes(redis, db.store, keys, T0 + 3 * MINUTE)).toBe(0);

    const history = await reader.history('new', T0 + MINUTE, T0 + 10 * MINUTE);
    expect(history).toEqual({
      countBefore: 2,
      points: [{ at: T0 + MINUTE, count: 1, entered: 0, exited: 1 }],
    });
    expect((await reader.history('vip', T0, T0 + MINUTE)).points).toEqual([
      { at: T0, count: 3, entered: 3, exited: 0 },
    ]);
  });

  it('rolls minutes older than the kept days up into hours and drops them', async () => {
    const days = await rollupSizes(db.store, 7, T0 + 9 * 86_400_000);
    expect(days).toEqual(['20260301']);
    const minutes = await db.store.rows('SELECT * FROM segment_sizes');
    expect(minutes).toEqual([]);
    const history = await reader.history('new', T0 - 86_400_000, T0 + 86_400_000);
    expect(history.points).toEqual([{ at: T0, count: 1, entered: 2, exited: 1 }]);
  });
});
