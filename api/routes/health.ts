// GET /health: the process is alive. GET /ready: ClickHouse and Redis both answer, so requests
// can be served; otherwise 503 with Retry-After and which service failed. Load balancers and the
// UI poll these, so each check is bounded by a short timeout and never waits for a reconnect.
import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import { SegstreamError } from '../../engine/errors/errors.ts';
import type { Store } from '../../engine/store/clickhouse.ts';
import { sendError } from '../errors.ts';

export interface HealthRouteOptions {
  readonly store: Store;
  readonly redis: Redis;
  /** Longest wait for each service, milliseconds. Default 1500. */
  readonly timeoutMs?: number;
}

type Check = 'ok' | 'unavailable';

export const healthRoutes: FastifyPluginAsync<HealthRouteOptions> = async (app, opts) => {
  const timeoutMs = opts.timeoutMs ?? 1_500;

  app.get('/health', async () => ({ status: 'ok' }));

  app.get('/ready', async (req, reply) => {
    const [clickhouse, redis] = await Promise.all([
      probeClickHouse(opts.store, timeoutMs),
      probeRedis(opts.redis, timeoutMs),
    ]);
    const checks = { clickhouse, redis };
    if (clickhouse === 'ok' && redis === 'ok') return { status: 'ready', checks };

    const failed = Object.entries(checks)
      .filter(([, state]) => state !== 'ok')
      .map(([service]) => service);
    // The code names the first service that failed; details list them all.
    const code = clickhouse === 'ok' ? 'REDIS_UNAVAILABLE' : 'CLICKHOUSE_UNAVAILABLE';
    req.log.warn({ failed }, 'not ready');
    return sendError(reply, new SegstreamError(code, { failed, checks }));
  });
};

async function probeClickHouse(store: Store, timeoutMs: number): Promise<Check> {
  try {
    // A query, not /ping: it also proves the database exists and the user may read it.
    await store.rows('SELECT 1 AS ok', { signal: AbortSignal.timeout(timeoutMs) });
    return 'ok';
  } catch {
    return 'unavailable';
  }
}

async function probeRedis(redis: Redis, timeoutMs: number): Promise<Check> {
  // While ioredis reconnects it queues commands instead of failing them; answer at once.
  if (redis.status !== 'ready' && redis.status !== 'wait') return 'unavailable';
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'unavailable'>((resolve) => {
    timer = setTimeout(() => resolve('unavailable'), timeoutMs);
  });
  try {
    const pong = redis.ping().then((answer) => (answer === 'PONG' ? 'ok' : 'unavailable'));
    return await Promise.race([pong, timeout]);
  } catch {
    return 'unavailable';
  } finally {
    clearTimeout(timer);
  }
}
