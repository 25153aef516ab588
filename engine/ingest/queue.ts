// The ingest queue: accepted items wait in Redis Streams until the batch writer has stored them
// in ClickHouse. Each stream entry holds a chunk of items as one JSON field, so a request costs
// one XADD (or one MULTI of a few) whatever its size, and the writer reads thousands of items
// per XREADGROUP. Entries are acknowledged and deleted only after ClickHouse confirmed them.
import type { Redis } from 'ioredis';

export const INGEST_KINDS = ['events', 'players'] as const;
export type IngestKind = (typeof INGEST_KINDS)[number];

/** The consumer group of the batch writers. */
export const WRITER_GROUP = 'writers';

/**
 * Items per stream entry: big enough to make Redis work per item tiny, small enough to keep one
 * entry a modest value (about 200 KB of events).
 */
export const CHUNK_ITEMS = 1_000;

const ITEMS_FIELD = 'items';

export function streamKey(prefix: string, kind: IngestKind): string {
  return `${prefix}ingest:${kind}`;
}

/** The lease that lets one batch writer at a time write (writer.ts). */
export function writerLeaseKey(prefix: string): string {
  return `${prefix}ingest:writer-lease`;
}

/** Where entries go that cannot be read back (not written by Segstream); kept for inspection. */
export function deadLetterKey(prefix: string, kind: IngestKind): string {
  return `${prefix}ingest:${kind}:dead`;
}

/**
 * Appends items in chunks. Several chunks go in one MULTI, so a request's items are queued
 * together or not at all. Rejects when Redis cannot take them.
 */
export async function appendItems(
  redis: Redis,
  prefix: string,
  kind: IngestKind,
  items: readonly unknown[],
): Promise<void> {
  if (items.length === 0) return;
  const key = streamKey(prefix, kind);
  if (items.length <= CHUNK_ITEMS) {
    await redis.xadd(key, '*', ITEMS_FIELD, JSON.stringify(items));
    return;
  }
  const tx = redis.multi();
  for (let i = 0; i < items.length; i += CHUNK_ITEMS) {
    tx.xadd(key, '*', ITEMS_FIELD, JSON.stringify(items.slice(i, i + CHUNK_ITEMS)));
  }
  const results = await tx.exec();
  const failed = results?.find(([err]) => err !== null)?.[0];
  if (results === null || failed) throw failed ?? new Error('ingest MULTI was discarded');
}

/** The items of an entry, or undefined when its fields are not an items chunk. */
export function entryItems(fields: readonly string[] | null): unknown[] | undefined {
  if (fields === null) return [];
  const at = fields.indexOf(ITEMS_FIELD);
  if (at < 0 || at % 2 !== 0) return undefined;
  try {
    const items: unknown = JSON.parse(fields[at + 1] ?? '');
    return Array.isArray(items) ? items : undefined;
  } catch {
    return undefined;
  }
}

export interface StreamStatus {
  /** Entries (chunks of up to CHUNK_ITEMS items) not yet stored in ClickHouse. */
  readonly entries: number;
  /** Age of the oldest waiting entry in milliseconds; 0 when none waits. */
  readonly oldestAgeMs: number;
}

/** Queue depth and lag per stream, for metrics. */
export async function queueStatus(
  redis: Redis,
  prefix: string,
  now = Date.now(),
): Promise<Record<IngestKind, StreamStatus>> {
  const [events, players] = await Promise.all(
    INGEST_KINDS.map((kind) => streamStatus(redis, streamKey(prefix, kind), now)),
  );
  return { events: events as StreamStatus, players: players as StreamStatus };
}

async function streamStatus(redis: Redis, key: string, now: number): Promise<StreamStatus> {
  const [entries, first] = await Promise.all([
    redis.xlen(key),
    redis.xrange(key, '-', '+', 'COUNT', 1),
  ]);
  const oldestId = first[0]?.[0];
  // An entry id starts with the Redis server time in milliseconds when it was added.
  const oldestAgeMs =
    oldestId === undefined ? 0 : Math.max(0, now - Number(oldestId.split('-')[0]));
  return { entries, oldestAgeMs };
}
