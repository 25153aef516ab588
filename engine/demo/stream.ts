// The live demo stream: registrations, logins, deposits, withdrawals, bets, wins and bonuses at
// a steady rate, handed to a sink in batches every ~200 ms until the signal aborts. The rate is
// kept against the clock (events due so far minus events sent), so a slow sink delays events
// but does not lower the long-run rate; a backlog older than two seconds is dropped rather than
// sent as a burst.
import { setTimeout as sleep } from 'node:timers/promises';
import { SegstreamError } from '../errors/errors.ts';
import type { Logger } from '../log.ts';
import type { Store } from '../store/clickhouse.ts';
import { insertEvents, type EventRow } from '../store/events.ts';
import { insertPlayers, type PlayerRow } from '../store/players.ts';
import { createCrowd } from './crowd.ts';
import { createRng, deriveSeed } from './random.ts';
import type { RosterPlayer } from './roster.ts';

export type StreamSink = (events: EventRow[], players: PlayerRow[]) => Promise<void>;

export interface StreamOptions {
  /** Events per second. Default 50. */
  readonly rate?: number;
  /** Seed of the stream's choices. Default 1. */
  readonly seed?: number;
  /** Stored players the stream plays with; it registers new ones as it goes. */
  readonly roster: readonly RosterPlayer[];
  /** Index of the first player the stream registers (ids p000123). */
  readonly firstNewIndex: number;
  readonly sink: StreamSink;
  readonly signal: AbortSignal;
  /** Time between batches, milliseconds. Default 200. */
  readonly intervalMs?: number;
  readonly log?: Logger;
}

export interface StreamStats {
  readonly events: number;
  readonly players: number;
  readonly batches: number;
  /** Batches the sink refused; their events are dropped (demo data, regenerated anyway). */
  readonly failedBatches: number;
}

export const DEFAULT_RATE = 50;
const DEFAULT_INTERVAL_MS = 200;
const MAX_BACKLOG_S = 2;

/** Runs until `signal` aborts, then resolves once the batch in the sink has finished. */
export async function runStream(opts: StreamOptions): Promise<StreamStats> {
  const rate = opts.rate ?? DEFAULT_RATE;
  if (!Number.isFinite(rate) || rate <= 0) {
    throw new SegstreamError('VALIDATION_FAILED', { field: 'rate', value: rate });
  }
  const intervalMs = opts.intervalMs ?? DEFAULT_INTERVAL_MS;
  const seed = opts.seed ?? 1;
  const startedAt = Date.now();
  const crowd = createCrowd({
    rng: createRng(deriveSeed(seed, 'stream', startedAt)),
    roster: opts.roster,
    firstNewIndex: opts.firstNewIndex,
    // Seed and start time make ids unique across demo runs without any stored counter.
    idPrefix: `s${seed}-${startedAt.toString(36)}-`,
    concurrentSessions: Math.max(3, Math.min(500, Math.round(rate * 0.4))),
  });

  const stats = { events: 0, players: 0, batches: 0, failedBatches: 0 };
  const clock = performance.now();
  let sent = 0;
  while (!opts.signal.aborted) {
    await sleep(intervalMs, undefined, { signal: opts.signal }).catch(() => undefined);
    if (opts.signal.aborted) break;

    const dueTotal = Math.floor(((performance.now() - clock) / 1000) * rate);
    sent = Math.max(sent, dueTotal - Math.ceil(rate * MAX_BACKLOG_S));
    const count = dueTotal - sent;
    if (count <= 0) continue;
    sent += count;

    const batch = crowd.take(count, Date.now());
    await deliver(opts, batch.events, batch.players, stats);
  }
  return stats;
}

async function deliver(
  opts: StreamOptions,
  events: EventRow[],
  players: PlayerRow[],
  stats: { events: number; players: number; batches: number; failedBatches: number },
): Promise<void> {
  try {
    await opts.sink(events, players);
    stats.events += events.length;
    stats.players += players.length;
    stats.batches += 1;
  } catch (err) {
    stats.failedBatches += 1;
    const code = err instanceof SegstreamError ? err.code : undefined;
    opts.log?.warn({ err, code, events: events.length }, 'demo stream batch not stored');
  }
}

/** The sink used until ingest goes through the API: straight into ClickHouse. */
export function storeSink(store: Store): StreamSink {
  return async (events, players) => {
    // Players first, so no stored event names a player without a profile.
    await insertPlayers(store, players);
    await insertEvents(store, events);
  };
}
