// Running a compiled rule: the member ids of a rule at an as-of time.
import type { Rule } from '../rules/schema.ts';
import type { Store } from '../store/clickhouse.ts';
import { querySizeFor } from '../store/events.ts';
import type { CompileContext } from './context.ts';
import { compileMembersQuery } from './query.ts';

/** ClickHouse's default max_query_size (256 KiB), minus room for the HTTP wrapping. */
const DEFAULT_QUERY_SIZE = 250_000;

/** The member ids of the rule at ctx.asOf, sorted (JavaScript string order). */
export async function evaluateRule(
  store: Store,
  rule: Rule,
  ctx: CompileContext,
): Promise<string[]> {
  const sql = compileMembersQuery(rule, ctx);
  // Only long queries (long value lists) get the setting, so that read-only users, which may
  // not change any setting, can still run the usual ones.
  const settings = Buffer.byteLength(sql) > DEFAULT_QUERY_SIZE ? querySizeFor(sql) : undefined;
  const rows = await store.rows<{ player_id: string }>(sql, { settings });
  return rows.map((r) => r.player_id).sort();
}
