// A member table's or export's plan from its query string and its segment: checked columns and
// sort, and the as-of time of computed fields (now, in the segment's timezone).
import type { Catalogue } from '../../engine/catalogue/types.ts';
import { timeEnv } from '../../engine/compiler/time.ts';
import { SegstreamError } from '../../engine/errors/errors.ts';
import type { SegmentRepository, SegmentVersion } from '../../engine/segments/repository.ts';
import { parseColumns, parseSort } from './columns.ts';
import type { MembersPlan } from './query.ts';

export interface PlanQuery {
  readonly columns?: readonly string[];
  readonly sort?: string;
}

export function membersPlan(
  catalogue: Catalogue,
  segment: SegmentVersion,
  query: PlanQuery,
  now: number,
): MembersPlan {
  return {
    columns: parseColumns(catalogue, query.columns),
    sort: parseSort(catalogue, query.sort),
    env: timeEnv(segment.definition.timezone, now),
  };
}

/** The segment's current version; 404 for an unknown or deleted segment. */
export async function existingSegment(
  segments: SegmentRepository,
  id: string,
): Promise<SegmentVersion> {
  const segment = await segments.get(id);
  if (!segment) throw new SegstreamError('NOT_FOUND', { path: 'id', id });
  return segment;
}
