// A batch in the writer's hands: the items of the stream entries read so far, per stream, with
// the entry ids to acknowledge once ClickHouse has stored them.
import type { EventRow } from '../store/events.ts';
import type { StreamEntry } from './consumer.ts';
import type { PlayerUpsert } from './convert.ts';

export interface Part<T> {
  readonly ids: string[];
  readonly items: T[];
}

export interface Batch {
  /** Items (events and player updates) in the batch. */
  items: number;
  /** When the first item was read, epoch milliseconds; the flush interval counts from here. */
  firstAt: number;
  readonly events: Part<EventRow>;
  readonly players: Part<PlayerUpsert>;
}

export function emptyBatch(): Batch {
  return { items: 0, firstAt: 0, events: { ids: [], items: [] }, players: { ids: [], items: [] } };
}

export function hasEntries(batch: Batch): boolean {
  return batch.events.ids.length + batch.players.ids.length > 0;
}

/**
 * Adds the entries' items. Returns the entries whose items could not be read; their ids are
 * in the batch all the same, so they are acknowledged with it once kept elsewhere. Items were
 * validated by the ingest API; the shape check only keeps an entry from elsewhere (or from an
 * older format) from failing every insert of its batch forever.
 */
export function addEntries(batch: Batch, entries: readonly StreamEntry[]): StreamEntry[] {
  const unreadable: StreamEntry[] = [];
  let items = 0;
  for (const entry of entries) {
    const part: Part<unknown> = entry.kind === 'events' ? batch.events : batch.players;
    part.ids.push(entry.id);
    const check = entry.kind === 'events' ? isQueuedEvent : isQueuedUpsert;
    if (entry.items === undefined || !entry.items.every(check)) {
      unreadable.push(entry);
      continue;
    }
    for (const item of entry.items) part.items.push(item);
    items += entry.items.length;
  }
  if (batch.items === 0 && items > 0) batch.firstAt = Date.now();
  batch.items += items;
  return unreadable;
}

function isQueuedEvent(item: unknown): boolean {
  const e = item as Partial<Record<keyof EventRow, unknown>> | null;
  return (
    typeof e === 'object' &&
    e !== null &&
    typeof e.event_id === 'string' &&
    typeof e.player_id === 'string' &&
    typeof e.type === 'string' &&
    Number.isInteger(e.event_time)
  );
}

function isQueuedUpsert(item: unknown): boolean {
  const u = item as Partial<Record<keyof PlayerUpsert, unknown>> | null;
  return (
    typeof u === 'object' &&
    u !== null &&
    typeof u.player_id === 'string' &&
    Number.isInteger(u.version) &&
    typeof u.changes === 'object' &&
    u.changes !== null
  );
}
