// Segments: list (what dashboards pull), get, create, update (a new version), history of versions,
// clone, activate / deactivate, delete. Definitions are validated by the rules layer, which names
// the path of the bad part (rule.include.all[2].window.unit); these routes add who saved it and
// what the engine says about each segment.
import type { FastifyPluginAsync } from 'fastify';
import type { Catalogue } from '../../engine/catalogue/types.ts';
import { SegstreamError } from '../../engine/errors/errors.ts';
import type { MembershipReader } from '../../engine/membership/read.ts';
import type { SuppressedCounter } from '../../engine/membership/suppressed.ts';
import type { SegmentRepository, SegmentVersion } from '../../engine/segments/repository.ts';
import { sqlString } from '../../engine/sql/literal.ts';
import type { Store } from '../../engine/store/clickhouse.ts';
import { latestRows } from '../../engine/store/versioned.ts';
import { matchesFilter, segmentView, type SegmentFilter } from '../segments/view.ts';
import { IdParams, ListQuery, SegmentBody, SegmentPatch, CloneBody } from '../segments/schemas.ts';

export interface SegmentRouteOptions {
  readonly store: Store;
  readonly segments: SegmentRepository;
  readonly membership: MembershipReader;
  readonly suppressed: SuppressedCounter;
  readonly catalogue: Catalogue;
}

interface ListQueryValue extends SegmentFilter {
  readonly limit: number;
  readonly offset: number;
}

// Definitions are checked by validateSegmentDefinition (coded errors with the path of the bad
// part); the route schemas describe them for OpenAPI but do not validate them a second time.
const DOCUMENTED_ONLY = { validatorCompiler: () => () => true } as const;

export const segmentRoutes: FastifyPluginAsync<SegmentRouteOptions> = async (app, opts) => {
  const { segments, membership, catalogue, suppressed } = opts;
  const view = async (segment: SegmentVersion) => {
    const [status, counts] = await Promise.all([
      membership.status(segment.id),
      suppressed.counts([segment.id]),
    ]);
    return segmentView(segment, status, catalogue, counts.get(segment.id));
  };
  const current = async (id: string) => {
    const segment = await segments.get(id);
    if (!segment) throw new SegstreamError('NOT_FOUND', { path: 'id', id });
    return segment;
  };
  const by = (req: { principal?: { name: string } }) => req.principal?.name ?? 'api';

  app.get<{ Querystring: ListQueryValue }>(
    '/v1/segments',
    { config: { access: 'read' }, schema: { querystring: ListQuery } },
    async (req) => {
      const { limit, offset, ...filter } = req.query;
      const all = (await segments.listCurrent())
        .filter((s) => matchesFilter(s, filter))
        .sort((a, b) => a.definition.name.localeCompare(b.definition.name) || cmp(a.id, b.id));
      const statuses = new Map((await membership.statuses()).map((s) => [s.segment, s]));
      const page = all.slice(offset, offset + limit);
      const counts = await suppressed.counts(page.map((s) => s.id));
      return {
        total: all.length,
        limit,
        offset,
        segments: page.map((s) => segmentView(s, statuses.get(s.id), catalogue, counts.get(s.id))),
      };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/segments/:id',
    { config: { access: 'read' }, schema: { params: IdParams } },
    async (req) => view(await current(req.params.id)),
  );

  app.post(
    '/v1/segments',
    { config: { access: 'edit' }, schema: { body: SegmentBody }, ...DOCUMENTED_ONLY },
    async (req, reply) => {
      const saved = await segments.create(req.body, { createdBy: by(req) });
      return reply.code(201).send(await view(saved));
    },
  );

  app.put<{ Params: { id: string } }>(
    '/v1/segments/:id',
    {
      config: { access: 'edit' },
      schema: { params: IdParams, body: SegmentBody },
      ...DOCUMENTED_ONLY,
    },
    async (req) => view(await segments.update(req.params.id, req.body, { createdBy: by(req) })),
  );

  app.patch<{ Params: { id: string }; Body: Record<string, unknown> }>(
    '/v1/segments/:id',
    { config: { access: 'edit' }, schema: { params: IdParams, body: SegmentPatch } },
    async (req) => {
      const segment = await current(req.params.id);
      const members = await staticMembersOf(segments, segment);
      const next = { ...segment.definition, ...req.body, ...members };
      return view(await segments.update(segment.id, next, { createdBy: by(req) }));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/segments/:id/versions',
    { config: { access: 'read' }, schema: { params: IdParams } },
    async (req) => {
      const versions = await segments.listVersions(req.params.id);
      if (versions.length === 0) throw new SegstreamError('NOT_FOUND', { path: 'id' });
      return {
        versions: versions.map((v) => ({
          version: v.version,
          created_at: new Date(v.createdAt).toISOString(),
          created_by: v.createdBy,
          deleted: v.deleted,
          definition: v.definition,
        })),
      };
    },
  );

  app.post<{ Params: { id: string }; Body: { name?: string } }>(
    '/v1/segments/:id/clone',
    { config: { access: 'edit' }, schema: { params: IdParams, body: CloneBody } },
    async (req, reply) => {
      const source = await current(req.params.id);
      const name = req.body?.name ?? `Copy of ${source.definition.name}`.slice(0, 200);
      const members = await staticMembersOf(segments, source);
      const copy = { ...source.definition, ...members, name };
      const saved = await segments.create(copy, { createdBy: by(req) });
      return reply.code(201).send(await view(saved));
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/v1/segments/:id',
    { config: { access: 'edit' }, schema: { params: IdParams } },
    async (req, reply) => {
      const segment = await current(req.params.id);
      const check = async () => {
        const [users, actions] = await Promise.all([
          segments.dependents(segment.id),
          boundActions(opts.store, segment.id),
        ]);
        if (users.length > 0 || actions.length > 0) {
          throw new SegstreamError('SEGMENT_IN_USE', { path: 'id', segments: users, actions });
        }
      };
      await segments.delete(segment.id, { createdBy: by(req), check });
      return reply.code(204).send();
    },
  );
};

/** A static segment's members, to carry into its next version or its clone. */
async function staticMembersOf(segments: SegmentRepository, segment: SegmentVersion) {
  if (segment.definition.rule) return {};
  return { static_members: await segments.staticMembers(segment.id, segment.version) };
}

/** Ids of the actions (not deleted) bound to a segment. */
async function boundActions(store: Store, segmentId: string): Promise<string[]> {
  const where = `segment_id = ${sqlString(segmentId)}`;
  type Row = { action_id: string; deleted: number };
  const rows = await latestRows<Row>(store, 'actions', 'action_id', 'action_id', where);
  return rows.map((r) => r.action_id);
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
