// GET /v1/live: live member counts over a websocket (protocol in docs/api.md "Live counts").
// The token is checked like on every route, before the upgrade (401 / 403 as HTTP answers);
// browsers send it as ?access_token= or, as the UI does, a single-use ?ticket=. Each API process
// has one hub (one Redis subscriber) that fans the engine's changes out to its sockets; several
// processes each get every change.
import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import type { LiveConfig } from '../../engine/config/config.ts';
import { SegstreamError } from '../../engine/errors/errors.ts';
import { reauthorize, type Credentials } from '../auth/plugin.ts';
import { LiveHub } from '../live/hub.ts';
import type { LiveSockets } from '../live/sockets.ts';
import { LiveSession } from '../live/session.ts';

export interface LiveRouteOptions {
  readonly redis: Redis;
  /** REDIS_PREFIX (not `prefix`: fastify reads that as a route prefix). */
  readonly redisPrefix: string;
  /** Checks each socket's token again on every heartbeat, so revoking a token closes it. */
  readonly credentials: Credentials;
  readonly settings: LiveConfig;
  /** The websocket layer, registered on the root app before the auth hook. */
  readonly sockets: LiveSockets;
  /** The process's hub; by default one is made here and closed with the app. */
  readonly hub?: LiveHub;
}

export const liveRoutes: FastifyPluginAsync<LiveRouteOptions> = async (app, opts) => {
  const { settings, credentials, sockets } = opts;
  const hub = opts.hub ?? new LiveHub(opts.redis, opts.redisPrefix, app.log);
  hub.start();
  if (!opts.hub) app.addHook('onClose', async () => hub.close());

  const heartbeats = setInterval(() => {
    for (const session of sockets.sessions) session.heartbeat();
  }, settings.heartbeatMs);
  heartbeats.unref();
  app.addHook('preClose', async () => clearInterval(heartbeats));

  app.route({
    method: 'GET',
    url: '/v1/live',
    config: { access: 'read', tokenInQuery: true, ticket: 'live' },
    handler: async () => {
      throw new SegstreamError('LIVE_UPGRADE_REQUIRED', { field: 'upgrade' });
    },
    wsHandler: (socket, req) => {
      const log = req.log.child({ tokenId: req.principal?.tokenId });
      const session = new LiveSession({
        socket,
        hub,
        limits: settings,
        log,
        reauthorize: () => reauthorize(req, credentials, 'read'),
        onEnd: (ended) => sockets.sessions.delete(ended),
      });
      sockets.sessions.add(session);
      log.debug('live socket opened');
    },
  });
};
