// Writing events. Every writer in Segstream (importers, the ingest batch writer, the demo
// stream) goes through insertEvents, which keeps "the same event counts once" exact before
// ClickHouse's background merges run: events already stored, or repeated inside the batch, are
// skipped. A retried batch after a crash therefore inserts only what is still missing.
//
// An event is its (player_id, event_id) pair, as in the table's sort key: the same id sent for two
// players is two events. Matching on the id alone would make the outcome depend on how events
// happened to be batched (one batch dropped the second player's event, two batches kept it).
import { sqlStringArray } from '../sql/literal.ts';
import type { TsvValue } from '../sql/tsv.ts';
import type { Store } from './clickhouse.ts';

export interface EventRow {
  readonly event_id: string;
  readonly player_id: string;
  readonly type: string;
  /** When the event happened, epoch milliseconds (stored with second precision, UTC). */
  readonly event_time: number;
  /** Exact decimal text with at most 4 places, e.g. "100.00"; null when the event has none. */
  readonly amount?: string | null;
  readonly currency?: string | null;
  readonly game_category?: string | null;
  readonly product?: string | null;
  readonly payment_method?: string | null;
  readonly status?: string | null;
  readonly quantity?: number | null;
  /** Operator-configured properties, stored as parallel key / value arrays. */
  readonly props?: Readonly<Record<string, string>>;
}

export const EVENT_COLUMNS = [
  'event_id',
  'player_id',
  'type',
  'event_time',
  'amount',
  'currency',
  'game_category',
  'product',
  'payment_method',
  'status',
  'quantity',
  'prop_keys',
  'prop_values',
] as const;

export interface InsertResult {
  readonly inserted: number;
  readonly duplicates: number;
}

/** Lookups of existing ids are chunked to keep each query's IN lists moderate. */
const LOOKUP_CHUNK = 5_000;

export async function insertEvents(
  store: Store,
  events: readonly EventRow[],
): Promise<InsertResult> {
  const unique = uniqueEvents(events);
  const stored = await storedEventKeys(store, unique);
  const fresh = unique.filter((e) => !stored.has(eventKey(e)));
  await store.insert('events', EVENT_COLUMNS, fresh.map(toClickHouseRow));
  return { inserted: fresh.length, duplicates: events.length - fresh.length };
}

/** The pair as one string; JSON keeps apart ids that contain any separator. */
function eventKey(e: { readonly player_id: string; readonly event_id: string }): string {
  return JSON.stringify([e.player_id, e.event_id]);
}

function uniqueEvents(events: readonly EventRow[]): EventRow[] {
  const seen = new Set<string>();
  return events.filter((e) => {
    const key = eventKey(e);
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

async function storedEventKeys(store: Store, events: readonly EventRow[]): Promise<Set<string>> {
  const found = new Set<string>();
  for (let i = 0; i < events.length; i += LOOKUP_CHUNK) {
    const chunk = events.slice(i, i + LOOKUP_CHUNK);
    const players = [...new Set(chunk.map((e) => e.player_id))];
    // The player_id condition lets ClickHouse use the primary key instead of scanning all ids.
    const sql = `SELECT DISTINCT player_id, event_id FROM events
       WHERE player_id IN ${inList(players)} AND event_id IN ${inList(chunk.map((e) => e.event_id))}`;
    const rows = await store.rows<{ player_id: string; event_id: string }>(sql, {
      settings: querySizeFor(sql),
    });
    for (const r of rows) found.add(eventKey(r));
  }
  return found;
}

/**
 * The id lists make the query text long (5,000 UUIDs are ~200 KB), beyond ClickHouse's default
 * max_query_size of 256 KiB, so the limit is raised to fit the text.
 */
export function querySizeFor(sql: string): Record<string, number> {
  return { max_query_size: Math.max(262_144, Buffer.byteLength(sql) + 1_024) };
}

function inList(values: readonly string[]): string {
  return `(SELECT arrayJoin(${sqlStringArray(values)}))`;
}

export function toClickHouseRow(e: EventRow): TsvValue[] {
  const props = Object.entries(e.props ?? {});
  return [
    e.event_id,
    e.player_id,
    e.type,
    Math.floor(e.event_time / 1000),
    e.amount ?? null,
    e.currency ?? null,
    e.game_category ?? null,
    e.product ?? null,
    e.payment_method ?? null,
    e.status ?? null,
    e.quantity ?? null,
    props.map(([k]) => k),
    props.map(([, v]) => v),
  ];
}
