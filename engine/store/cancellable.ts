// A ClickHouse query that can be called off: aborting the HTTP request alone leaves the query
// running on the server (18.16 has no cancel-on-disconnect for HTTP), so a cancelled query is
// also killed by its query_id.
import { randomUUID } from 'node:crypto';
import { sqlString } from '../sql/literal.ts';
import type { QueryOptions, Store } from './clickhouse.ts';

/**
 * Runs `fn` with a fresh query id and `signal`; when `signal` fires first, kills the query on the
 * server (without waiting for it) and rethrows the abort.
 */
export async function cancellable<T>(
  store: Store,
  signal: AbortSignal,
  label: string,
  fn: (opts: QueryOptions) => Promise<T>,
): Promise<T> {
  const queryId = `segstream-${label}-${randomUUID()}`;
  try {
    return await fn({ queryId, signal });
  } catch (err) {
    if (signal.aborted) {
      await store
        .exec(`KILL QUERY WHERE query_id = ${sqlString(queryId)} ASYNC`)
        .catch(() => undefined);
    }
    throw err;
  }
}
