// PUT /v1/segments/:id/static_members: replaces the member list of a static segment with an
// uploaded CSV file of player ids (engine/segments/static-csv.ts), saved as the segment's next
// version, so the engine re-evaluates it and the version history shows the upload. GET answers
// the current list as CSV, the same shape as the upload.
import { stringify } from 'csv-stringify/sync';
import type { FastifyPluginAsync } from 'fastify';
import { SegstreamError } from '../../engine/errors/errors.ts';
import type { SegmentRepository } from '../../engine/segments/repository.ts';
import { parseStaticMembersCsv } from '../../engine/segments/static-csv.ts';
import { IdParams } from '../segments/schemas.ts';

export interface StaticMemberRouteOptions {
  readonly segments: SegmentRepository;
  /** Largest upload, bytes. 1M ids of 20 characters are about 21 MB. */
  readonly bodyLimitBytes?: number;
}

const DEFAULT_BODY_LIMIT = 64 * 2 ** 20;

export const staticMemberRoutes: FastifyPluginAsync<StaticMemberRouteOptions> = async (
  app,
  opts,
) => {
  const { segments } = opts;
  app.addContentTypeParser(['text/csv', 'text/plain'], { parseAs: 'string' }, (_r, body, done) =>
    done(null, body),
  );
  const staticSegment = async (id: string) => {
    const segment = await segments.get(id);
    if (!segment) throw new SegstreamError('NOT_FOUND', { path: 'id', id });
    if (segment.definition.rule) throw new SegstreamError('SEGMENT_NOT_STATIC', { path: 'id', id });
    return segment;
  };

  app.put<{ Params: { id: string }; Body: string }>(
    '/v1/segments/:id/static_members',
    {
      config: { access: 'edit' },
      bodyLimit: opts.bodyLimitBytes ?? DEFAULT_BODY_LIMIT,
      schema: { params: IdParams },
    },
    async (req) => {
      const segment = await staticSegment(req.params.id);
      if (typeof req.body !== 'string') {
        throw new SegstreamError('STATIC_MEMBERS_INVALID', {
          path: 'body',
          reason: 'send the file as text/csv',
        });
      }
      const ids = parseStaticMembersCsv(req.body);
      const by = req.principal?.name ?? 'api';
      const saved = await segments.update(
        segment.id,
        { ...segment.definition, static_members: ids },
        { createdBy: by },
      );
      req.log.info({ segment_id: saved.id, version: saved.version }, 'static members uploaded');
      const members = await segments.staticMembers(saved.id, saved.version);
      return { id: saved.id, version: saved.version, members: members.length };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/v1/segments/:id/static_members',
    { config: { access: 'edit' }, schema: { params: IdParams } },
    async (req, reply) => {
      const segment = await staticSegment(req.params.id);
      const members = await segments.staticMembers(segment.id, segment.version);
      reply.type('text/csv; charset=utf-8');
      // Ids exactly as stored, so the file can be uploaded again unchanged (no formula guard:
      // use export.csv for spreadsheets).
      return stringify([['player_id'], ...members.map((id) => [id])], {
        record_delimiter: 'windows',
      });
    },
  );
};
