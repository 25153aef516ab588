// A preview's member count and first rows. With rows asked for, both come from one query: the
// rule's members query selects the shown profile values in its own pass, and the totals row of
// ruleMembersSql counts the members, so the rule is evaluated once. As a count query and a rows
// query (which read players FINAL again) run at once, a preview took 2.7x the bare count query
// at p95 on 2 cores; see bench/results.md for the figures since.
import type { ExtraColumns } from '../../engine/compiler/query.ts';
import type { QueryOptions, Store } from '../../engine/store/clickhouse.ts';
import {
  MEMBER_COUNT,
  previewColumns,
  ruleMembersSql,
  type MembersPlan,
} from '../members/query.ts';

export interface PreviewPage {
  readonly count: number;
  readonly rows: Record<string, unknown>[];
}

/** The rule's members query, with extra profile columns when given (compileMembersQuery). */
export type CompileRule = (columns?: ExtraColumns) => string;

/** Runs one ClickHouse call with the preview's query id and cancel signal. */
export type Runner = <T>(fn: (q: QueryOptions) => Promise<T>) => Promise<T>;

export async function previewPage(
  store: Store,
  run: Runner,
  plan: MembersPlan,
  compile: CompileRule,
  limit: number,
): Promise<PreviewPage> {
  if (limit === 0) {
    const [row] = await run((q) =>
      store.rows<{ count: number }>(`SELECT count() AS count FROM (\n${compile()}\n)`, q),
    );
    return { count: Number(row?.count ?? 0), rows: [] };
  }
  const sql = ruleMembersSql(plan, compile(previewColumns(plan)), { limit, offset: 0 });
  const { rows, totals } = await run((q) => store.rowsWithTotals<Record<string, unknown>>(sql, q));
  return { count: Number(totals?.[MEMBER_COUNT] ?? 0), rows };
}
