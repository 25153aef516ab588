// Redis going away under a running engine: restarted with its data (append-only file), and
// restarted empty. Either way the engine recovers by itself: counts end equal to a from-scratch
// evaluation, and the transitions in ClickHouse are neither lost nor doubled.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisUrl, startRedis, stopRedis, type LocalRedis } from '../../cli/services/redis.ts';
import { insertEvents } from '../store/events.ts';
import { insertPlayers } from '../store/players.ts';
import { freePort } from '../../test/support/ports.ts';
import type { Engine } from './engine.ts';
import { agreement, randomEvents, SEGMENTS, settle } from './fault-support.ts';
import { harness, type Harness } from './test-support.ts';

describe('engine and a Redis restart (real ClickHouse and Redis)', () => {
  let server: LocalRedis;
  let h: Harness;
  let engine: Engine;

  const transitionRows = async () =>
    (await h.db.store.rows<{ n: number }>('SELECT count() AS n FROM membership_transitions'))[0]?.n;

  beforeAll(async () => {
    server = {
      dir: fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-redis-')),
      port: await freePort(),
    };
    await startRedis(server);
    h = await harness('engine_redis', redisUrl(server));
    await insertPlayers(
      h.db.store,
      Array.from({ length: 40 }, (_, i) => ({ player_id: `p${i}`, version: 1, country: 'DE' })),
    );
    for (const [id, rule] of Object.entries(SEGMENTS)) {
      await h.repo.create({ name: id, rule }, { createdBy: 't', id });
    }
    engine = h.engine({ sweepIntervalMs: 3_000 }, 'restart', Date.now);
    engine.start();
    await insertEvents(h.db.store, randomEvents(7, 40, 150));
    expect(await settle(h, 30_000)).toEqual({ disagreeing: [] });
  });
  afterAll(async () => {
    await h.close();
    await stopRedis(server);
    fs.rmSync(server.dir, { recursive: true, force: true });
  });

  it('recovers after Redis restarted with its data', async () => {
    await stopRedis(server);
    await insertEvents(h.db.store, randomEvents(8, 40, 60));
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await startRedis(server);
    await insertEvents(h.db.store, randomEvents(9, 40, 60));

    expect(await settle(h, 30_000)).toEqual({ disagreeing: [] });
    expect(await agreement(h)).toEqual({ disagreeing: [], duplicates: 0, replayMismatch: [] });
  });

  it('rebuilds membership from ClickHouse after Redis restarted empty', async () => {
    expect(await agreement(h)).toMatchObject({ duplicates: 0 });
    const before = await transitionRows();
    await stopRedis(server);
    fs.rmSync(server.dir, { recursive: true, force: true });
    await startRedis(server);

    expect(await settle(h, 30_000)).toEqual({ disagreeing: [] });
    expect(await agreement(h)).toEqual({ disagreeing: [], duplicates: 0, replayMismatch: [] });
    // Members were restored, not entered again: nothing changed, so nothing was recorded.
    expect(await transitionRows()).toBe(before);

    await insertEvents(h.db.store, randomEvents(10, 40, 80));
    expect(await settle(h, 30_000)).toEqual({ disagreeing: [] });
    expect(await agreement(h)).toEqual({ disagreeing: [], duplicates: 0, replayMismatch: [] });
  });
});
