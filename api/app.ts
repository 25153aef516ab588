// The HTTP API and the UI in one fastify instance. buildApp only wires things together: each
// route family lives in api/routes/ and gets what it needs as plugin options, so a new family
// is one file plus one line here. buildApp never listens; `segstream serve` and tests do.
import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import type { Redis } from 'ioredis';
import type { Config } from '../engine/config/config.ts';
import type { Logger } from '../engine/log.ts';
import type { Store } from '../engine/store/clickhouse.ts';
import { installErrorHandler } from './errors.ts';
import { healthRoutes } from './routes/health.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { registerUi } from './ui.ts';

export interface AppOptions {
  readonly config: Config;
  readonly store: Store;
  readonly redis: Redis;
  readonly log: Logger;
  /** Folder of the built UI. Default ui/dist of this repository; not served when missing. */
  readonly uiDir?: string;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; naming the base type keeps the instance's type plain.
    loggerInstance: opts.log as FastifyBaseLogger,
    logController: new RequestLog(),
  });
  installErrorHandler(app);

  await app.register(healthRoutes, { store: opts.store, redis: opts.redis });
  await app.register(ingestRoutes, {
    redis: opts.redis,
    redisPrefix: opts.config.redis.prefix,
    bodyLimitBytes: opts.config.ingest.bodyLimitBytes,
    futureLimitMs: opts.config.ingest.futureLimitMs,
  });
  await registerUi(app, opts.uiDir);
  return app;
}

/** One debug line per request instead of fastify's two info lines: the UI and probes poll. */
class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(_err: unknown, req: FastifyRequest, reply: FastifyReply): void {
    const ms = Math.round(reply.elapsedTime);
    reply.log.debug(
      { method: req.method, url: req.url, status: reply.statusCode, ms },
      'request done',
    );
  }
}
