// GET /v1/stats against real ClickHouse and Redis: the ingest rate counts the rows stored, the
// queue what waits in the ingest streams, and freshness follows the real engine's watermark.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvents } from '../../engine/store/events.ts';
import { insertPlayers } from '../../engine/store/players.ts';
import { memberFixture, type MemberFixture } from '../members/test-support.ts';
import { freshness, minuteSeries, STATS_MINUTES } from './stats.ts';

let f: MemberFixture;
beforeAll(async () => {
  f = await memberFixture('stats');
});
afterAll(() => f.close());

const stats = async () => {
  const res = await f.api.as('viewer').get('/v1/stats');
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};
const sum = (points: { events: number; players: number }[], key: 'events' | 'players') =>
  points.reduce((total, p) => total + p[key], 0);

describe('GET /v1/stats', () => {
  it.each<['none' | 'ingest' | 'viewer' | 'editor', number]>([
    ['none', 401],
    ['ingest', 403],
    ['viewer', 200],
    ['editor', 200],
  ])('answers a %s caller with %i', async (role, status) => {
    expect((await f.api.as(role).get('/v1/stats')).statusCode).toBe(status);
  });

  it.each(['?x=1', '?a[]=1&a[]=2', "?q='; DROP TABLE events; --"])(
    'refuses an unknown query parameter (%s) with its path',
    async (query) => {
      const res = await f.api.as('viewer').get(`/v1/stats${query}`);
      expect([res.statusCode, res.json().code, res.json().details.path]).toEqual([
        400,
        'VALIDATION_FAILED',
        'querystring',
      ]);
    },
  );

  it('reports nothing ingested and no watermark on an empty database', async () => {
    const answer = await stats();
    expect(answer.ingest.last_minute).toEqual({ events: 0, players: 0 });
    expect(answer.ingest.per_second).toBe(0);
    expect(answer.ingest.minutes).toHaveLength(STATS_MINUTES);
    expect(sum(answer.ingest.minutes, 'events')).toBe(0);
    expect(answer.engine).toEqual({
      watermark: null,
      latest_ingestion: null,
      behind_seconds: null,
      watermark_lag_seconds: null,
    });
  });

  it('counts the rows stored in the last minute, and the engine catches up to them', async () => {
    const now = Date.now();
    await insertPlayers(f.api.db.store, [
      { player_id: 's1', version: 1, country: 'DE' },
      { player_id: 's2', version: 1, country: 'AT' },
    ]);
    await insertEvents(
      f.api.db.store,
      ['e1', 'e2', 'e3'].map((id) => ({
        event_id: id,
        player_id: 's1',
        type: 'login',
        event_time: now,
      })),
    );
    const before = await stats();
    expect(before.ingest.last_minute).toEqual({ events: 3, players: 2 });
    expect(before.ingest.per_second).toBe(0.08);
    expect([sum(before.ingest.minutes, 'events'), sum(before.ingest.minutes, 'players')]).toEqual([
      3, 2,
    ]);
    expect(Date.parse(before.engine.latest_ingestion)).toBeGreaterThan(now - 60_000);
    expect(before.engine.watermark).toBeNull();

    await f.engine.step();
    const after = await stats();
    expect(after.engine.watermark).toBe(after.engine.latest_ingestion);
    expect(after.engine.behind_seconds).toBe(0);
    expect(after.engine.watermark_lag_seconds).toBeGreaterThanOrEqual(0);
  });

  it('reports accepted items that wait in the ingest queue', async () => {
    const event = {
      event_id: 'q1',
      player_id: 's1',
      type: 'login',
      event_time: new Date().toISOString(),
    };
    const accepted = await f.api.as('ingest').post('/v1/events', [event]);
    expect(accepted.statusCode, accepted.body).toBe(202);
    const answer = await stats();
    expect(answer.ingest.queued_entries).toBe(1);
    expect(answer.ingest.queue_oldest_seconds).toBeGreaterThanOrEqual(0);
    expect(answer.ingest.queue_oldest_seconds).toBeLessThan(60);
  });
});

describe('freshness', () => {
  it.each<[string, number | undefined, object]>([
    ['no watermark yet', undefined, { behind_seconds: null, watermark_lag_seconds: null }],
    ['a watermark at the newest row', 1_000, { behind_seconds: 0, watermark_lag_seconds: 30 }],
    ['a watermark 12 s behind', 988, { behind_seconds: 12, watermark_lag_seconds: 42 }],
    ['a watermark ahead (clock rounding)', 1_005, { behind_seconds: 0, watermark_lag_seconds: 25 }],
  ])('with %s', (_name, watermark, expected) => {
    expect(freshness({ now: 1_030, latest: 1_000 }, watermark)).toMatchObject(expected);
  });
});

describe('minuteSeries', () => {
  it('gives every minute up to the current one, oldest first, empty minutes 0', () => {
    const now = 6_000 + 30;
    const rows = [
      { source: 'e' as const, s: 6_010, m: 6_000, n: 4 },
      { source: 'p' as const, s: 6_001, m: 6_000, n: 1 },
      { source: 'e' as const, s: 5_950, m: 5_940, n: 2 },
    ];
    const series = minuteSeries(rows, now);
    expect(series).toHaveLength(STATS_MINUTES);
    expect(series.at(-1)).toEqual({ at: new Date(6_000_000).toISOString(), events: 4, players: 1 });
    expect(series.at(-2)).toEqual({ at: new Date(5_940_000).toISOString(), events: 2, players: 0 });
    expect(series[0]!.events + series[0]!.players).toBe(0);
  });
});
