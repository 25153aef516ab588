// A segment's members as a table (pages of rows with the chosen Players columns) and as a CSV
// export of the same rows in the same order. Both read the engine's current membership: one
// snapshot of the segment's bitmap in Redis per request (api/members/snapshot.ts), so a page's
// `count` is exactly the number of rows all its pages hold.
import type { FastifyPluginAsync } from 'fastify';
import type { Redis } from 'ioredis';
import type { Catalogue } from '../../engine/catalogue/types.ts';
import { membershipKeys } from '../../engine/membership/keys.ts';
import { summarizeRule } from '../../engine/rules/summary.ts';
import type { SegmentRepository } from '../../engine/segments/repository.ts';
import type { Store } from '../../engine/store/clickhouse.ts';
import { perMinute } from '../guards.ts';
import { exportCsv } from '../members/export.ts';
import { existingSegment, membersPlan, type PlanQuery } from '../members/plan.ts';
import { membersSql, querySettings, type MembersPlan, type Page } from '../members/query.ts';
import { memberRow } from '../members/rows.ts';
import { ExportQuery, MembersQuery } from '../members/schemas.ts';
import { memberCondition, readSnapshot, type MemberSnapshot } from '../members/snapshot.ts';
import { IdParams } from '../segments/schemas.ts';

export interface MemberRouteOptions {
  readonly store: Store;
  readonly redis: Redis;
  /** REDIS_PREFIX (not `prefix`: fastify takes that option as a route prefix). */
  readonly redisPrefix: string;
  readonly segments: SegmentRepository;
  readonly catalogue: Catalogue;
  /** Clock of computed fields (age); Date.now by default. */
  readonly now?: () => number;
  /** Exports per minute per token (API_EXPORT_PER_MINUTE); unlimited when absent. */
  readonly exportPerMinute?: number;
}

type MembersQueryValue = PlanQuery & Page;
type ExportQueryValue = PlanQuery & { bom?: '0' | '1' | 'false' | 'true' };

export const memberRoutes: FastifyPluginAsync<MemberRouteOptions> = async (app, opts) => {
  const { store, redis, segments, catalogue } = opts;
  const keys = membershipKeys(opts.redisPrefix);
  const now = opts.now ?? Date.now;
  const prepare = async (id: string, query: PlanQuery) => {
    const segment = await existingSegment(segments, id);
    const plan = membersPlan(catalogue, segment, query, now());
    const rule = segment.definition.rule;
    const summary = rule ? summarizeRule(rule, catalogue) : 'Uploaded list of players';
    return { plan, summary, snapshot: await readSnapshot(redis, keys, id) };
  };

  app.get<{ Params: { id: string }; Querystring: MembersQueryValue }>(
    '/v1/segments/:id/members',
    { config: { access: 'edit' }, schema: { params: IdParams, querystring: MembersQuery } },
    async (req) => {
      const { limit, offset } = req.query;
      const { plan, snapshot } = await prepare(req.params.id, req.query);
      return {
        count: snapshot.count,
        seq: snapshot.seq,
        limit,
        offset,
        columns: plan.columns.map((c) => c.field.name),
        sort: `${plan.sort.field.name}:${plan.sort.direction}`,
        members: await memberPage(store, plan, snapshot, { limit, offset }),
      };
    },
  );

  app.get<{ Params: { id: string }; Querystring: ExportQueryValue }>(
    '/v1/segments/:id/export.csv',
    {
      config: {
        ...{ access: 'edit', tokenInQuery: true, ticket: 'export' },
        ...(opts.exportPerMinute ? perMinute(opts.exportPerMinute) : {}),
      },
      schema: { params: IdParams, querystring: ExportQuery },
    },
    async (req, reply) => {
      const { plan, snapshot, summary } = await prepare(req.params.id, req.query);
      req.log.info(
        { segment_id: req.params.id, members: snapshot.count, summary },
        'segment exported',
      );
      // A client that goes away stops the ClickHouse query too.
      const abort = new AbortController();
      reply.raw.on('close', () => {
        if (!reply.raw.writableFinished) abort.abort();
      });
      const bom = req.query.bom === '1' || req.query.bom === 'true';
      const members = memberCondition(snapshot.bits);
      const opts = { bom, signal: abort.signal, log: req.log };
      const body = await exportCsv(store, plan, snapshot, members, opts);
      return (
        reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="segment-${req.params.id}.csv"`)
          .header('cache-control', 'no-store')
          // What the file holds, for the record: percent-encoded UTF-8 (headers are ASCII), and
          // bounded, as a rule of thousands of ids would overflow clients' header limits.
          .header('segstream-rule-summary', encodeURIComponent(bounded(summary)))
          .send(body)
      );
    },
  );
};

async function memberPage(store: Store, plan: MembersPlan, snapshot: MemberSnapshot, page: Page) {
  const members = memberCondition(snapshot.bits);
  if (members === undefined || page.offset >= snapshot.count) return [];
  const sql = membersSql(plan, members, 'json', page);
  const rows = await store.rows<Record<string, unknown>>(sql, { settings: querySettings(sql) });
  return rows.map((row) => memberRow(plan.columns, row));
}

/** Summaries in headers stop at this many characters, with an ellipsis. */
const SUMMARY_HEADER_CHARS = 500;

function bounded(text: string): string {
  const chars = [...text];
  return chars.length <= SUMMARY_HEADER_CHARS
    ? text
    : `${chars.slice(0, SUMMARY_HEADER_CHARS - 1).join('')}…`;
}
