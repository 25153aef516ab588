import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  testDatabase,
  testRedisUrl,
  uniqueName,
  type TestDatabase,
} from '../../test/support/isolation.ts';
import { insertEvents } from '../store/events.ts';
import { ensureGroups, readEntries } from './consumer.ts';
import { appendItems, deadLetterKey, streamKey, WRITER_GROUP, type IngestKind } from './queue.ts';
import { depositRows, silentLog, storedEvents, waitFor } from './test-support.ts';
import { startWriter, type Writer, type WriterOptions } from './writer.ts';

describe('batch writer (real Redis and ClickHouse)', () => {
  let db: TestDatabase;
  let redis: Redis;
  let prefix: string;
  let writers: Writer[] = [];

  beforeAll(async () => {
    db = await testDatabase('writer');
    redis = new Redis(testRedisUrl());
  });
  afterAll(async () => {
    redis.disconnect();
    await db.drop();
  });
  beforeEach(async () => {
    prefix = `${uniqueName('writer')}:`;
    await db.store.exec('TRUNCATE TABLE events');
    await db.store.exec('TRUNCATE TABLE players');
  });
  afterEach(async () => {
    await Promise.all(writers.map((w) => w.stop()));
    writers = [];
  });

  function start(options: Partial<WriterOptions> = {}): Writer {
    const writer = startWriter({
      redis,
      store: db.store,
      log: silentLog,
      prefix,
      consumer: 'w1',
      batchSize: 1_000,
      flushMs: 100,
      leaseMs: 60_000,
      backoff: { baseMs: 20, maxMs: 200 },
      ...options,
    });
    writers.push(writer);
    return writer;
  }

  const append = (kind: IngestKind, items: readonly unknown[]) =>
    appendItems(redis, prefix, kind, items);
  const waitForRows = (rows: number, timeoutMs?: number) =>
    waitFor(
      () => storedEvents(db.store),
      (c) => c.rows >= rows,
      timeoutMs,
    );
  /** Entries read but not acknowledged; the group may not exist yet while the writer starts. */
  const pending = async (kind: IngestKind) => {
    await ensureGroups(redis, prefix);
    return Number(((await redis.xpending(streamKey(prefix, kind), WRITER_GROUP)) as [number])[0]);
  };

  /** Hands entries to `consumer` without acknowledging them: a writer that crashed. */
  async function deliverTo(consumer: string): Promise<number> {
    await ensureGroups(redis, prefix);
    const entries = await readEntries(redis, prefix, consumer, { from: '>', count: 100 });
    return entries.length;
  }

  it('stores events and player updates, then acknowledges and deletes the entries', async () => {
    const writer = start();
    await append('events', depositRows(3));
    await append('players', [
      { player_id: 'p1', version: 1, changes: { country: 'DE' } },
      { player_id: 'p1', version: 2, changes: { vip_level: 3 } },
    ]);
    await waitForRows(3);
    await waitFor(
      () => db.store.rows<{ country: string; vip_level: number }>('SELECT * FROM players FINAL'),
      (rows) => rows.length === 1,
    );
    const [profile] = await db.store.rows('SELECT country, vip_level FROM players FINAL');
    expect(profile).toEqual({ country: 'DE', vip_level: 3 });

    await waitFor(
      () => writer.queueStatus(),
      (q) => q.events.entries + q.players.entries === 0,
    );
    expect([await pending('events'), await pending('players')]).toEqual([0, 0]);
    expect(writer.stats()).toMatchObject({ eventsInserted: 3, playersWritten: 1, retries: 0 });
    expect(writer.stats().lastWriteAt).toBeGreaterThan(Date.now() - 10_000);
  });

  it('writes a full batch without waiting for the flush interval', async () => {
    start({ batchSize: 10, flushMs: 60_000 });
    for (const row of depositRows(10)) await append('events', [row]);
    expect(await waitForRows(10, 5_000)).toEqual({ rows: 10, ids: 10 });
  });

  it('writes a partial batch once the flush interval has passed', async () => {
    const writer = start({ batchSize: 10_000, flushMs: 400 });
    const queuedAt = Date.now();
    await append('events', depositRows(3));
    await waitFor(
      async () => writer.stats(),
      (s) => s.batches === 1,
      5_000,
    );
    expect(Date.now() - queuedAt).toBeGreaterThanOrEqual(350);
    expect(await storedEvents(db.store)).toEqual({ rows: 3, ids: 3 });
  });

  it('stores an event id once and keeps the first copy', async () => {
    const writer = start({ flushMs: 300 });
    const [first] = depositRows(1);
    await append('events', [first, { ...first, amount: '99' }]);
    await append('events', [{ ...first, amount: '77' }]);
    await waitFor(
      async () => writer.stats(),
      (s) => s.eventsInserted + s.eventsDuplicate === 3,
    );
    await append('events', [{ ...first, amount: '55' }]);
    await waitFor(
      async () => writer.stats(),
      (s) => s.eventsDuplicate === 3,
    );
    const rows = await db.store.rows<{ amount: string }>(
      'SELECT toString(amount) AS amount FROM events',
    );
    expect(rows.map((r) => Number(r.amount))).toEqual([Number(first?.amount)]);
  });

  it('keeps events of unknown players, late and future events, each at its own time', async () => {
    start();
    const now = Date.now();
    const late = Date.parse('2019-06-01T10:00:00Z');
    const soon = now + 3_600_000;
    await append('events', [
      { event_id: 'late', player_id: 'stranger', type: 'bet', event_time: late },
      { event_id: 'future', player_id: 'stranger', type: 'bet', event_time: soon },
    ]);
    await waitForRows(2);
    const rows = await db.store.rows<{ event_id: string; t: number; ingested: number }>(
      `SELECT event_id, toUnixTimestamp(event_time) AS t, toUnixTimestamp(ingested_at) AS ingested
       FROM events ORDER BY event_id`,
    );
    expect(rows.map((r) => [r.event_id, r.t])).toEqual([
      ['future', Math.floor(soon / 1000)],
      ['late', late / 1000],
    ]);
    for (const r of rows) expect(Math.abs(r.ingested * 1000 - now)).toBeLessThan(60_000);
    expect(await db.store.rows('SELECT player_id FROM players')).toEqual([]);
  });

  it('resumes its own unacknowledged entries at once after a crash', async () => {
    await append('events', depositRows(40));
    expect(await deliverTo('w1')).toBe(1);
    start({ consumer: 'w1' });
    expect(await waitForRows(40, 5_000)).toEqual({ rows: 40, ids: 40 });
    await waitFor(
      () => pending('events'),
      (n) => n === 0,
    );
  });

  it('takes over the entries of a writer that did not come back after the lease', async () => {
    await append('events', depositRows(25));
    expect(await deliverTo('gone')).toBe(1);
    start({ consumer: 'w2', leaseMs: 400 });
    expect(await waitForRows(25, 5_000)).toEqual({ rows: 25, ids: 25 });
    await waitFor(
      () => pending('events'),
      (n) => n === 0,
    );
  });

  it('does not store twice a batch stored but not acknowledged before a crash', async () => {
    const rows = depositRows(100);
    await append('events', rows);
    await deliverTo('w1');
    await insertEvents(db.store, rows.slice(0, 60));
    const writer = start({ consumer: 'w1' });
    await waitFor(
      async () => writer.stats(),
      (s) => s.eventsInserted === 40,
    );
    expect(writer.stats().eventsDuplicate).toBe(60);
    expect(await storedEvents(db.store)).toEqual({ rows: 100, ids: 100 });
  });

  it('stores a batch of 20,000 events with UUID ids in one go', async () => {
    const writer = start({ batchSize: 20_000, flushMs: 2_000 });
    await append('events', depositRows(20_000, 5_000));
    await waitFor(
      async () => writer.stats(),
      (s) => s.batches === 1,
      30_000,
    );
    expect(await storedEvents(db.store)).toEqual({ rows: 20_000, ids: 20_000 });
    expect(writer.stats().eventsInserted).toBe(20_000);
  });

  it('moves entries it cannot read to the dead-letter stream instead of dropping them', async () => {
    start();
    await redis.xadd(streamKey(prefix, 'events'), '*', 'foreign', 'data');
    await append('events', [{ event_id: 'no-time', player_id: 'p1', type: 'bet' }]);
    await append('events', depositRows(2));
    await waitForRows(2);
    const dead = await waitFor(
      () => redis.xrange(deadLetterKey(prefix, 'events'), '-', '+'),
      (entries) => entries.length === 2,
    );
    expect(dead.map(([, fields]) => fields.slice(2))).toEqual([
      ['foreign', 'data'],
      ['items', JSON.stringify([{ event_id: 'no-time', player_id: 'p1', type: 'bet' }])],
    ]);
    await waitFor(
      () => redis.xlen(streamKey(prefix, 'events')),
      (n) => n === 0,
    );
  });

  it('finishes the batch in hand when stopped', async () => {
    const writer = start({ batchSize: 1_000, flushMs: 30_000 });
    await append('events', depositRows(5));
    await waitFor(
      () => pending('events'),
      (n) => n === 1,
    );
    await writer.stop();
    expect(await storedEvents(db.store)).toEqual({ rows: 5, ids: 5 });
    expect(await redis.xlen(streamKey(prefix, 'events'))).toBe(0);
  });
});
