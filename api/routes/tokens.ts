// Admin routes for API tokens: issue (the token is in the answer once and never again), list
// (no secrets), revoke.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import { SegstreamError } from '../../engine/errors/errors.ts';
import { ROLES, type Role } from '../auth/roles.ts';
import type { TokenInfo, TokenStore } from '../auth/tokens.ts';

export interface TokenRouteOptions {
  readonly tokens: TokenStore;
}

const IssueBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    role: Type.Union(ROLES.map((r) => Type.Literal(r))),
  },
  { additionalProperties: false },
);

export const tokenRoutes: FastifyPluginAsync<TokenRouteOptions> = async (app, { tokens }) => {
  app.post<{ Body: { name: string; role: Role } }>(
    '/v1/tokens',
    { config: { access: 'admin' }, schema: { body: IssueBody } },
    async (req, reply) => {
      const issued = await tokens.issue(req.body.name, req.body.role, req.principal?.name ?? '');
      return reply.code(201).send({ ...tokenView(issued), token: issued.token });
    },
  );

  const noQuery = { querystring: Type.Object({}, { additionalProperties: false }) };
  app.get('/v1/tokens', { config: { access: 'admin' }, schema: noQuery }, async () => ({
    tokens: (await tokens.list()).map(tokenView),
  }));

  app.delete<{ Params: { id: string } }>(
    '/v1/tokens/:id',
    {
      config: { access: 'admin' },
      schema: { params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }) },
    },
    async (req, reply) => {
      if (!(await tokens.revoke(req.params.id, req.principal?.name ?? ''))) {
        throw new SegstreamError('NOT_FOUND', { path: 'id', id: req.params.id });
      }
      return reply.code(204).send();
    },
  );
};

function tokenView(t: TokenInfo) {
  return {
    id: t.tokenId,
    name: t.name,
    role: t.role,
    created_at: new Date(t.createdAt).toISOString(),
    created_by: t.createdBy,
  };
}
