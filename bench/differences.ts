// When the engine's count of a segment differs from the hand query's, the bench fails and shows
// players on either side, so the difference can be reproduced with one player's data.
import type { MembershipReader } from '../engine/membership/read.ts';
import type { Store } from '../engine/store/clickhouse.ts';
import { handMembersQuery } from './hand-query.ts';
import type { BenchSegment } from './segments.ts';

export interface Difference {
  readonly segment: string;
  readonly rule: unknown;
  readonly engine: number | undefined;
  readonly hand: number | undefined;
  /** Up to five members only the engine has, and five only the hand query has. */
  readonly onlyEngine: readonly string[];
  readonly onlyHand: readonly string[];
}

export interface DifferenceContext {
  readonly store: Store;
  readonly reader: MembershipReader;
  readonly segments: readonly BenchSegment[];
  readonly asOfMs: number;
}

/** Segments whose example players are looked up; listing members of more takes too long. */
const EXAMPLE_SEGMENTS = 3;
const EXAMPLES = 5;

export async function countDifferences(
  ctx: DifferenceContext,
  engine: ReadonlyMap<string, number>,
  hand: ReadonlyMap<string, number>,
): Promise<Difference[]> {
  const differing = ctx.segments.filter((s) => engine.get(s.id) !== hand.get(s.id));
  const differences: Difference[] = [];
  for (const [i, segment] of differing.entries()) {
    const examples =
      i < EXAMPLE_SEGMENTS ? await examplesOf(ctx, segment.id) : { onlyEngine: [], onlyHand: [] };
    differences.push({
      segment: segment.id,
      rule: segment.rule,
      engine: engine.get(segment.id),
      hand: hand.get(segment.id),
      ...examples,
    });
  }
  return differences;
}

async function examplesOf(ctx: DifferenceContext, segment: string) {
  const sql = handMembersQuery(ctx.segments, ctx.asOfMs, segment);
  const handIds = new Set(
    (await ctx.store.rows<{ player_id: string }>(sql)).map((r) => r.player_id),
  );
  const engineIds = new Set<string>();
  let after: number | undefined;
  do {
    const page = await ctx.reader.members(segment, { after, limit: 10_000 });
    for (const m of page.members) engineIds.add(m.id);
    after = page.next;
  } while (after !== undefined);
  const only = (a: Set<string>, b: Set<string>) =>
    [...a].filter((id) => !b.has(id)).slice(0, EXAMPLES);
  return { onlyEngine: only(engineIds, handIds), onlyHand: only(handIds, engineIds) };
}
