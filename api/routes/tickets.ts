// POST /v1/tickets: a single-use ticket for a download link or the live websocket, so that the
// UI never puts its bearer token in a URL (api/auth/tickets.ts).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { TICKET_PURPOSES, type TicketPurpose, type TicketStore } from '../auth/tickets.ts';

export interface TicketRouteOptions {
  readonly tickets: TicketStore;
}

const TicketBody = Type.Object(
  { purpose: Type.Union(TICKET_PURPOSES.map((p) => Type.Literal(p))) },
  { additionalProperties: false },
);

export const ticketRoutes: FastifyPluginAsync<TicketRouteOptions> = async (app, { tickets }) => {
  app.post<{ Body: { purpose: TicketPurpose } }>(
    '/v1/tickets',
    { config: { access: 'any' }, schema: { body: TicketBody } },
    async (req, reply) => {
      // The auth hook has set the principal on every route that names an access.
      const issued = await tickets.issue(req.principal!, req.body.purpose);
      return reply.code(201).send({ ticket: issued.ticket, expires_in_ms: issued.expiresInMs });
    },
  );
};
