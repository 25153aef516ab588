// Helpers shared by the ingest tests (not a test file itself).
import { randomUUID } from 'node:crypto';
import { createLogger } from '../log.ts';
import type { Store } from '../store/clickhouse.ts';
import type { EventRow } from '../store/events.ts';

export const silentLog = createLogger('silent');

/** Polls until `done` holds for the probed value; fails with the last value after the timeout. */
export async function waitFor<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value)) {
    if (Date.now() > deadline) {
      throw new Error(`condition not met after ${timeoutMs} ms: ${JSON.stringify(value)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
    value = await probe();
  }
  return value;
}

/** `n` deposit rows with UUID event ids spread over `players` players. */
export function depositRows(n: number, players = 100, at = Date.now()): EventRow[] {
  return Array.from({ length: n }, (_, i) => ({
    event_id: randomUUID(),
    player_id: `player-${i % players}`,
    type: 'deposit',
    event_time: at - i * 1_000,
    amount: `${i}.25`,
    props: { source: 'test' },
  }));
}

export interface StoredCount {
  readonly rows: number;
  readonly ids: number;
}

/** Rows in the events table and distinct event ids among them (equal when nothing doubled). */
export async function storedEvents(store: Store): Promise<StoredCount> {
  const [row] = await store.rows<StoredCount>(
    'SELECT count() AS rows, uniqExact(event_id) AS ids FROM events',
  );
  return row ?? { rows: 0, ids: 0 };
}
