// The batch writer's side of the ingest streams: the consumer group, reading new and pending
// entries, taking over entries a crashed writer left behind, and acknowledging stored ones.
// Redis keeps each delivered entry in the group's pending list until XACK, which is what makes
// "acknowledge only after ClickHouse confirmed" survive any crash of the writer.
import type { Redis } from 'ioredis';
import {
  INGEST_KINDS,
  WRITER_GROUP,
  deadLetterKey,
  entryItems,
  streamKey,
  type IngestKind,
} from './queue.ts';

export interface StreamEntry {
  readonly kind: IngestKind;
  readonly id: string;
  /** The entry's items; undefined when the entry cannot be read (see deadLetter). */
  readonly items: unknown[] | undefined;
  readonly fields: readonly string[] | null;
}

/** `>`: entries never delivered to anyone. Ids: this consumer's pending entries after them. */
export type ReadFrom = '>' | Readonly<Record<IngestKind, string>>;

/**
 * Creates the group on both streams. It starts at 0, so a group created after entries were
 * added (or re-created after Redis lost it) still delivers every entry in the stream; entries
 * are deleted once stored, and a stored entry delivered again is harmless.
 */
export async function ensureGroups(redis: Redis, prefix: string): Promise<void> {
  for (const kind of INGEST_KINDS) {
    try {
      await redis.xgroup('CREATE', streamKey(prefix, kind), WRITER_GROUP, '0', 'MKSTREAM');
    } catch (err) {
      if (!/BUSYGROUP/.test(String(err))) throw err;
    }
  }
}

export interface ReadOptions {
  readonly from: ReadFrom;
  readonly count: number;
  /** Wait up to this long for new entries; omitted: answer at once. */
  readonly blockMs?: number;
}

export async function readEntries(
  redis: Redis,
  prefix: string,
  consumer: string,
  opts: ReadOptions,
): Promise<StreamEntry[]> {
  const keys = INGEST_KINDS.map((kind) => streamKey(prefix, kind));
  const ids = INGEST_KINDS.map((kind) => (opts.from === '>' ? '>' : opts.from[kind]));
  const block = opts.blockMs === undefined ? [] : ['BLOCK', Math.max(1, Math.ceil(opts.blockMs))];
  const reply = await redis.call(
    'XREADGROUP',
    'GROUP',
    WRITER_GROUP,
    consumer,
    'COUNT',
    opts.count,
    ...block,
    'STREAMS',
    ...keys,
    ...ids,
  );
  return parseReply(reply, keys);
}

type RawStream = [string, [string, string[] | null][]];

function parseReply(reply: unknown, keys: readonly string[]): StreamEntry[] {
  if (!Array.isArray(reply)) return [];
  const entries: StreamEntry[] = [];
  for (const [key, list] of reply as RawStream[]) {
    const kind = INGEST_KINDS[keys.indexOf(key)];
    if (kind === undefined) continue;
    for (const [id, fields] of list) entries.push({ kind, id, fields, items: entryItems(fields) });
  }
  return entries;
}

/** Claims entries idle longer than the lease (their writer is gone). Returns how many. */
export async function claimIdle(
  redis: Redis,
  prefix: string,
  consumer: string,
  leaseMs: number,
): Promise<number> {
  let claimed = 0;
  for (const kind of INGEST_KINDS) {
    let cursor = '0-0';
    do {
      const reply = (await redis.call(
        'XAUTOCLAIM',
        streamKey(prefix, kind),
        WRITER_GROUP,
        consumer,
        leaseMs,
        cursor,
        'COUNT',
        1_000,
        'JUSTID',
      )) as [string, string[]];
      cursor = reply[0];
      claimed += reply[1].length;
    } while (cursor !== '0-0');
  }
  return claimed;
}

/** Resets the idle time of entries this writer still works on, so nobody takes them over. */
export async function touchEntries(
  redis: Redis,
  prefix: string,
  kind: IngestKind,
  consumer: string,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  await redis.call('XCLAIM', streamKey(prefix, kind), WRITER_GROUP, consumer, 0, ...ids, 'JUSTID');
}

/** XACK and XDEL together: a stored entry leaves the pending list and the stream at once. */
export async function ackEntries(
  redis: Redis,
  prefix: string,
  kind: IngestKind,
  ids: readonly string[],
): Promise<void> {
  if (ids.length === 0) return;
  const key = streamKey(prefix, kind);
  // Per-command errors (NOGROUP after Redis lost the group) need no retry: XDEL still ran.
  await redis
    .multi()
    .xack(key, WRITER_GROUP, ...ids)
    .xdel(key, ...ids)
    .exec();
}

/** Keeps an unreadable entry for inspection instead of dropping it. */
export async function deadLetter(redis: Redis, prefix: string, entry: StreamEntry): Promise<void> {
  const fields = entry.fields ?? [];
  await redis.xadd(deadLetterKey(prefix, entry.kind), '*', 'source_id', entry.id, ...fields);
}
