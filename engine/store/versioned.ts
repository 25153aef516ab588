// Reading tables whose records change by writing a new row with a higher version
// (ReplacingMergeTree(version): actions, retention lists). Background merges collapse old rows
// only eventually, so readers pick each record's newest row themselves, then leave out deleted
// records.
import type { Store } from './clickhouse.ts';

/**
 * The newest row of each record matching `where` (a condition built with engine/sql/literal.ts),
 * without deleted ones, ordered by id.
 */
export async function latestRows<T extends { deleted: number }>(
  store: Store,
  table: string,
  idColumn: string,
  columns: string,
  where = '1',
): Promise<T[]> {
  const rows = await store.rows<T>(
    `SELECT ${columns}, deleted FROM ${table} WHERE ${idColumn} IN
       (SELECT ${idColumn} FROM ${table} WHERE ${where})
     ORDER BY ${idColumn}, version DESC LIMIT 1 BY ${idColumn}`,
  );
  return rows.filter((r) => Number(r.deleted) === 0);
}
