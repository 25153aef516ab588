// POST /v1/segments/preview: what a rule would select right now, without saving it — the exact
// member count, the first members, the compiled SQL and the time taken. The rule builder calls it
// on every pause in typing; a newer preview from the same client cancels the older one, in
// ClickHouse too (api/preview/sessions.ts). With `compare_to`, it also tells who would enter and
// who would leave compared with that saved segment (api/preview/compare.ts).
import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsync } from 'fastify';
import type { Histogram } from 'prom-client';
import type { Catalogue } from '../../engine/catalogue/types.ts';
import { compileMembersQuery } from '../../engine/compiler/index.ts';
import { timeEnv } from '../../engine/compiler/time.ts';
import { SegstreamError } from '../../engine/errors/errors.ts';
import { MAX_TIME_MS } from '../../engine/ingest/schema.ts';
import { summarizeRule } from '../../engine/rules/summary.ts';
import { checkTimezone, validateRule } from '../../engine/rules/validate.ts';
import { loadResolver } from '../../engine/segments/references.ts';
import type { SegmentRepository } from '../../engine/segments/repository.ts';
import { cancellable } from '../../engine/store/cancellable.ts';
import type { Store } from '../../engine/store/clickhouse.ts';
import { perMinute } from '../guards.ts';
import { parseColumns, parseSort } from '../members/columns.ts';
import type { MembersPlan } from '../members/query.ts';
import { memberRow } from '../members/rows.ts';
import { compare, planComparison } from '../preview/compare.ts';
import { previewPage, type CompileRule, type Runner } from '../preview/page.ts';
import { PreviewSessions } from '../preview/sessions.ts';

export interface PreviewRouteOptions {
  readonly store: Store;
  readonly segments: SegmentRepository;
  readonly catalogue: Catalogue;
  /** Longest a preview may run before it is cancelled, milliseconds. */
  readonly timeoutMs?: number;
  readonly now?: () => number;
  /** Previews per minute per token (API_PREVIEW_PER_MINUTE); unlimited when absent. */
  readonly perMinute?: number;
  /** Observes each answered preview's duration, seconds (metrics). */
  readonly seconds?: Histogram;
}

const PreviewBody = Type.Object(
  {
    rule: Type.Unknown({ description: 'A rule (docs/rules.md); validated with paths under rule' }),
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    as_of: Type.Optional(Type.String({ format: 'date-time' })),
    /** How many members to return besides the count. */
    limit: Type.Optional(Type.Integer({ minimum: 0, maximum: 100, default: 20 })),
    /** Players fields of the rows, after player_id (as GET …/members); player_id alone by default. */
    columns: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 100 }),
    ),
    /** `field`, `field:asc` or `field:desc` (as GET …/members); player_id ascending by default. */
    sort: Type.Optional(Type.String({ minLength: 1, maxLength: 120 })),
    /** Tells apart several builders open with one token; previews cancel within one client. */
    client: Type.Optional(Type.String({ maxLength: 100, default: '' })),
    /** A saved segment: the answer adds who would enter and who would leave compared with it. */
    compare_to: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  { additionalProperties: false },
);

interface PreviewRequest {
  rule: unknown;
  timezone?: string;
  as_of?: string;
  limit: number;
  columns?: string[];
  sort?: string;
  client: string;
  compare_to?: string;
}

const DEFAULT_TIMEOUT_MS = 30_000;

export const previewRoutes: FastifyPluginAsync<PreviewRouteOptions> = async (app, opts) => {
  const sessions = new PreviewSessions();
  const now = opts.now ?? Date.now;
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;

  app.post<{ Body: PreviewRequest }>(
    '/v1/segments/preview',
    {
      config: { access: 'edit', ...(opts.perMinute ? perMinute(opts.perMinute) : {}) },
      schema: { body: PreviewBody },
    },
    async (req) => {
      const started = performance.now();
      const { body } = req;
      const rule = validateRule(body.rule, opts.catalogue, 'rule');
      const timezone = checkTimezone(body.timezone ?? opts.segments.defaultTimezone);
      const asOf = body.as_of === undefined ? now() : checkAsOf(body.as_of);
      const resolveSegment = await loadResolver(opts.segments, rule, { path: 'rule' });
      const compile: CompileRule = (columns) =>
        compileMembersQuery(
          rule,
          { catalogue: opts.catalogue, timezone, asOf, resolveSegment },
          columns,
        );
      const sql = compile();

      const comparePlan =
        body.compare_to === undefined
          ? undefined
          : await planComparison(opts.segments, opts.catalogue, body.compare_to, {
              timezone,
              asOf,
            });
      const plan: MembersPlan = {
        columns: parseColumns(opts.catalogue, body.columns ?? [], 'body'),
        sort: parseSort(opts.catalogue, body.sort, 'body'),
        env: timeEnv(timezone, asOf),
      };

      const client = `${req.principal?.tokenId ?? ''}\u0000${body.client}`;
      const controller = sessions.start(client);
      const signal = AbortSignal.any([controller.signal, AbortSignal.timeout(timeoutMs)]);
      try {
        const runner: Runner = (fn) => cancellable(opts.store, signal, 'preview', fn);
        const run = <T>(text: string) => runner((q) => opts.store.rows<T>(text, q));
        const [page, comparison] = await Promise.all([
          previewPage(opts.store, runner, plan, compile, body.limit),
          comparePlan && compare(comparePlan, sql, run),
        ]);
        opts.seconds?.observe((performance.now() - started) / 1000);
        return {
          count: page.count,
          columns: plan.columns.map((c) => c.field.name),
          sort: `${plan.sort.field.name}:${plan.sort.direction}`,
          members: page.rows.map((row) => memberRow(plan.columns, row)),
          summary: summarizeRule(rule, opts.catalogue),
          sql,
          as_of: new Date(Math.floor(asOf / 1000) * 1000).toISOString(),
          ...comparison,
          took_ms: Math.round(performance.now() - started),
        };
      } catch (err) {
        if (controller.signal.aborted) throw new SegstreamError('PREVIEW_SUPERSEDED', {});
        if (signal.aborted) {
          throw new SegstreamError('PREVIEW_TIMEOUT', { timeout_ms: timeoutMs });
        }
        throw err;
      } finally {
        sessions.finish(client, controller);
      }
    },
  );
};

/** DateTime('UTC') holds 1970 to 2106; a leap second (23:59:60) is no time JavaScript reads. */
function checkAsOf(text: string): number {
  const ms = Date.parse(text);
  if (!Number.isFinite(ms) || ms < 0 || ms > MAX_TIME_MS) {
    throw new SegstreamError('VALIDATION_FAILED', {
      path: 'body/as_of',
      reason: 'must be a date-time from 1970 to 2106',
    });
  }
  return ms;
}
