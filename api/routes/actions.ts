// Actions: POST /v1/segments/:id/actions binds a segment to a channel (refused for a deactivated
// segment), GET lists them per segment or all, DELETE removes one. See engine/actions/.
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Action, ActionStore } from '../../engine/actions/actions.ts';
import { ActionInput } from '../../engine/actions/schema.ts';
import { IdParams } from '../segments/schemas.ts';

export interface ActionRouteOptions {
  readonly actions: ActionStore;
}

const ListQuery = Type.Object(
  { segment: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })) },
  { additionalProperties: false },
);

export const actionRoutes: FastifyPluginAsync<ActionRouteOptions> = async (app, { actions }) => {
  app.post<{ Params: { id: string }; Body: ActionInput }>(
    '/v1/segments/:id/actions',
    { config: { access: 'edit' }, schema: { params: IdParams, body: ActionInput } },
    async (req, reply) => {
      const by = req.principal?.name ?? 'api';
      const action = await actions.create(req.params.id, req.body, by);
      req.log.info({ action_id: action.id, segment_id: action.segmentId }, 'action created');
      return reply.code(201).send(actionView(action));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/segments/:id/actions',
    { config: { access: 'read' }, schema: { params: IdParams } },
    async (req) => ({ actions: (await actions.ofSegment(req.params.id)).map(actionView) }),
  );

  app.get<{ Querystring: { segment?: string } }>(
    '/v1/actions',
    { config: { access: 'read' }, schema: { querystring: ListQuery } },
    async (req) => ({ actions: (await actions.list(req.query.segment)).map(actionView) }),
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/actions/:id',
    { config: { access: 'edit' }, schema: { params: IdParams } },
    async (req, reply) => {
      await actions.delete(req.params.id, req.principal?.name ?? 'api');
      return reply.code(204).send();
    },
  );
};

function actionView(a: Action) {
  return {
    id: a.id,
    segment_id: a.segmentId,
    segment_version: a.segmentVersion,
    name: a.name,
    type: a.type,
    channel: a.channel,
    ...a.settings,
    member_count: a.memberCount,
    suppressed_count: a.suppressedCount,
    created_at: new Date(a.createdAt).toISOString(),
    created_by: a.createdBy,
  };
}
