// Reading membership: which segments a player is in and whether a player is a member (Redis,
// one script call each), a segment's recent transitions and its size over time (ClickHouse).
import type { FastifyPluginAsync } from 'fastify';
import type { MembershipReader } from '../../engine/membership/read.ts';
import type { SegmentRepository } from '../../engine/segments/repository.ts';
import type { Store } from '../../engine/store/clickhouse.ts';
import { seriesRange, sizeSeries, STEP_MS, type Step } from '../members/history.ts';
import { existingSegment } from '../members/plan.ts';
import { HistoryQuery, MemberParams, PlayerParams, TransitionsQuery } from '../members/schemas.ts';
import { isoTime, parseTime } from '../members/time.ts';
import { recentTransitions } from '../members/transitions.ts';
import { IdParams } from '../segments/schemas.ts';

export interface MembershipRouteOptions {
  readonly store: Store;
  readonly segments: SegmentRepository;
  readonly membership: MembershipReader;
  /** Default end of history ranges; Date.now by default. */
  readonly now?: () => number;
}

/** History covers this much before `to` when `from` is not given: 24 hours or 7 days. */
const DEFAULT_SPAN: Readonly<Record<Step, number>> = {
  minute: 1_440 * STEP_MS.minute,
  hour: 168 * STEP_MS.hour,
};

export const membershipRoutes: FastifyPluginAsync<MembershipRouteOptions> = async (app, opts) => {
  const { store, segments, membership } = opts;
  const now = opts.now ?? Date.now;

  app.get<{ Params: { id: string } }>(
    '/v1/players/:id/segments',
    { config: { access: 'read' }, schema: { params: PlayerParams } },
    async (req) => {
      const ids = new Set(await membership.segmentsOf(req.params.id));
      // A deleted segment keeps its bitmap until the engine removed its members: not shown.
      const current = (await segments.listCurrent()).filter((s) => ids.has(s.id));
      return {
        player_id: req.params.id,
        segments: current
          .map((s) => ({ id: s.id, name: s.definition.name }))
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0)),
      };
    },
  );

  app.get<{ Params: { id: string; playerId: string } }>(
    '/v1/segments/:id/members/:playerId',
    { config: { access: 'read' }, schema: { params: MemberParams } },
    async (req) => {
      const segment = await existingSegment(segments, req.params.id);
      return { member: await membership.isMember(segment.id, req.params.playerId) };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { since?: string; limit: number } }>(
    '/v1/segments/:id/transitions',
    { config: { access: 'read' }, schema: { params: IdParams, querystring: TransitionsQuery } },
    async (req) => {
      const segment = await existingSegment(segments, req.params.id);
      const since = parseTime(req.query.since, 'query.since');
      const rows = await recentTransitions(store, segment.id, since, req.query.limit);
      return { transitions: rows };
    },
  );

  app.get<{ Params: { id: string }; Querystring: { from?: string; to?: string; step: Step } }>(
    '/v1/segments/:id/history',
    { config: { access: 'read' }, schema: { params: IdParams, querystring: HistoryQuery } },
    async (req) => {
      const segment = await existingSegment(segments, req.params.id);
      const { step } = req.query;
      const to = parseTime(req.query.to, 'query.to') ?? now();
      const from = parseTime(req.query.from, 'query.from') ?? to - DEFAULT_SPAN[step];
      const range = seriesRange(from, to, step);
      const history = await membership.history(segment.id, range.from, range.to);
      return {
        step,
        from: isoTime(range.from),
        to: isoTime(range.to),
        points: sizeSeries(history, range, step).map((p) => ({ ...p, at: isoTime(p.at) })),
      };
    },
  );
};
