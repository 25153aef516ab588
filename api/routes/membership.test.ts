// Membership reads against real ClickHouse and Redis, with membership changed by the real engine:
// a player's segments, is-member, transitions newest first, size history as an even series.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqlDateTime } from '../../engine/sql/literal.ts';
import { insertPlayers } from '../../engine/store/players.ts';
import { memberFixture, type MemberFixture } from '../members/test-support.ts';

const rule = (item: object) => ({ include: { all: [item] } });
const MINUTE = 60_000;

let f: MemberFixture;
let t0: number;
beforeAll(async () => {
  f = await memberFixture('membership');
  const store = f.api.db.store;
  t0 = f.clock.now;
  await insertPlayers(store, [
    { player_id: 'p1', version: 1, country: 'DE', vip_level: 3 },
    { player_id: 'p2', version: 1, country: 'AT', vip_level: 1 },
    { player_id: 'p3', version: 1, country: 'DE', vip_level: 5 },
  ]);
  await f.segment('de', rule({ field: 'country', op: 'eq', value: 'DE' }));
  await f.segment('vip', rule({ field: 'vip_level', op: 'gte', value: 3 }));
  await f.segment('gone', rule({ field: 'vip_level', op: 'gte', value: 0 }));
  await f.engine.step();

  f.clock.now = t0 + MINUTE;
  await insertPlayers(store, [
    { player_id: 'p1', version: 2, country: 'AT', vip_level: 3 },
    { player_id: 'p2', version: 2, country: 'DE', vip_level: 1 },
  ]);
  await f.engine.step();

  f.clock.now = t0 + 2 * MINUTE;
  await insertPlayers(store, [{ player_id: 'p1', version: 3, country: 'DE', vip_level: 3 }]);
  await f.engine.step();
  await f.engine.drainJournal();
  await f.repo.delete('gone', { createdBy: 'test' });
});
afterAll(() => f.close());

const get = async (url: string, role: 'viewer' | 'editor' = 'viewer') => {
  const res = await f.api.as(role).get(url);
  expect(res.statusCode, res.body).toBe(200);
  return res.json();
};

describe("a player's segments and is-member", () => {
  it.each<[string, string[]]>([
    ['p1', ['de', 'vip']],
    ['p2', ['de']],
    ['p3', ['de', 'vip']],
    ['nobody', []],
  ])('%s is in %j', async (player, segments) => {
    const answer = await get(`/v1/players/${player}/segments`);
    expect(answer).toEqual({
      player_id: player,
      segments: segments.map((id) => ({ id, name: id })),
    });
  });

  it('leaves out a deleted segment whose members the engine has not removed yet', async () => {
    expect(await f.api.redis.exists(`${f.api.prefix}seg:gone:bits`)).toBe(1);
    const answer = await get('/v1/players/p2/segments');
    expect(answer.segments.map((s: { id: string }) => s.id)).not.toContain('gone');
  });

  it.each<[string, string, boolean]>([
    ['de', 'p1', true],
    ['de', 'p2', true],
    ['vip', 'p2', false],
    ['vip', 'p3', true],
    ['vip', 'nobody', false],
  ])('%s has %s: %s', async (segment, player, member) => {
    expect(await get(`/v1/segments/${segment}/members/${player}`)).toEqual({ member });
  });
});

describe('transitions', () => {
  const at = (ms: number) => new Date(ms).toISOString();

  it('lists them newest first: change order, then player id', async () => {
    const answer = await get('/v1/segments/de/transitions');
    expect(answer.transitions).toEqual([
      {
        at: at(t0 + 2 * MINUTE),
        player_id: 'p1',
        kind: 'entered',
        segment_version: 1,
        seq: 3,
        cause: 'tick',
      },
      {
        at: at(t0 + MINUTE),
        player_id: 'p1',
        kind: 'exited',
        segment_version: 1,
        seq: 2,
        cause: 'tick',
      },
      {
        at: at(t0 + MINUTE),
        player_id: 'p2',
        kind: 'entered',
        segment_version: 1,
        seq: 2,
        cause: 'tick',
      },
      {
        at: at(t0),
        player_id: 'p1',
        kind: 'entered',
        segment_version: 1,
        seq: 1,
        cause: 'compute',
      },
      {
        at: at(t0),
        player_id: 'p3',
        kind: 'entered',
        segment_version: 1,
        seq: 1,
        cause: 'compute',
      },
    ]);
  });

  // Times are offsets from t0 in minutes: the table is built before beforeAll sets t0.
  it.each<[string, (t: number) => string, string[]]>([
    ['since the second change', (t) => `since=${at(t + MINUTE)}`, ['p1:3', 'p1:2', 'p2:2']],
    ['since with an offset', (t) => `since=${offsetTime(t + 2 * MINUTE)}`, ['p1:3']],
    ['limit', () => 'limit=2', ['p1:3', 'p1:2']],
    ['since and limit', (t) => `since=${at(t)}&limit=4`, ['p1:3', 'p1:2', 'p2:2', 'p1:1']],
    ['since after the last', (t) => `since=${at(t + 3 * MINUTE)}`, []],
  ])('%s', async (_name, query, expected) => {
    const answer = await get(`/v1/segments/de/transitions?${query(t0)}`);
    const got = answer.transitions.map(
      (t: { player_id: string; seq: number }) => `${t.player_id}:${t.seq}`,
    );
    expect(got).toEqual(expected);
  });

  it.each<[string, string]>([
    ['since=yesterday', 'query.since'],
    ['since=2026-12-03', 'query.since'],
    ['since=2026-12-03T10:00:00', 'query.since'],
    ['limit=0', 'querystring/limit'],
    ['limit=1001', 'querystring/limit'],
  ])('refuses %s', async (query, path) => {
    const res = await f.api.as('viewer').get(`/v1/segments/de/transitions?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { path } });
  });
});

describe('history', () => {
  const T = Date.parse('2026-11-20T10:00:00Z');
  beforeAll(async () => {
    const minute = (ms: number) => sqlDateTime(ms);
    await f.api.db.store
      .exec(`INSERT INTO segment_sizes (segment_id, minute, count, entered, exited)
      VALUES ('vip', ${minute(T + 2 * MINUTE)}, 4, 4, 0), ('vip', ${minute(T + 4 * MINUTE)}, 3, 0, 1),
        ('de', ${minute(T + 2 * MINUTE)}, 100, 100, 0)`);
    await f.api.db.store
      .exec(`INSERT INTO segment_sizes_hourly (segment_id, hour, count, entered, exited)
      VALUES ('vip', ${minute(T - 2 * 60 * MINUTE)}, 2, 2, 0)`);
  });

  it('is an even series of minutes, counts carried forward', async () => {
    const from = new Date(T + MINUTE).toISOString();
    const to = new Date(T + 5 * MINUTE).toISOString();
    const answer = await get(`/v1/segments/vip/history?from=${from}&to=${to}&step=minute`);
    expect(answer).toEqual({
      step: 'minute',
      from,
      to,
      points: [
        { at: new Date(T + MINUTE).toISOString(), count: 2, entered: 0, exited: 0 },
        { at: new Date(T + 2 * MINUTE).toISOString(), count: 4, entered: 4, exited: 0 },
        { at: new Date(T + 3 * MINUTE).toISOString(), count: 4, entered: 0, exited: 0 },
        { at: new Date(T + 4 * MINUTE).toISOString(), count: 3, entered: 0, exited: 1 },
      ],
    });
  });

  it('sums hours, rolled-up ones included', async () => {
    const from = new Date(T - 3 * 60 * MINUTE).toISOString();
    const to = new Date(T + 30 * MINUTE).toISOString();
    const answer = await get(`/v1/segments/vip/history?from=${from}&to=${to}&step=hour`);
    expect(
      answer.points.map((p: { count: number; entered: number }) => [p.count, p.entered]),
    ).toEqual([
      [0, 0],
      [2, 2],
      [2, 0],
      [3, 4],
    ]);
  });

  it('covers the last 7 days in hours by default, up to the hour holding now', async () => {
    const answer = await get('/v1/segments/vip/history');
    expect(answer.step).toBe('hour');
    const last = Date.parse(answer.points.at(-1).at);
    expect(Date.now() - last).toBeLessThan(3_600_000);
    expect(Date.parse(answer.to) - Date.parse(answer.from)).toBe(answer.points.length * 3_600_000);
    expect([168, 169]).toContain(answer.points.length);
  });

  it.each<[string, string]>([
    ['step=day', 'querystring/step'],
    ['from=2026-12-03T10:00:00Z&to=2026-12-03T09:00:00Z', 'query.to'],
    ['from=2026-11-01T00:00:00Z&to=2026-12-03T00:00:00Z&step=minute', 'query.from'],
    ['from=monday', 'query.from'],
    ['to=2026-12-03', 'query.to'],
  ])('refuses %s', async (query, path) => {
    const res = await f.api.as('viewer').get(`/v1/segments/vip/history?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: { path } });
  });
});

describe('access and unknown segments', () => {
  const ROUTES = ['members/p1', 'transitions', 'history'];

  it.each(ROUTES)('%s: 404 for an unknown or deleted segment', async (route) => {
    for (const id of ['nope', 'gone']) {
      const res = await f.api.as('viewer').get(`/v1/segments/${id}/${route}`);
      expect(res.statusCode).toBe(404);
      expect(res.json()).toMatchObject({ code: 'NOT_FOUND', details: { path: 'id' } });
    }
  });

  it.each<['ingest' | 'none', number]>([
    ['ingest', 403],
    ['none', 401],
  ])('refuses %s with %i', async (role, status) => {
    for (const url of [...ROUTES.map((r) => `/v1/segments/de/${r}`), '/v1/players/p1/segments']) {
      expect((await f.api.as(role).get(url)).statusCode).toBe(status);
    }
  });
});

/** The same instant written with a +02:00 offset. */
function offsetTime(ms: number): string {
  const local = new Date(ms + 2 * 3_600_000).toISOString().slice(0, 19);
  return `${local}%2B02:00`;
}
