// What every API process puts in front of its routes: security headers (@fastify/helmet), rate
// limits for the costly routes (@fastify/rate-limit, per token, opted into by each route) and the
// OpenAPI description of every route with its JSON schema, served at /docs.
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SegstreamError } from '../engine/errors/errors.ts';

export async function installGuards(app: FastifyInstance): Promise<void> {
  await app.register(helmet, {
    // The built UI and /docs load their scripts and styles from this origin only.
    contentSecurityPolicy: {
      directives: { 'script-src': ["'self'"], 'img-src': ["'self'", 'data:'] },
    },
  });
  await app.register(rateLimit, {
    global: false,
    keyGenerator: rateKey,
    errorResponseBuilder: (_req, ctx) =>
      new SegstreamError('RATE_LIMITED', { limit: ctx.max, retry_after: ctx.after }),
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: 'Segstream API',
        description: 'Segments, members, live counts and ingest. See docs/api.md.',
        version: '0.1.0',
      },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
      security: [{ bearer: [] }],
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
}

/**
 * A limit per token, so that one builder's previews never slow another's. The token itself is
 * the key, however the header spells the scheme ("bearer  x" is the same token as "Bearer x").
 */
function rateKey(req: FastifyRequest): string {
  const header = /^\s*bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '')?.[1];
  const query = (req.query as Record<string, unknown> | undefined)?.access_token;
  const token = header ?? (typeof query === 'string' ? query : undefined);
  return token === undefined ? `ip:${req.ip}` : `token:${token}`;
}

/** Route config of a route limited to `perMinute` requests per minute per token. */
export function perMinute(perMinute: number) {
  return { rateLimit: { max: perMinute, timeWindow: 60_000 } };
}
