// Several processes sharing one Redis and one ClickHouse, as a deployment scales out: two API
// processes, two ingest writers and two engines, all real OS processes. Events stream in through
// both APIs (every fifth batch resent) while the engine holding the engine lease, and then the
// writer holding the writer lease, are killed with SIGKILL; each standby takes over.
// At the end every accepted event is stored once, every segment equals a from-scratch
// evaluation, no player entered or left a segment twice in a row, and a websocket client on API
// process A saw the update caused by ingest through API process B alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveClient } from '../../api/live/test-support.ts';
import { SEGMENTS as FAULT_SEGMENTS } from '../../engine/evaluator/fault-support.ts';
import { remoteApi, TOKEN } from '../pipeline/api.ts';
import { until } from '../pipeline/pipeline.ts';
import {
  killAll,
  spawnEngine,
  spawnWriter,
  type Services,
  type Worker,
} from '../pipeline/processes.ts';
import { EventStream } from '../pipeline/stream.ts';
import {
  converge,
  createSegments,
  journalCheck,
  openTruth,
  storedEventKeys,
  storedEvents,
  type Truth,
} from '../pipeline/truth.ts';
import { testDatabase, testRedisUrl, uniqueName, type TestDatabase } from '../support/isolation.ts';
import { killApis, spawnApi, type ApiProcess } from './api-process.ts';

const PLAYERS = 400;

/** The engine fault tests' rules (attributes, counts, sums, references) and one more. */
const SEGMENTS: Record<string, unknown> = {
  ...FAULT_SEGMENTS,
  // No streamed player is from Malta: only the ingest through API B below moves this segment.
  'mt-depositors': {
    include: {
      all: [
        { field: 'country', op: 'eq', value: 'MT' },
        { list: 'deposits', measure: 'count', op: 'gte', value: 1 },
      ],
    },
  },
};
const IDS = Object.keys(SEGMENTS);
/** Ticks only: after the takeover's own sweep, the survivor must keep up through ticks. */
const NO_SWEEPS = { ENGINE_SWEEP_INTERVAL_MS: '3600000' };
/** Short, so the standby writer takes over within the test. */
const WRITER_LEASE_MS = 2_000;

describe('two API processes and two engines; the engine holding the lease killed', () => {
  let db: TestDatabase;
  let services: Services;
  let t: Truth;
  let apis: ApiProcess[];

  beforeAll(async () => {
    db = await testDatabase('scaling_fleet');
    services = {
      ...{ clickhouseUrl: db.url, database: db.database, redisUrl: testRedisUrl() },
      prefix: `${uniqueName('fleet')}:`,
    };
    t = openTruth(db.store, services.redisUrl, services.prefix);
    await createSegments(t, SEGMENTS);
    apis = await Promise.all([spawnApi(services), spawnApi(services)]);
  });
  afterAll(async () => {
    LiveClient.terminateAll();
    await killAll();
    await killApis();
    t?.close();
    await db?.drop();
  });

  it('shares the work and keeps one truth', async () => {
    const [a, b] = apis.map((api) => remoteApi(api.url)) as [
      ReturnType<typeof remoteApi>,
      ReturnType<typeof remoteApi>,
    ];
    // Two ingest writers: one writes under the writer lease, the other stands by; the stream
    // resends every fifth batch, which two writers at once could store twice.
    const writerEnv = { INGEST_LEASE_MS: String(WRITER_LEASE_MS) };
    const writers = new Map<string, Worker>([
      ['writer-1', spawnWriter(services, 'writer-1', writerEnv)],
      ['writer-2', spawnWriter(services, 'writer-2', writerEnv)],
    ]);
    const engines = new Map<string, Worker>([
      ['engine-1', spawnEngine(services, 'engine-1', NO_SWEEPS)],
      ['engine-2', spawnEngine(services, 'engine-2', NO_SWEEPS)],
    ]);

    // Profiles arrive half through each API.
    const profiles = Array.from({ length: PLAYERS }, (_, i) => ({
      player_id: `p${i}`,
      country: i % 3 === 0 ? 'DE' : 'AT',
    }));
    expect(await a.post('/v1/players', profiles.slice(0, PLAYERS / 2))).toMatchObject({
      status: 202,
    });
    expect(await b.post('/v1/players', profiles.slice(PLAYERS / 2))).toMatchObject({ status: 202 });
    await until(
      'profiles stored',
      () => profileCount(t),
      (n) => n === PLAYERS,
      60_000,
    );

    const live = await LiveClient.open(`${apis[0]!.url.replace('http', 'ws')}/v1/live`, TOKEN);
    live.send({ type: 'subscribe', segments: '*' });
    await live.nth('snapshot', 1);

    const streams = [1, 2].map(
      (seed, i) =>
        new EventStream(i === 0 ? a : b, { seed, players: PLAYERS, batch: 30, maxRequests: 2_000 }),
    );
    for (const s of streams) s.start();

    // Kill the engine that holds the lease while it ticks on the streams; the other takes over.
    const first = await holder(t);
    await until(
      'engine ticking',
      () => watermark(t),
      (w) => w > 0,
      60_000,
    );
    await Promise.all(streams.map((s) => s.more(10)));
    await engines.get(first)!.kill();
    const second = await until(
      'lease taken over',
      () => holder(t),
      (h) => h !== first,
      30_000,
    );
    expect([...engines.keys()]).toContain(second);

    // Kill the writer that holds the writer lease; the other takes over and writes what it left.
    const writing = await writerHolder(t);
    await writers.get(writing)!.kill();
    await Promise.all(streams.map((s) => s.more(10)));
    const nextWriter = await until(
      'writer lease taken over',
      () => writerHolder(t),
      (h) => h !== writing,
      30_000,
    );
    expect([...writers.keys()]).toContain(nextWriter);
    await Promise.all(streams.map((s) => s.more(30)));
    for (const s of streams) await s.stop();

    for (const s of streams) {
      expect(s.refusals).toEqual([]);
      expect(s.unexpected).toEqual([]);
    }
    const accepted = new Map([...streams[0]!.accepted, ...streams[1]!.accepted]);
    expect(accepted.size).toBe(streams[0]!.accepted.size + streams[1]!.accepted.size);
    const stored = await until(
      'every accepted event stored',
      () => storedEvents(t.store),
      (s) => Math.min(s.rows, s.final, s.distinct) >= accepted.size,
      90_000,
    );
    expect(stored).toEqual({ rows: accepted.size, final: accepted.size, distinct: accepted.size });
    expect(await storedEventKeys(t.store)).toEqual([...accepted.keys()].sort());

    expect(await converge(t, IDS, 90_000)).toEqual([]);
    expect(await journalCheck(t, IDS, 30_000)).toEqual({ duplicates: 0, replayMismatch: [] });
    expect(await doubleTransitions(t)).toEqual([]);
    const sizes = await Promise.all(IDS.map(async (id) => (await t.reader.count(id)) ?? 0));
    expect(sizes.filter((n) => n > 0 && n < PLAYERS).length).toBeGreaterThanOrEqual(3);

    // Ingest through B alone moves mt-depositors; the socket on A sees it.
    const before = live.of('update').length;
    expect(await b.post('/v1/players', [{ player_id: 'via-b', country: 'MT' }])).toMatchObject({
      status: 202,
    });
    const deposit = { event_id: 'via-b-1', player_id: 'via-b', type: 'deposit', amount: '5.00' };
    expect(
      await b.post('/v1/events', [{ ...deposit, event_time: Date.now() - 60_000 }]),
    ).toMatchObject({
      status: 202,
      accepted: 1,
    });
    await until(
      'update on A',
      async () =>
        live
          .of('update')
          .slice(before)
          .filter((m) => m.segment === 'mt-depositors'),
      (updates) => updates.length > 0,
      30_000,
    );
    const update = live
      .of('update')
      .slice(before)
      .find((m) => m.segment === 'mt-depositors');
    expect(update).toMatchObject({ segment: 'mt-depositors', count: 1, entered: 1, exited: 0 });
  }, 180_000);
});

/** The consumer name of the ingest writer holding the writer lease (its token). */
async function writerHolder(t: Truth): Promise<string> {
  const token = await until(
    'a writer lease holder',
    () => t.redis.get(`${t.prefix}ingest:writer-lease`),
    (h) => !!h,
    30_000,
  );
  return token!;
}

async function holder(t: Truth): Promise<string> {
  const token = await until(
    'a lease holder',
    () => t.redis.get(`${t.prefix}engine:lease`),
    (h) => !!h,
    30_000,
  );
  return token!.split(':')[0]!;
}

async function watermark(t: Truth): Promise<number> {
  return Number((await t.redis.get(`${t.prefix}engine:watermark`)) ?? 0);
}

async function profileCount(t: Truth): Promise<number> {
  const [row] = await t.store.rows<{ n: number }>('SELECT count() AS n FROM players FINAL');
  return Number(row?.n ?? 0);
}

/**
 * Players whose stored transitions in a segment do not alternate entered, exited, entered ...
 * starting with entered: two engines both applying one change would show as a repeat.
 */
async function doubleTransitions(t: Truth): Promise<string[]> {
  const rows = await t.store.rows<{ segment_id: string; player_id: string; kinds: string[] }>(
    `SELECT segment_id, player_id, groupArray(kind) AS kinds FROM (
       SELECT segment_id, player_id, kind FROM membership_transitions
       ORDER BY segment_id, player_id, seq
     ) GROUP BY segment_id, player_id`,
  );
  return rows
    .filter((r) => r.kinds.some((kind, i) => kind !== (i % 2 === 0 ? 'entered' : 'exited')))
    .map((r) => `${r.segment_id}/${r.player_id}: ${r.kinds.join(',')}`);
}
