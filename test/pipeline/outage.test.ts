// The whole pipeline with ClickHouse stopped for 20 s while events stream in over HTTP. The API
// needs only Redis and keeps answering 202; the writer and the engine (child processes) keep
// retrying. Once ClickHouse is back every accepted event is stored exactly once and every
// segment converges to a from-scratch evaluation. Runs its own throw-away ClickHouse so stopping
// it disturbs no other test.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  clickhouseUrl,
  startClickHouse,
  stopClickHouse,
  type LocalClickHouse,
} from '../../cli/services/clickhouse.ts';
import { createStore } from '../../engine/store/clickhouse.ts';
import { migrate } from '../../engine/store/migrate.ts';
import { testRedisUrl, uniqueName } from '../support/isolation.ts';
import { freePort } from '../support/ports.ts';
import { startApi, type Api } from './api.ts';
import { until } from './pipeline.ts';
import { killAll, spawnEngine, spawnWriter, type Services } from './processes.ts';
import { EventStream } from './stream.ts';
import {
  converge,
  createSegments,
  journalCheck,
  openTruth,
  storedEventKeys,
  storedEvents,
  type Truth,
} from './truth.ts';

const OUTAGE_MS = 20_000;
const PLAYERS = 300;

const SEGMENTS: Record<string, unknown> = {
  depositors: { include: { all: [{ list: 'deposits', measure: 'count', op: 'gte', value: 2 }] } },
  'week-big': {
    include: {
      all: [
        {
          ...{ list: 'deposits', window: { last: 7, unit: 'day' } },
          ...{ measure: { sum: 'amount' }, op: 'gte', value: 150 },
        },
      ],
    },
  },
  'de-quiet': {
    include: {
      all: [
        { field: 'country', op: 'eq', value: 'DE' },
        { list: 'logins', measure: 'count', op: 'eq', value: 0 },
      ],
    },
  },
};
const IDS = Object.keys(SEGMENTS);

describe('whole pipeline: ClickHouse stopped for 20 s during ingest (own ClickHouse)', () => {
  let server: LocalClickHouse;
  let api: Api;
  let t: Truth;
  let services: Services;

  beforeAll(async () => {
    server = {
      dir: fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-pipeline-ch-')),
      httpPort: await freePort(),
      tcpPort: await freePort(),
    };
    await startClickHouse(server);
    const database = 'pipeline_outage';
    services = {
      ...{ clickhouseUrl: clickhouseUrl(server), database },
      ...{ redisUrl: testRedisUrl(), prefix: `${uniqueName('pipeline_outage')}:` },
    };
    await migrate({ url: services.clickhouseUrl, database });
    const store = createStore({ url: services.clickhouseUrl, database, requestTimeoutMs: 10_000 });
    t = openTruth(store, services.redisUrl, services.prefix);
    api = await startApi(services);
    await createSegments(t, SEGMENTS);
  });

  afterAll(async () => {
    await killAll();
    await api?.close();
    t?.close();
    await t?.store.close();
    if (server) {
      await stopClickHouse(server);
      fs.rmSync(server.dir, { recursive: true, force: true });
    }
  });

  it('keeps answering 202, loses nothing and converges once ClickHouse is back', async () => {
    spawnWriter(services, 'writer-1');
    spawnEngine(services, 'engine-1');
    const profiles = Array.from({ length: PLAYERS }, (_, i) => ({
      player_id: `p${i}`,
      country: i % 2 === 0 ? 'DE' : 'AT',
    }));
    expect(await api.post('/v1/players', profiles)).toMatchObject({ status: 202 });
    const stream = new EventStream(api, {
      ...{ seed: 11, players: PLAYERS, batch: 20 },
      maxRequests: 3_000,
    });
    stream.start();
    await until(
      'events stored',
      () => storedEvents(t.store),
      (s) => s.rows > 500,
      60_000,
    );
    expect(await converge(t, IDS, 60_000)).toEqual([]);

    await stopClickHouse(server);
    const before = stream.requests;
    // The outage itself: the test's scenario, not a wait for a result.
    await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS));
    expect(stream.requests).toBeGreaterThan(before);
    expect(stream.refusals).toEqual([]);
    expect(await t.redis.xlen(`${services.prefix}ingest:events`)).toBeGreaterThan(0);

    await startClickHouse(server);
    await stream.more(20);
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
  });
});
