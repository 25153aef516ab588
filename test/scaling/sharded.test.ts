// The engine against a sharded ClickHouse: two clickhouse-server processes forming a cluster of
// two shards (players' tables split by a hash of player_id behind Distributed tables, set up by
// the product's migrations under CLICKHOUSE_CLUSTER) must give exactly the members that the same
// data gives on one server, for every kind of rule: attributes, event count and sum windows,
// exclusions, references to rule and static segments. The engine runs as a process configured
// for the cluster, first sweeping, then ticking on events written afterwards.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../engine/catalogue/default.ts';
import { evaluateRule } from '../../engine/compiler/index.ts';
import { allMembers } from '../../engine/evaluator/test-support.ts';
import { loadResolver } from '../../engine/segments/references.ts';
import type { Store } from '../../engine/store/clickhouse.ts';
import { insertEvents } from '../../engine/store/events.ts';
import { insertPlayers } from '../../engine/store/players.ts';
import { testDatabase, testRedisUrl, uniqueName, type TestDatabase } from '../support/isolation.ts';
import { spawnEngine, spawnWriter, killAll, type Services } from '../pipeline/processes.ts';
import { until } from '../pipeline/pipeline.ts';
import { remoteApi, TOKEN } from '../pipeline/api.ts';
import { killApis, spawnApi } from './api-process.ts';
import { seeded } from '../pipeline/stream.ts';
import { createSegments, openTruth, type Truth } from '../pipeline/truth.ts';
import { startShardedClickHouse, type ShardedClickHouse } from './cluster.ts';
import { moreEvents, population } from './population.ts';

const PLAYERS = 400;
const STATIC_MEMBERS = Array.from({ length: 60 }, (_, i) => `p${i * 7}`);

const SEGMENTS: Record<string, unknown> = {
  dach: { include: { all: [{ field: 'country', op: 'in', value: ['DE', 'AT'] }] } },
  vip: { include: { all: [{ field: 'vip_level', op: 'gte', value: 3 }] } },
  'week-depositors': {
    include: {
      all: [
        {
          list: 'deposits',
          window: { last: 7, unit: 'day' },
          measure: 'count',
          op: 'gte',
          value: 2,
        },
      ],
    },
  },
  'month-big': {
    include: {
      all: [
        {
          ...{ list: 'deposits', window: { last: 30, unit: 'day' } },
          ...{ measure: { sum: 'amount' }, op: 'gte', value: 150 },
        },
      ],
    },
  },
  'never-logged-in': {
    include: { all: [{ list: 'logins', measure: 'count', op: 'eq', value: 0 }] },
  },
  'bettors-not-vip': {
    include: {
      all: [
        { list: 'bets', window: { last: 14, unit: 'day' }, measure: 'count', op: 'gte', value: 1 },
      ],
    },
    exclude: { any: [{ segment: 'vip', op: 'in' }] },
  },
  'dach-big': {
    include: {
      all: [
        { segment: 'month-big', op: 'in' },
        { segment: 'dach', op: 'in' },
      ],
    },
    exclude: { any: [{ field: 'vip_level', op: 'eq', value: 0 }] },
  },
  'picked-bettors': {
    include: {
      all: [
        { segment: 'picked', op: 'in' },
        { list: 'bets', measure: { sum: 'amount' }, op: 'gt', value: 40 },
      ],
    },
  },
  'not-picked-dach': {
    include: {
      all: [
        { segment: 'dach', op: 'in' },
        { segment: 'picked', op: 'not_in' },
      ],
    },
  },
};
const IDS = ['picked', ...Object.keys(SEGMENTS)];

let cluster: ShardedClickHouse;
let single: TestDatabase;
let onCluster: Truth;
let onSingle: Truth;

describe('engine on a sharded ClickHouse (two shards, Distributed tables)', () => {
  beforeAll(async () => {
    single = await testDatabase('sharded_single');
    cluster = await startShardedClickHouse(single.database);
    const prefix = `${uniqueName('sharded')}:`;
    onCluster = openTruth(cluster.store, testRedisUrl(), prefix);
    onSingle = openTruth(single.store, testRedisUrl(), `${prefix}single:`);

    const data = population(11, PLAYERS, 6_000);
    for (const t of [onCluster, onSingle]) {
      await insertPlayers(t.store, data.players);
      await insertEvents(t.store, data.events);
      // The static segment first: rules below reference it.
      await t.repo.create(
        { name: 'picked', static_members: STATIC_MEMBERS },
        { createdBy: 'test', id: 'picked' },
      );
      await createSegments(t, SEGMENTS);
    }
  });
  afterAll(async () => {
    await killAll();
    await killApis();
    onCluster?.close();
    onSingle?.close();
    await cluster?.stop();
    await single?.drop();
  });

  it('keeps every player on one shard, with each shard holding a share', async () => {
    const perNode = await Promise.all(cluster.nodes.map((node) => localPlayers(node)));
    for (const node of perNode) {
      expect(node.profiles.length).toBeGreaterThan(PLAYERS / 4);
      expect(node.eventPlayers.every((p) => node.profiles.includes(p))).toBe(true);
    }
    const [a, b] = perNode;
    expect(a!.profiles.filter((p) => b!.profiles.includes(p))).toEqual([]);
    expect(a!.profiles.length + b!.profiles.length).toBe(PLAYERS);
    expect(await eventCount(cluster.store)).toBe(await eventCount(single.store));
  });

  it('evaluates every rule to the same members as one server', async () => {
    const asOf = Date.now();
    for (const id of IDS) {
      const [sharded, plain] = await Promise.all([
        fromScratch(onCluster, id, asOf),
        fromScratch(onSingle, id, asOf),
      ]);
      expect({ id, members: sharded }).toEqual({ id, members: plain });
    }
    // The rules split the population rather than taking all or nothing.
    const sizes = await Promise.all(IDS.map((id) => fromScratch(onSingle, id, asOf)));
    expect(sizes.filter((m) => m.length > 0 && m.length < PLAYERS)).toHaveLength(IDS.length);
  });

  it('runs the engine on the cluster to the members one server gives, sweep and ticks', async () => {
    spawnEngine(services(), 'sharded-engine', {
      ...cluster.env,
      ENGINE_SWEEP_INTERVAL_MS: '3600000',
    });
    expect(await settle(onCluster, onSingle, 60_000)).toEqual([]);

    // Events written after the sweep reach membership through ticks on the Distributed table.
    const later = moreEvents(seeded(12), PLAYERS, 1_500, Date.now(), 'later-');
    await insertEvents(single.store, later);
    await insertEvents(cluster.store, later);
    expect(await settle(onCluster, onSingle, 60_000)).toEqual([]);
  });

  it('serves member pages and previews from the cluster (an API process configured for it)', async () => {
    const api = await spawnApi(services(), cluster.env);
    const get = (route: string) => request(api.url, route);
    for (const id of IDS) {
      const page = (await get(`/v1/segments/${id}/members?limit=1000&columns=country`)) as {
        members: { player_id: string }[];
      };
      const ids = page.members.map((m) => m.player_id).sort();
      expect({ id, ids }).toEqual({ id, ids: await allMembers(onCluster.reader, id) });
    }
    const rule = SEGMENTS['dach-big'];
    const preview = (await request(api.url, '/v1/segments/preview', { rule, limit: 0 })) as {
      count: number;
    };
    expect(preview.count).toBe((await fromScratch(onSingle, 'dach-big', Date.now())).length);
  });

  it('keeps ingest and the engine waiting through a shard outage, then stores every event once', async () => {
    spawnWriter(services(), 'sharded-writer', cluster.env);
    const api = remoteApi((await spawnApi(services(), cluster.env)).url);
    await cluster.stopNode(1);

    const outage = moreEvents(seeded(13), PLAYERS, 600, Date.now(), 'outage-');
    const items = outage.map(({ amount, ...e }) => (amount === null ? e : { ...e, amount }));
    expect(await api.post('/v1/events', items)).toMatchObject({ status: 202, accepted: 600 });
    // Reads through the Distributed tables fail while a shard is down; nothing is skipped.
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    await expect(eventCount(cluster.store)).rejects.toThrow();

    await cluster.startNode(1);
    await insertEvents(single.store, outage);
    const expected = await eventCount(single.store);
    await until(
      'events stored',
      () => eventCount(cluster.store),
      (n) => n >= expected,
      60_000,
    );
    const [row] = await cluster.store.rows<{ rows: number; distinct: number }>(
      'SELECT count() AS rows, uniqExact(player_id, event_id) AS distinct FROM events',
    );
    expect(row).toEqual({ rows: expected, distinct: expected });
    expect(await settle(onCluster, onSingle, 60_000)).toEqual([]);
  });
});

/** The Redis and ClickHouse of the engine or API process on the cluster. */
function services(): Services {
  return {
    clickhouseUrl: cluster.env.CLICKHOUSE_URL!,
    database: cluster.options.database,
    redisUrl: testRedisUrl(),
    prefix: onCluster.prefix,
  };
}

/** GET, or POST of a JSON body, with the admin token; the parsed 200 answer. */
async function request(base: string, route: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${base}${route}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  expect(res.status).toBe(200);
  return res.json();
}

async function localPlayers(node: Store) {
  const ids = async (sql: string) => (await node.rows<{ p: string }>(sql)).map((r) => r.p).sort();
  return {
    profiles: await ids('SELECT DISTINCT player_id AS p FROM players_local'),
    eventPlayers: await ids('SELECT DISTINCT player_id AS p FROM events_local'),
  };
}

async function eventCount(store: Store): Promise<number> {
  const [row] = await store.rows<{ n: number }>('SELECT count() AS n FROM events');
  return Number(row?.n ?? 0);
}

/** A from-scratch evaluation; a static segment's members through a rule that references it. */
async function fromScratch(t: Truth, id: string, asOf: number): Promise<string[]> {
  const saved = await t.repo.get(id);
  const rule = saved?.definition.rule ?? { include: { all: [{ segment: id, op: 'in' }] } };
  const resolveSegment = await loadResolver(t.repo, rule);
  const ctx = { catalogue: DEFAULT_CATALOGUE, timezone: saved?.definition.timezone ?? 'UTC' };
  return evaluateRule(t.store, rule, { ...ctx, asOf, resolveSegment });
}

/**
 * Polls until the engine's members on the cluster equal a from-scratch evaluation on one server
 * for every segment; returns the segments that still differ at the deadline.
 */
async function settle(onCluster: Truth, onSingle: Truth, timeoutMs: number) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const asOf = Date.now();
    const off = [];
    for (const id of IDS) {
      const [engine, expected] = await Promise.all([
        allMembers(onCluster.reader, id),
        fromScratch(onSingle, id, asOf),
      ]);
      if (engine.join() !== expected.join())
        off.push({ id, engine: engine.length, expected: expected.length });
    }
    if (off.length === 0 || Date.now() > deadline) return off;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
