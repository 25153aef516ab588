// Who a rule would let in and who it would let out compared with a saved segment: the players the
// rule selects that the saved segment's current version does not (entering), and the reverse
// (leaving), both evaluated in ClickHouse at the same as-of time. The saved side is compiled as a
// reference to the segment, so a rule segment, a static segment and a segment that references
// others compare alike, with every value escaped by the compiler (engine/sql).
import type { Catalogue } from '../../engine/catalogue/types.ts';
import { compileMembersQuery } from '../../engine/compiler/index.ts';
import { SegstreamError } from '../../engine/errors/errors.ts';
import type { Rule } from '../../engine/rules/schema.ts';
import { loadResolver } from '../../engine/segments/references.ts';
import type { SegmentRepository } from '../../engine/segments/repository.ts';

/** How many ids of each side an answer lists, smallest first. */
export const COMPARE_FIRST_IDS = 10;

export interface Side {
  readonly count: number;
  readonly player_ids: string[];
}

export interface Comparison {
  readonly compare_to: { readonly id: string; readonly version: number };
  readonly entering: Side;
  readonly leaving: Side;
}

export interface ComparePlan {
  readonly id: string;
  readonly version: number;
  /** Members query of the saved segment's current version. */
  readonly savedSql: string;
}

/** Compiles the saved side; 404 NOT_FOUND at body.compare_to for a missing or deleted segment. */
export async function planComparison(
  segments: SegmentRepository,
  catalogue: Catalogue,
  id: string,
  ctx: { readonly timezone: string; readonly asOf: number },
): Promise<ComparePlan> {
  const saved = await segments.get(id);
  if (!saved) throw new SegstreamError('NOT_FOUND', { path: 'body.compare_to', segment: id });
  const rule: Rule = { include: { all: [{ segment: id, op: 'in' }] } };
  const resolveSegment = await loadResolver(segments, rule, { path: 'body.compare_to' });
  const savedSql = compileMembersQuery(rule, { catalogue, ...ctx, resolveSegment });
  return { id, version: saved.version, savedSql };
}

type Run = <T>(sql: string) => Promise<T[]>;

/** Entering and leaving of `ruleSql` against the plan, each a count and the first ids. */
export async function compare(plan: ComparePlan, ruleSql: string, run: Run): Promise<Comparison> {
  const [entering, leaving] = await Promise.all([
    side(ruleSql, plan.savedSql, run),
    side(plan.savedSql, ruleSql, run),
  ]);
  return { compare_to: { id: plan.id, version: plan.version }, entering, leaving };
}

/** Members of `from` that are not members of `without`. */
async function side(from: string, without: string, run: Run): Promise<Side> {
  const difference = `SELECT player_id FROM (\n${from}\n)\nWHERE player_id NOT IN (\n${without}\n)`;
  const [count, ids] = await Promise.all([
    run<{ count: number }>(`SELECT count() AS count FROM (\n${difference}\n)`),
    run<{ player_id: string }>(`${difference}\nORDER BY player_id\nLIMIT ${COMPARE_FIRST_IDS}`),
  ]);
  return { count: Number(count[0]?.count ?? 0), player_ids: ids.map((r) => r.player_id) };
}
