// Retention lists: read by everyone who reads segments, changed by admins; a list that segments
// are bound to cannot be deleted (409 with those segments). See engine/actions/retention-lists.ts.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { RetentionList, RetentionListStore } from '../../engine/actions/retention-lists.ts';
import { SegstreamError } from '../../engine/errors/errors.ts';
import type { SegmentRepository } from '../../engine/segments/repository.ts';
import { IdParams } from '../segments/schemas.ts';

export interface RetentionListRouteOptions {
  readonly lists: RetentionListStore;
  readonly segments: SegmentRepository;
}

const ListBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 5_000 })),
  },
  { additionalProperties: false },
);
type ListBody = Static<typeof ListBody>;

export const retentionListRoutes: FastifyPluginAsync<RetentionListRouteOptions> = async (
  app,
  { lists, segments },
) => {
  const existing = async (id: string) => {
    const list = await lists.get(id);
    if (!list) throw new SegstreamError('NOT_FOUND', { path: 'id', id });
    return list;
  };

  app.get('/v1/retention-lists', { config: { access: 'read' } }, async () => ({
    lists: (await lists.list()).map(listView),
  }));

  app.get<{ Params: { id: string } }>(
    '/v1/retention-lists/:id',
    { config: { access: 'read' }, schema: { params: IdParams } },
    async (req) => listView(await existing(req.params.id)),
  );

  app.post<{ Body: ListBody }>(
    '/v1/retention-lists',
    { config: { access: 'admin' }, schema: { body: ListBody } },
    async (req, reply) => reply.code(201).send(listView(await lists.create(req.body))),
  );

  app.put<{ Params: { id: string }; Body: ListBody }>(
    '/v1/retention-lists/:id',
    { config: { access: 'admin' }, schema: { params: IdParams, body: ListBody } },
    async (req) => listView(await lists.update(req.params.id, req.body)),
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/retention-lists/:id',
    { config: { access: 'admin' }, schema: { params: IdParams } },
    async (req, reply) => {
      const list = await existing(req.params.id);
      const bound = (await segments.listCurrent())
        .filter((s) => (s.definition.retention_lists ?? []).includes(list.id))
        .map((s) => s.id);
      if (bound.length > 0) {
        throw new SegstreamError('RETENTION_LIST_IN_USE', { path: 'id', segments: bound });
      }
      await lists.delete(list.id);
      return reply.code(204).send();
    },
  );
};

function listView(l: RetentionList) {
  return {
    id: l.id,
    name: l.name,
    description: l.description,
    updated_at: new Date(l.updatedAt).toISOString(),
  };
}
