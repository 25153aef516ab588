// Bearer-token checks for every route that names the access it needs in its config:
//   app.get('/v1/segments', { config: { access: 'read' } }, handler)
// A route without `access` is public (/health, /ready, the UI's files). Missing or unknown
// tokens get 401 with WWW-Authenticate; a known token without the access gets 403.
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { SegstreamError } from '../../engine/errors/errors.ts';
import { allows, type Access } from './roles.ts';
import type { TicketPurpose, TicketStore } from './tickets.ts';
import { bearerToken, type Principal, type TokenStore } from './tokens.ts';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The access a caller's token must grant; public when absent. */
    access?: Access;
    /** Accept the token as ?access_token= too (websocket, download links). */
    tokenInQuery?: boolean;
    /** Accept a single-use ticket of this purpose as ?ticket= (what the UI sends instead). */
    ticket?: TicketPurpose;
  }
  interface FastifyRequest {
    /** Who is calling; set on routes that need access. */
    principal?: Principal;
  }
}

/** A route and the access it needs, as recorded when it was registered. */
export interface ProtectedRoute {
  readonly method: string;
  readonly url: string;
  readonly access: Access;
}

/** The routes of an app, as recorded when they were registered. */
export interface RouteAccess {
  /** Routes that need a token, with the access each needs. */
  readonly protectedRoutes: ProtectedRoute[];
  /** `METHOD url` of every public route (the auth tests check that each is meant to be). */
  readonly publicRoutes: string[];
}

/**
 * Checks tokens on every route registered after this call; returns the routes, filled as they
 * are registered (the auth tests walk them, so no route escapes them).
 */
/** What identifies callers: their bearer tokens and the tickets issued for them. */
export interface Credentials {
  readonly tokens: TokenStore;
  /** Without it no route takes a ticket. */
  readonly tickets?: TicketStore;
}

export function installAuth(app: FastifyInstance, credentials: Credentials): RouteAccess {
  const routes: RouteAccess = { protectedRoutes: [], publicRoutes: [] };
  app.addHook('onRoute', (route) => {
    const access = route.config?.access;
    for (const method of [route.method].flat()) {
      if (method === 'HEAD') continue;
      if (access === undefined) routes.publicRoutes.push(`${method} ${route.url}`);
      else routes.protectedRoutes.push({ method, url: route.url, access });
    }
  });
  app.decorateRequest('principal', undefined);
  app.addHook('onRequest', async (req) => {
    const access = req.routeOptions.config.access;
    if (access === undefined) return;
    req.principal = await authorize(req, credentials, access);
  });
  return routes;
}

export async function authorize(
  req: FastifyRequest,
  credentials: Credentials,
  access: Access,
): Promise<Principal> {
  return permitted(await identify(req, credentials), access);
}

/**
 * authorize() again for a request already let in (a live socket's heartbeat). A ticket is gone
 * once used, so a socket opened with one is checked through the token the ticket was issued for:
 * revoking that token still closes it.
 */
export async function reauthorize(
  req: FastifyRequest,
  credentials: Credentials,
  access: Access,
): Promise<Principal> {
  const opened = req.principal;
  if (opened === undefined || !ticketUsed.has(req)) return authorize(req, credentials, access);
  const principal = await credentials.tokens.principalOf(opened.tokenId);
  if (!principal) throw new SegstreamError('AUTH_INVALID', { field: 'query.ticket' });
  return permitted(principal, access);
}

/** Requests let in by a ticket (see reauthorize). */
const ticketUsed = new WeakSet<FastifyRequest>();

async function identify(req: FastifyRequest, { tokens, tickets }: Credentials): Promise<Principal> {
  const token = bearerToken(req.headers.authorization) ?? queryToken(req);
  if (token !== undefined) {
    const principal = await tokens.authenticate(token);
    if (!principal) throw new SegstreamError('AUTH_INVALID', { field: 'authorization' });
    return principal;
  }
  const purpose = req.routeOptions.config.ticket;
  const ticket = purpose === undefined ? undefined : queryValue(req, 'ticket');
  if (ticket === undefined || purpose === undefined || tickets === undefined) {
    throw new SegstreamError('AUTH_REQUIRED', { field: 'authorization' });
  }
  const principal = await tickets.redeem(ticket, purpose);
  if (!principal) {
    const reason = 'unknown, expired, already used or issued for another purpose';
    throw new SegstreamError('AUTH_INVALID', { field: 'query.ticket', reason });
  }
  ticketUsed.add(req);
  return principal;
}

function permitted(principal: Principal, access: Access): Principal {
  if (!allows(principal.role, access)) {
    throw new SegstreamError('AUTH_FORBIDDEN', { role: principal.role, access });
  }
  return principal;
}

/**
 * Browsers cannot set headers on a websocket or a download link, so those two may carry the
 * token as `?access_token=` (RFC 6750 §2.3). Nothing else accepts it.
 */
function queryToken(req: FastifyRequest): string | undefined {
  return req.routeOptions.config.tokenInQuery ? queryValue(req, 'access_token') : undefined;
}

function queryValue(req: FastifyRequest, name: string): string | undefined {
  const value = (req.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
