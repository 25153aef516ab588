// Fault tests with engine processes: two engines at once, the lease holder killed with SIGKILL
// while events keep arriving, the other one taking over, the killed one restarted. At the end
// every count equals a from-scratch evaluation and the transitions in ClickHouse were written
// exactly once and replay to the members.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvents } from '../store/events.ts';
import { insertPlayers } from '../store/players.ts';
import { testRedisUrl } from '../../test/support/isolation.ts';
import { agreement, randomEvents, SEGMENTS, settle } from './fault-support.ts';
import { harness, type Harness } from './test-support.ts';

const ENGINE_MAIN = fileURLToPath(new URL('./engine-main.ts', import.meta.url));

describe('engine processes: two at once, kill -9, takeover (real ClickHouse and Redis)', () => {
  let h: Harness;
  const children = new Map<string, ChildProcess>();

  function spawnEngine(owner: string): ChildProcess {
    const env = {
      ...process.env,
      CLICKHOUSE_URL: h.db.url,
      CLICKHOUSE_DATABASE: h.db.database,
      REDIS_URL: testRedisUrl(),
      REDIS_PREFIX: h.prefix,
      ENGINE_TICK_MS: '100',
      ENGINE_LEASE_MS: '2000',
      ENGINE_SWEEP_INTERVAL_MS: '4000',
      LOG_LEVEL: 'error',
    };
    const child = spawn(process.execPath, ['--import', 'tsx', ENGINE_MAIN, owner], {
      env,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    children.set(owner, child);
    return child;
  }

  async function holder(): Promise<string> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const token = await h.redis.get(`${h.prefix}engine:lease`);
      if (token) return token.split(':')[0]!;
      if (Date.now() > deadline) throw new Error('no engine took the lease');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  beforeAll(async () => {
    h = await harness('engine_faults');
    await insertPlayers(
      h.db.store,
      Array.from({ length: 60 }, (_, i) => ({
        player_id: `p${i}`,
        version: 1,
        country: i % 3 === 0 ? 'DE' : 'AT',
      })),
    );
    for (const [id, rule] of Object.entries(SEGMENTS)) {
      await h.repo.create({ name: id, rule }, { createdBy: 't', id });
    }
  });
  afterAll(async () => {
    for (const child of children.values()) if (child.exitCode === null) child.kill('SIGKILL');
    await h.close();
  });

  it('keeps one truth through a SIGKILL of the lease holder and a restart', async () => {
    spawnEngine('one');
    spawnEngine('two');
    await insertEvents(h.db.store, randomEvents(1, 60, 200));
    const first = await holder();
    expect(await settle(h, 30_000)).toEqual({ disagreeing: [] });
    expect(await h.reader.count('big')).toBeGreaterThan(0);

    // Kill the holder while events keep arriving.
    const arriving = (async () => {
      for (let i = 0; i < 10; i++) {
        await insertEvents(h.db.store, randomEvents(100 + i, 60, 40));
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const killed = children.get(first)!;
    killed.kill('SIGKILL');
    await new Promise((resolve) => killed.once('exit', resolve));
    await arriving;

    const second = await waitForHolder(first);
    expect(second).not.toBe(first);
    spawnEngine(first);
    await insertEvents(h.db.store, randomEvents(999, 60, 100));

    const result = await settle(h, 45_000);
    expect(result.disagreeing).toEqual([]);
    expect(await agreement(h)).toEqual({ disagreeing: [], duplicates: 0, replayMismatch: [] });
  });

  async function waitForHolder(not: string): Promise<string> {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const current = await holder();
      if (current !== not) return current;
      if (Date.now() > deadline) throw new Error('the lease was not taken over');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
});
