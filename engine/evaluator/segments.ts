// The segments the engine evaluates, from the repository's current versions. A rule segment is
// evaluated by its rule; a static segment by a rule that references it (its members are the
// uploaded ids that have a profile), so both go through the same batch query.
import type { BatchSegment, ResolvedSegment } from '../compiler/index.ts';
import type { Rule } from '../rules/schema.ts';
import { dependents, toResolved } from '../segments/references.ts';
import type { SegmentVersion } from '../segments/repository.ts';

export interface EngineSegment {
  readonly id: string;
  readonly version: number;
  /** False when the definition says `active: false`: the segment then has no members. */
  readonly active: boolean;
  /** What the batch query evaluates for this segment. */
  readonly batch: BatchSegment;
}

export interface SegmentCatalog {
  /** Every current segment (not deleted), by id. */
  readonly segments: ReadonlyMap<string, EngineSegment>;
  /** The compiler's resolver over the current segments. */
  resolve(id: string): ResolvedSegment | undefined;
  /** Ids of current segments that use `id`, directly or through others. */
  dependents(id: string): Promise<string[]>;
}

export function segmentCatalog(current: readonly SegmentVersion[]): SegmentCatalog {
  const resolved = new Map(current.map((s) => [s.id, toResolved(s)]));
  const segments = new Map(current.map((s) => [s.id, engineSegment(s)]));
  return {
    segments,
    resolve: (id) => resolved.get(id),
    dependents: (id) => dependents({ listCurrent: async () => [...current] }, id),
  };
}

function engineSegment(s: SegmentVersion): EngineSegment {
  const { rule, timezone, active } = s.definition;
  return {
    id: s.id,
    version: s.version,
    active: active !== false,
    batch: rule ? { id: s.id, rule, timezone } : staticBatch(s.id),
  };
}

/**
 * A static segment as a rule: "member of the static segment". Its batch id cannot be a segment
 * id (`:` is not allowed in ids), so the reference is never mistaken for a reference to a flag
 * of the batch and always reads the uploaded members.
 */
function staticBatch(id: string): BatchSegment {
  const rule: Rule = { include: { all: [{ segment: id, op: 'in' }] } };
  return { id: `static:${id}`, rule, timezone: 'UTC' };
}
