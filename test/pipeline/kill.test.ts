// The whole pipeline under kill -9: the API in this process, the batch writer and the engine as
// child processes. Events stream over HTTP while the writer and then the engine are killed with
// SIGKILL and restarted. At the end every event the API accepted is in ClickHouse exactly once,
// and every segment's count equals its member list equals a from-scratch evaluation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPipeline, until, type Pipeline } from './pipeline.ts';
import { spawnEngine, spawnWriter } from './processes.ts';
import { EventStream } from './stream.ts';
import {
  converge,
  createSegments,
  journalCheck,
  storedEventKeys,
  storedEvents,
  type Truth,
} from './truth.ts';

const PLAYERS = 500;

/** Rules whose membership does not change with the clock alone during the test. */
const SEGMENTS: Record<string, unknown> = {
  big: {
    include: { all: [{ list: 'deposits', measure: { sum: 'amount' }, op: 'gte', value: 100 }] },
  },
  frequent: { include: { all: [{ list: 'deposits', measure: 'count', op: 'gte', value: 3 }] } },
  'week-regulars': {
    include: {
      all: [
        {
          ...{ list: 'deposits', window: { last: 7, unit: 'day' } },
          ...{ measure: 'count', op: 'gte', value: 2 },
        },
      ],
    },
  },
  'de-bettors': {
    include: {
      all: [
        { field: 'country', op: 'eq', value: 'DE' },
        { list: 'bets', measure: 'count', op: 'gte', value: 1 },
      ],
    },
  },
  quiet: { include: { all: [{ list: 'logins', measure: 'count', op: 'eq', value: 0 }] } },
  mix: {
    include: { all: [{ segment: 'big', op: 'in' }] },
    exclude: { any: [{ segment: 'de-bettors', op: 'in' }] },
  },
};
/** Created mid-stream, right before the engine is killed. */
const LATE_SEGMENT: Record<string, unknown> = {
  'late-big-bettors': {
    include: { all: [{ list: 'bets', measure: { sum: 'amount' }, op: 'gte', value: 100 }] },
  },
};
const IDS = [...Object.keys(SEGMENTS), ...Object.keys(LATE_SEGMENT)];
const ROUNDS = 3;
/**
 * Only the sweep a restarted engine runs when it takes the lease: everything after the last
 * restart must reach membership through ticks, which a periodic sweep would otherwise mend.
 */
const NO_SWEEPS = { ENGINE_SWEEP_INTERVAL_MS: '3600000' };

describe('whole pipeline: writer and engine killed with SIGKILL mid-stream', () => {
  let p: Pipeline;
  let t: Truth;

  beforeAll(async () => {
    p = await startPipeline('pipeline_kill');
    t = p.truth;
    await createSegments(t, SEGMENTS);
  });
  afterAll(() => p?.close());

  it('stores every accepted event once and keeps one truth per segment', async () => {
    let writer = spawnWriter(p.services, 'writer-1');
    let engine = spawnEngine(p.services, 'engine-1', NO_SWEEPS);
    const profiles = Array.from({ length: PLAYERS }, (_, i) => ({
      player_id: `p${i}`,
      country: i % 3 === 0 ? 'DE' : 'AT',
    }));
    expect(await p.api.post('/v1/players', profiles)).toMatchObject({ status: 202 });
    await until(
      'profiles stored',
      () => profileCount(t),
      (n) => n === PLAYERS,
      60_000,
    );

    const stream = new EventStream(p.api, {
      ...{ seed: 7, players: PLAYERS, batch: 40 },
      maxRequests: 3_000,
    });
    stream.start();

    for (let round = 1; round <= ROUNDS; round++) {
      // The writer dies part-way through the queue; the API keeps queueing meanwhile.
      const atWriterKill = (await storedEvents(t.store)).rows;
      await until(
        'more stored',
        () => storedEvents(t.store),
        (s) => s.rows > atWriterKill,
        60_000,
      );
      await writer.kill();
      await stream.more(10);
      writer = spawnWriter(p.services, 'writer-1');

      // The engine dies while it evaluates and journals (in round 2 while it also computes a
      // segment created a moment before); the lease lapses and the restarted engine takes over.
      const mark = await watermark(t);
      await until(
        'engine ticking',
        () => watermark(t),
        (w) => w > mark,
        60_000,
      );
      if (round === 2) await createSegments(t, LATE_SEGMENT);
      await engine.kill();
      await stream.more(10);
      engine = spawnEngine(p.services, 'engine-1', NO_SWEEPS);
    }

    await stream.more(40);
    await stream.stop();
    expect(stream.refusals).toEqual([]);
    expect(stream.unexpected).toEqual([]);

    const accepted = stream.accepted.size;
    const stored = await until(
      'every accepted event stored',
      () => storedEvents(t.store),
      // All three counts: they come from one query's subqueries, which may see an insert that
      // lands meanwhile at different moments; duplicates would keep rows above accepted.
      (s) => Math.min(s.rows, s.final, s.distinct) >= accepted,
      90_000,
    );
    expect(stored).toEqual({ rows: accepted, final: accepted, distinct: accepted });
    expect(await storedEventKeys(t.store)).toEqual([...stream.accepted.keys()].sort());

    expect(await converge(t, IDS, 90_000)).toEqual([]);
    expect(await journalCheck(t, IDS, 30_000)).toEqual({ duplicates: 0, replayMismatch: [] });
    // The segments are not trivially empty or full.
    const final = await Promise.all(IDS.map(async (id) => (await t.reader.count(id)) ?? 0));
    expect(final.filter((n) => n > 0 && n < PLAYERS).length).toBeGreaterThanOrEqual(3);
  });
});

async function watermark(t: Truth): Promise<number> {
  return Number((await t.redis.get(`${t.prefix}engine:watermark`)) ?? 0);
}

async function profileCount(t: Truth): Promise<number> {
  const [row] = await t.store.rows<{ n: number }>('SELECT count() AS n FROM players FINAL');
  return Number(row?.n ?? 0);
}
