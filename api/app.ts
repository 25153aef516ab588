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
import { loadCatalogue } from '../engine/catalogue/load.ts';
import type { Catalogue } from '../engine/catalogue/types.ts';
import { actionStore } from '../engine/actions/actions.ts';
import { retentionListStore } from '../engine/actions/retention-lists.ts';
import { membershipReader } from '../engine/membership/read.ts';
import { suppressedCounter } from '../engine/membership/suppressed.ts';
import { loadSuppression } from '../engine/segments/suppression.ts';
import { createSegmentRepository } from '../engine/segments/repository.ts';
import { installAuth, type ProtectedRoute } from './auth/plugin.ts';
import { createTicketStore } from './auth/tickets.ts';
import { createTokenStore } from './auth/tokens.ts';
import { installErrorHandler, sendError } from './errors.ts';
import { SegstreamError } from '../engine/errors/errors.ts';
import { illFormedPath, nonFinitePath } from '../engine/input/well-formed.ts';
import { installGuards } from './guards.ts';
import { installMetrics } from './metrics.ts';
import { installValidation } from './validation.ts';
import { healthRoutes } from './routes/health.ts';
import { explainRoutes } from './routes/explain.ts';
import { ingestRoutes } from './routes/ingest.ts';
import { listRoutes } from './routes/lists.ts';
import { memberRoutes } from './routes/members.ts';
import { membershipRoutes } from './routes/membership.ts';
import { liveRoutes } from './routes/live.ts';
import { installWebsocket } from './live/sockets.ts';
import { previewRoutes } from './routes/preview.ts';
import { segmentRoutes } from './routes/segments.ts';
import { actionRoutes } from './routes/actions.ts';
import { retentionListRoutes } from './routes/retention-lists.ts';
import { staticMemberRoutes } from './routes/static-members.ts';
import { statsRoutes } from './routes/stats.ts';
import { ticketRoutes } from './routes/tickets.ts';
import { tokenRoutes } from './routes/tokens.ts';
import { registerUi } from './ui.ts';

export interface AppOptions {
  readonly config: Config;
  readonly store: Store;
  readonly redis: Redis;
  readonly log: Logger;
  /** Folder of the built UI. Default ui/dist of this repository; not served when missing. */
  readonly uiDir?: string;
  /** The Lists catalogue; loaded from SEGSTREAM_CATALOGUE_FILE (or the built-in one) by default. */
  readonly catalogue?: Catalogue;
  /** How long a ticket (POST /v1/tickets) lives; 60 s by default, shorter in tests. */
  readonly ticketTtlMs?: number;
}

export async function buildApp(opts: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    // pino's Logger is a FastifyBaseLogger; naming the base type keeps the instance's type plain.
    loggerInstance: opts.log as FastifyBaseLogger,
    logController: new RequestLog(),
    // Ids in paths may be as long as the ids themselves (player ids: 200 characters).
    routerOptions: { maxParamLength: 1_024 },
    // Errors raised before routing (a URL that cannot be decoded) get the coded envelope too.
    frameworkErrors: (err, _req, reply) =>
      sendError(
        reply,
        new SegstreamError('VALIDATION_FAILED', { path: 'url', reason: err.message }),
      ),
  });
  installValidation(app);
  installErrorHandler(app);
  refuseUnreadableInput(app);
  await installGuards(app);
  const { config, store, redis, log } = opts;
  const catalogue = opts.catalogue ?? loadCatalogue(config.catalogueFile);
  const segments = createSegmentRepository(store, {
    catalogue,
    defaultTimezone: config.timezone,
    log,
  });
  const membership = membershipReader({ redis, store, prefix: config.redis.prefix });
  const tokens = createTokenStore(store, config.adminToken);
  // Before the auth hook, so that refused upgrades have their sockets closed (live/sockets.ts).
  const sockets = await installWebsocket(app, config.live);
  const tickets = createTicketStore(redis, config.redis.prefix, opts.ticketTtlMs);
  const credentials = { tokens, tickets };
  const routes = installAuth(app, credentials);
  app.decorate('protectedRoutes', routes.protectedRoutes);
  app.decorate('publicRoutes', routes.publicRoutes);
  const metrics = installMetrics(app, { redis, prefix: config.redis.prefix, membership, sockets });

  await app.register(healthRoutes, { store: opts.store, redis: opts.redis });
  await app.register(ingestRoutes, {
    redis: opts.redis,
    redisPrefix: opts.config.redis.prefix,
    bodyLimitBytes: opts.config.ingest.bodyLimitBytes,
    futureLimitMs: opts.config.ingest.futureLimitMs,
    onItems: (kind, accepted, rejected) => {
      metrics.ingestItems.inc({ kind, outcome: 'accepted' }, accepted);
      metrics.ingestItems.inc({ kind, outcome: 'rejected' }, rejected);
    },
  });
  const suppressed = suppressedCounter({
    ...{ store, redis, prefix: config.redis.prefix, catalogue, segments },
    suppression: loadSuppression(catalogue, config.suppressionFile),
    timezone: config.timezone,
  });
  await app.register(segmentRoutes, { store, segments, membership, suppressed, catalogue });
  const actions = actionStore({ store, segments, membership, suppressed });
  await app.register(actionRoutes, { actions });
  await app.register(retentionListRoutes, { lists: retentionListStore(store), segments });
  await app.register(staticMemberRoutes, { segments });
  await app.register(listRoutes, { catalogue, segments });
  await app.register(memberRoutes, {
    store,
    redis,
    redisPrefix: config.redis.prefix,
    segments,
    catalogue,
    exportPerMinute: config.api.exportPerMinute,
  });
  await app.register(membershipRoutes, { store, segments, membership });
  await app.register(explainRoutes, { store, segments, membership, catalogue });
  await app.register(previewRoutes, {
    ...{ store, segments, catalogue },
    perMinute: config.api.previewPerMinute,
    seconds: metrics.previewSeconds,
  });
  await app.register(tokenRoutes, { tokens });
  await app.register(ticketRoutes, { tickets });
  await app.register(statsRoutes, { store, redis, redisPrefix: config.redis.prefix });
  await app.register(liveRoutes, {
    redis,
    redisPrefix: config.redis.prefix,
    credentials,
    settings: config.live,
    sockets,
  });
  await registerUi(app, opts.uiDir);
  return app;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route that needs a token, with the access it needs (see api/auth/plugin.ts). */
    protectedRoutes: readonly ProtectedRoute[];
    /** `METHOD url` of every route anyone may call. */
    publicRoutes: readonly string[];
  }
}

/**
 * Input no schema catches: lone surrogates in a body, query or path (engine/input), refused
 * before validation, and numbers that are not finite, which query strings can spell
 * ("Infinity") and the schema coercion lets through, refused after it. The ingest routes check
 * each item themselves, so that one bad item does not cost its neighbours.
 */
function refuseUnreadableInput(app: FastifyInstance): void {
  const parts = (req: FastifyRequest) =>
    [
      ['params', req.params],
      ['query', req.query],
      ['body', req.body],
    ] as const;
  const refuse = (part: string, at: string, reason: string) =>
    new SegstreamError('VALIDATION_FAILED', { path: at === '' ? part : `${part}/${at}`, reason });
  app.addHook('preValidation', async (req) => {
    if (req.routeOptions.config.access === 'ingest') return;
    for (const [part, value] of parts(req)) {
      const at = illFormedPath(value);
      if (at !== undefined) throw refuse(part, at, 'text with a lone surrogate');
    }
  });
  app.addHook('preHandler', async (req) => {
    if (req.routeOptions.config.access === 'ingest') return;
    for (const [part, value] of parts(req)) {
      const at = nonFinitePath(value);
      if (at !== undefined) throw refuse(part, at, 'must be a finite number');
    }
  });
}

/** One debug line per request instead of fastify's two info lines: the UI and probes poll. */
class RequestLog extends LogController {
  override incomingRequest(): void {}

  override requestCompleted(_err: unknown, req: FastifyRequest, reply: FastifyReply): void {
    const ms = Math.round(reply.elapsedTime);
    reply.log.debug(
      { method: req.method, url: withoutToken(req.url), status: reply.statusCode, ms },
      'request done',
    );
  }
}

/** The URL with the value of ?access_token= (downloads, websockets) replaced: never logged. */
export function withoutToken(url: string): string {
  return url.replace(/([?&]access_token=)[^&#]*/g, '$1[redacted]');
}
