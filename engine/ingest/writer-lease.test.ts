// Several batch writers on one queue (real Redis and ClickHouse): one holds the writer lease and
// writes, the others stand by, so a client that resends batches never gets an event stored twice
// (two writers could each find a resent event missing and both insert it); a standby takes over
// when the holder stops, or when a crashed holder's lease runs out, and then writes what the
// crashed holder had left pending; a restarted writer with its old consumer name resumes at once.
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  testDatabase,
  testRedisUrl,
  uniqueName,
  type TestDatabase,
} from '../../test/support/isolation.ts';
import { Lease } from '../membership/lease.ts';
import { ensureGroups, readEntries } from './consumer.ts';
import { appendItems, writerLeaseKey } from './queue.ts';
import { depositRows, silentLog, storedEvents, waitFor } from './test-support.ts';
import { startWriter, type Writer } from './writer.ts';

const LEASE_MS = 1_000;

describe('batch writers sharing one queue', () => {
  let db: TestDatabase;
  let redis: Redis;
  let prefix: string;
  let writers: Writer[] = [];

  beforeAll(async () => {
    db = await testDatabase('writer_lease');
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    redis.disconnect();
    await db.drop();
  });
  beforeEach(async () => {
    prefix = `${uniqueName('writer_lease')}:`;
    await db.store.exec('TRUNCATE TABLE events');
  });
  afterEach(async () => {
    await Promise.all(writers.map((w) => w.stop()));
    writers = [];
  });

  function start(consumer: string): Writer {
    const writer = startWriter({
      ...{ redis, store: db.store, log: silentLog, prefix, consumer },
      ...{ batchSize: 50, flushMs: 20, leaseMs: LEASE_MS, backoff: { baseMs: 20, maxMs: 200 } },
    });
    writers.push(writer);
    return writer;
  }

  const holders = (ws: readonly Writer[]) => ws.filter((w) => w.stats().holding).length;

  it('lets one writer write while the others stand by; resent batches are stored once', async () => {
    const team = [start('w1'), start('w2'), start('w3')];
    const rows = depositRows(600, 40);
    // Every batch of 30 is sent three times, in separate entries, as a client retrying would.
    for (let i = 0; i < rows.length; i += 30) {
      for (let copy = 0; copy < 3; copy++) {
        await appendItems(redis, prefix, 'events', rows.slice(i, i + 30));
      }
    }
    const stored = await waitFor(
      () => storedEvents(db.store),
      (c) => c.ids >= rows.length,
    );
    expect(stored).toEqual({ rows: rows.length, ids: rows.length });
    expect(holders(team)).toBe(1);
    const written = team.map((w) => w.stats().eventsInserted);
    expect(written.filter((n) => n > 0)).toHaveLength(1);
    expect(written.reduce((a, b) => a + b, 0)).toBe(rows.length);
  });

  it('hands the lease to a standby when the holder stops', async () => {
    const first = start('w1');
    await waitFor(
      async () => first.stats().holding,
      (held) => held,
    );
    const second = start('w2');
    await appendItems(redis, prefix, 'events', depositRows(20, 5));
    await waitFor(
      () => storedEvents(db.store),
      (c) => c.rows >= 20,
    );
    expect(second.stats()).toMatchObject({ holding: false, eventsInserted: 0 });

    await first.stop();
    writers = writers.filter((w) => w !== first);
    await appendItems(redis, prefix, 'events', depositRows(20, 5, Date.now() - 60_000));
    const stored = await waitFor(
      () => storedEvents(db.store),
      (c) => c.rows >= 40,
    );
    expect(stored).toEqual({ rows: 40, ids: 40 });
    expect(second.stats()).toMatchObject({ holding: true, eventsInserted: 20 });
  });

  it('takes over from a crashed holder once its lease ran out, and writes what it left', async () => {
    // A holder that read entries, never wrote them, and died: its lease is still in Redis.
    const crashed = new Lease(redis, { lease: writerLeaseKey(prefix) }, LEASE_MS, 'crashed');
    expect(await crashed.acquire()).toBe(true);
    const rows = depositRows(25, 5);
    await appendItems(redis, prefix, 'events', rows);
    await ensureGroups(redis, prefix);
    const taken = await readEntries(redis, prefix, 'crashed', { from: '>', count: 100 });
    expect(taken.length).toBeGreaterThan(0);

    const standby = start('w2');
    await new Promise((resolve) => setTimeout(resolve, LEASE_MS / 2));
    expect(standby.stats().holding).toBe(false);
    expect((await storedEvents(db.store)).rows).toBe(0);

    const stored = await waitFor(
      () => storedEvents(db.store),
      (c) => c.rows >= rows.length,
    );
    expect(stored).toEqual({ rows: rows.length, ids: rows.length });
    expect(standby.stats().holding).toBe(true);
  });

  it('lets a restarted writer (same consumer name) hold its old lease again at once', async () => {
    const before = new Lease(redis, { lease: writerLeaseKey(prefix) }, 60_000, 'w1', 'stable');
    expect(await before.acquire()).toBe(true);
    await appendItems(redis, prefix, 'events', depositRows(10, 5));
    const other = start('w2');
    const restarted = start('w1');
    const stored = await waitFor(
      () => storedEvents(db.store),
      (c) => c.rows >= 10,
      5_000,
    );
    expect(stored).toEqual({ rows: 10, ids: 10 });
    expect(restarted.stats().holding).toBe(true);
    expect(other.stats().holding).toBe(false);
  });
});
