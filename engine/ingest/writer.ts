// The batch writer: moves accepted items from the Redis ingest streams into ClickHouse.
//
// Why nothing is lost or duplicated:
// - An entry is acknowledged (and deleted) only after ClickHouse confirmed its batch. Until
//   then it stays in the group's pending list, whatever happens to this process.
// - A restarted writer (same consumer name) first re-reads its own pending entries; entries of a
//   writer that never came back are claimed once they were idle longer than the lease.
// - Writing a batch twice is harmless: insertEvents skips event ids already stored, and player
//   updates not newer than the stored profile are skipped (see profiles.ts).
// - ClickHouse failures are retried with backoff for as long as it takes; meanwhile the API keeps
//   queueing into Redis, so an outage only delays data.
// - One writer at a time writes (a Redis lease, renewed before every insert): the stored-id check
//   and the insert of insertEvents are two steps, so two writers given two copies of one event
//   (a client that resent a batch) could both find it missing and both insert it. Other writers
//   stand by and take over when the holder stops renewing for INGEST_LEASE_MS; a restarted
//   writer with the same consumer name holds it again at once. Two live writers must therefore
//   never share a consumer name.
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import { Lease } from '../membership/lease.ts';
import type { Store } from '../store/clickhouse.ts';
import { insertEvents, type EventRow } from '../store/events.ts';
import { backoffDelay, DEFAULT_BACKOFF, sleep, type BackoffOptions } from './backoff.ts';
import {
  ackEntries,
  claimIdle,
  deadLetter,
  ensureGroups,
  readEntries,
  touchEntries,
  type ReadFrom,
  type StreamEntry,
} from './consumer.ts';
import type { PlayerUpsert } from './convert.ts';
import { addEntries, emptyBatch, hasEntries, type Batch } from './batch.ts';
import { applyPlayerUpserts } from './profiles.ts';
import {
  CHUNK_ITEMS,
  queueStatus,
  writerLeaseKey,
  type IngestKind,
  type StreamStatus,
} from './queue.ts';

export interface WriterOptions {
  readonly redis: Redis;
  readonly store: Store;
  readonly log: Logger;
  /** REDIS_PREFIX: the streams are `<prefix>ingest:events` and `<prefix>ingest:players`. */
  readonly prefix: string;
  /**
   * Keep it stable across restarts (a restarted writer then resumes its own entries and lease at
   * once) and unique among running writers (it is also the writer lease's token).
   */
  readonly consumer: string;
  /** A batch is written once it holds this many items (INGEST_BATCH_ITEMS). */
  readonly batchSize: number;
  /** ... or this long after its first item arrived (INGEST_FLUSH_INTERVAL_MS). */
  readonly flushMs: number;
  /**
   * Entries idle this long are taken over from their writer, and a standby writer takes the
   * writer lease over from a holder that stopped renewing it this long (INGEST_LEASE_MS).
   */
  readonly leaseMs: number;
  readonly backoff?: BackoffOptions;
}

export interface WriterStats {
  /** When a batch was last stored in ClickHouse, epoch milliseconds. */
  readonly lastWriteAt: number | undefined;
  readonly batches: number;
  readonly eventsInserted: number;
  /** Events skipped because their event_id was already stored or repeated in the batch. */
  readonly eventsDuplicate: number;
  readonly playersWritten: number;
  readonly playerUpdatesStale: number;
  readonly retries: number;
  /** True while a batch waits for ClickHouse to accept it. */
  readonly retrying: boolean;
  /** True while this writer holds the writer lease (false: standing by). */
  readonly holding: boolean;
}

export interface Writer {
  stats(): WriterStats;
  /** Queue depth and lag of both streams. */
  queueStatus(): Promise<Record<IngestKind, StreamStatus>>;
  /** Finishes the batch in hand (unless ClickHouse is failing) and stops reading. */
  stop(): Promise<void>;
}

export function startWriter(opts: WriterOptions): Writer {
  const writer = new BatchWriter(opts);
  return {
    stats: () => writer.stats(),
    queueStatus: () => queueStatus(opts.redis, opts.prefix),
    stop: () => writer.stop(),
  };
}

/** A blocking read waits at most this long, so housekeeping and stop are never late. */
const IDLE_BLOCK_MS = 1_000;
const MAX_ENTRIES_PER_READ = 1_000;
/** How often a standby writer asks for the lease. */
const STANDBY_POLL_MS = 1_000;

class BatchWriter {
  private readonly reader: Redis;
  private readonly abort = new AbortController();
  private readonly done: Promise<void>;
  private readonly backoff: BackoffOptions;
  private readonly lease: Lease;
  private stopping = false;
  /** When to take over abandoned entries and re-read this consumer's pending ones next. */
  private recoverAt = 0;
  private itemsPerEntry = CHUNK_ITEMS;
  private counters = {
    lastWriteAt: undefined as number | undefined,
    batches: 0,
    eventsInserted: 0,
    eventsDuplicate: 0,
    playersWritten: 0,
    playerUpdatesStale: 0,
    retries: 0,
    retrying: false,
    holding: false,
  };

  constructor(private readonly opts: WriterOptions) {
    this.backoff = opts.backoff ?? DEFAULT_BACKOFF;
    const leaseKey = { lease: writerLeaseKey(opts.prefix) };
    // The consumer name is the token: a restarted writer resumes at once, as with its entries.
    this.lease = new Lease(opts.redis, leaseKey, opts.leaseMs, opts.consumer, 'stable');
    // Blocking reads get their own connection so acknowledgements never queue behind them.
    this.reader = opts.redis.duplicate();
    this.reader.on('error', (err: Error) => opts.log.debug({ reason: err.message }, 'redis error'));
    this.done = this.run().catch((err: unknown) => {
      opts.log.error({ reason: String(err) }, 'ingest writer stopped by an error');
    });
  }

  stats(): WriterStats {
    return { ...this.counters };
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.abort.abort();
    this.reader.disconnect();
    await this.done;
    if (this.counters.holding) await this.lease.release().catch(() => undefined);
  }

  private async run(): Promise<void> {
    this.opts.log.info({ consumer: this.opts.consumer }, 'ingest writer started');
    let failures = 0;
    while (!this.stopping) {
      try {
        if (!(await this.holdLease())) {
          await sleep(Math.min(STANDBY_POLL_MS, this.opts.leaseMs / 4), this.abort.signal);
          continue;
        }
        if (Date.now() >= this.recoverAt) {
          await this.recover();
          this.recoverAt = Date.now() + this.opts.leaseMs / 2;
        }
        await this.flush(await this.collect());
        failures = 0;
      } catch (err) {
        if (this.stopping) break;
        // Recovery recreates a group Redis lost, and picks up entries whose read reply was lost.
        this.recoverAt = 0;
        this.opts.log.warn({ attempt: failures, reason: String(err) }, 'ingest queue unreadable');
        await sleep(backoffDelay(failures++, this.backoff), this.abort.signal);
      }
    }
    this.opts.log.info({ consumer: this.opts.consumer }, 'ingest writer stopped');
  }

  /** Takes or renews the writer lease; logs when this writer starts or stops holding it. */
  private async holdLease(): Promise<boolean> {
    const held = await this.lease.acquire();
    if (held !== this.counters.holding) {
      const { consumer } = this.opts;
      this.opts.log.info(
        { consumer },
        held ? 'ingest writer holds the lease' : 'ingest writer standing by',
      );
      // A new holder takes over what the old one left pending at once.
      if (held) this.recoverAt = 0;
    }
    this.counters.holding = held;
    return held;
  }

  /** Takes over abandoned entries, then writes every entry pending for this consumer. */
  private async recover(): Promise<void> {
    const { redis, prefix, consumer, leaseMs } = this.opts;
    await ensureGroups(redis, prefix);
    const claimed = await claimIdle(redis, prefix, consumer, leaseMs);
    if (claimed > 0) this.opts.log.info({ claimed }, 'ingest entries taken over');
    const cursors = { events: '0', players: '0' };
    while (!this.stopping) {
      const entries = await this.read(cursors, emptyBatch());
      if (entries.length === 0) return;
      for (const entry of entries) cursors[entry.kind] = entry.id;
      const batch = emptyBatch();
      await this.add(batch, entries);
      await this.flush(batch);
    }
  }

  /** Reads new entries until the batch is full or flushMs passed since its first item. */
  private async collect(): Promise<Batch> {
    const batch = emptyBatch();
    let deadline = Infinity;
    while (!this.stopping && batch.items < this.opts.batchSize) {
      const wait = Math.min(deadline - Date.now(), IDLE_BLOCK_MS);
      if (wait <= 0) break;
      let entries: StreamEntry[];
      try {
        entries = await this.read('>', batch, wait);
      } catch (err) {
        // What was read is pending for this consumer; writing it now beats waiting for recovery.
        this.recoverAt = 0;
        if (hasEntries(batch)) break;
        throw err;
      }
      if (entries.length === 0 && batch.items === 0) break;
      await this.add(batch, entries);
      if (batch.items > 0 && deadline === Infinity) deadline = batch.firstAt + this.opts.flushMs;
    }
    return batch;
  }

  private read(from: ReadFrom, batch: Batch, blockMs?: number): Promise<StreamEntry[]> {
    // Entries hold a variable number of items: ask for about as many as the batch still needs.
    const wanted = Math.ceil((this.opts.batchSize - batch.items) / this.itemsPerEntry);
    const count = Math.max(1, Math.min(MAX_ENTRIES_PER_READ, wanted));
    const { prefix, consumer } = this.opts;
    const opts = blockMs === undefined ? { from, count } : { from, count, blockMs };
    return readEntries(this.reader, prefix, consumer, opts);
  }

  private async add(batch: Batch, entries: readonly StreamEntry[]): Promise<void> {
    const itemsBefore = batch.items;
    for (const entry of addEntries(batch, entries)) {
      this.opts.log.error({ kind: entry.kind, id: entry.id }, 'ingest entry unreadable');
      await deadLetter(this.opts.redis, this.opts.prefix, entry);
    }
    if (entries.length > 0) {
      this.itemsPerEntry = Math.max(1, (batch.items - itemsBefore) / entries.length);
    }
  }

  private async flush(batch: Batch): Promise<void> {
    const { events, players } = batch;
    if (events.ids.length > 0) {
      await this.writePart('events', events.ids, () => this.writeEvents(events.items));
    }
    if (players.ids.length > 0) {
      await this.writePart('players', players.ids, () => this.writePlayers(players.items));
    }
  }

  private async writeEvents(rows: readonly EventRow[]): Promise<void> {
    const result = await insertEvents(this.opts.store, rows);
    this.counters.eventsInserted += result.inserted;
    this.counters.eventsDuplicate += result.duplicates;
  }

  private async writePlayers(upserts: readonly PlayerUpsert[]): Promise<void> {
    const result = await applyPlayerUpserts(this.opts.store, upserts);
    this.counters.playersWritten += result.written;
    this.counters.playerUpdatesStale += result.stale;
  }

  /** Writes until ClickHouse confirms (or the writer stops: the entries then stay pending). */
  private async writePart(
    kind: IngestKind,
    ids: readonly string[],
    write: () => Promise<void>,
  ): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      // Lost while collecting or retrying: the entries stay pending for the new holder.
      if (!(await this.holdLease())) return;
      try {
        await write();
        break;
      } catch (err) {
        if (this.stopping) return;
        this.counters.retrying = true;
        this.counters.retries += 1;
        this.opts.log.warn({ kind, attempt, ...errorFields(err) }, 'ingest batch not stored');
        await sleep(backoffDelay(attempt, this.backoff), this.abort.signal);
        if (this.stopping) return;
        const { redis, prefix, consumer } = this.opts;
        await touchEntries(redis, prefix, kind, consumer, ids).catch(() => undefined);
      }
    }
    this.counters.retrying = false;
    this.counters.lastWriteAt = Date.now();
    this.counters.batches += 1;
    await this.acknowledge(kind, ids);
  }

  private async acknowledge(kind: IngestKind, ids: readonly string[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      try {
        await ackEntries(this.opts.redis, this.opts.prefix, kind, ids);
        return;
      } catch (err) {
        // Not acknowledged: the entries are written again later, which is harmless.
        if (this.stopping) return;
        this.opts.log.warn(
          { kind, attempt, ...errorFields(err) },
          'ingest entries not acknowledged',
        );
        await sleep(backoffDelay(attempt, this.backoff), this.abort.signal);
      }
    }
  }
}

/** Code and a bounded reason: server messages can quote input, which stays out of the logs. */
function errorFields(err: unknown): { code: string | undefined; reason: string } {
  const code = (err as { code?: unknown } | null)?.code;
  return {
    code: typeof code === 'string' ? code : undefined,
    reason: String(err instanceof Error ? err.message : err).slice(0, 200),
  };
}
