// GET /v1/segments/:id/explain/:playerId: why a player is or is not in a segment, condition by
// condition, with the player's values (engine/reference/explain.ts), next to what the engine's
// live membership says. The two agree once the engine has taken in the player's latest rows.
import type { FastifyPluginAsync } from 'fastify';
import type { Catalogue } from '../../engine/catalogue/types.ts';
import type { ResolvedSegment } from '../../engine/compiler/index.ts';
import type { MembershipReader } from '../../engine/membership/read.ts';
import { explainRule } from '../../engine/reference/explain.ts';
import type { ReferenceSegment } from '../../engine/reference/index.ts';
import type { Rule } from '../../engine/rules/schema.ts';
import { loadResolver } from '../../engine/segments/references.ts';
import type { SegmentRepository } from '../../engine/segments/repository.ts';
import { sqlString } from '../../engine/sql/literal.ts';
import type { Store } from '../../engine/store/clickhouse.ts';
import { loadPlayerData } from '../../engine/store/player-data.ts';
import { existingSegment } from '../members/plan.ts';
import { IdParams } from '../segments/schemas.ts';
import { Type } from '@sinclair/typebox';

export interface ExplainRouteOptions {
  readonly store: Store;
  readonly segments: SegmentRepository;
  readonly membership: MembershipReader;
  readonly catalogue: Catalogue;
  readonly now?: () => number;
}

const Params = Type.Composite([
  IdParams,
  Type.Object({ playerId: Type.String({ minLength: 1, maxLength: 200 }) }),
]);

export const explainRoutes: FastifyPluginAsync<ExplainRouteOptions> = async (app, opts) => {
  const now = opts.now ?? Date.now;

  app.get<{ Params: { id: string; playerId: string } }>(
    '/v1/segments/:id/explain/:playerId',
    { config: { access: 'edit' }, schema: { params: Params } },
    async (req) => {
      const { id, playerId } = req.params;
      const segment = await existingSegment(opts.segments, id);
      const { timezone } = segment.definition;
      // A static segment is explained as "member of its uploaded list".
      const rule: Rule = segment.definition.rule ?? {
        include: { all: [{ segment: id, op: 'in' }] },
      };
      const resolve = await loadResolver(opts.segments, rule, { path: 'rule' });
      const [data, uploadedIn, engineMember] = await Promise.all([
        loadPlayerData(opts.store, playerId),
        staticListsOf(opts.store, playerId),
        opts.membership.isMember(id, playerId),
      ]);
      const asOf = Math.floor(now() / 1000) * 1000;
      const resolveSegment = (ref: string) => toReference(ref === id ? own(segment) : resolve(ref));
      const staticSegments = staticData(playerId, uploadedIn, (ref) =>
        ref === id ? own(segment) : resolve(ref),
      );
      const explained = explainRule(
        rule,
        playerId,
        { ...data, staticSegments },
        {
          ...{ catalogue: opts.catalogue, timezone, asOf, resolveSegment },
        },
      );
      return {
        segment_id: id,
        version: segment.version,
        as_of: new Date(asOf).toISOString(),
        engine_member: engineMember,
        ...explained,
      };
    },
  );
};

function own(segment: { id: string; version: number }): ResolvedSegment {
  return { kind: 'static', id: segment.id, version: segment.version };
}

function toReference(resolved: ResolvedSegment | undefined): ReferenceSegment | undefined {
  if (!resolved) return undefined;
  return resolved.kind === 'rule'
    ? { kind: 'rule', rule: resolved.rule, timezone: resolved.timezone }
    : { kind: 'static', id: resolved.id };
}

/** (segment, version) of every uploaded list naming the player. */
async function staticListsOf(store: Store, playerId: string): Promise<Set<string>> {
  const rows = await store.rows<{ segment_id: string; version: number }>(
    `SELECT DISTINCT segment_id, version FROM static_segment_members
     WHERE player_id = ${sqlString(playerId)}`,
  );
  return new Set(rows.map((r) => `${r.segment_id}@${Number(r.version)}`));
}

/** The player in the current version's list of each static segment the rule may reach. */
function staticData(
  playerId: string,
  uploadedIn: ReadonlySet<string>,
  resolve: (id: string) => ResolvedSegment | undefined,
): Record<string, string[]> {
  const data: Record<string, string[]> = {};
  for (const key of uploadedIn) {
    const at = key.lastIndexOf('@');
    const [segment, version] = [key.slice(0, at), Number(key.slice(at + 1))];
    const resolved = resolve(segment);
    if (resolved?.kind === 'static' && resolved.version === version) data[segment] = [playerId];
  }
  return data;
}
