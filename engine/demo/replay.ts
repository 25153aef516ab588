// Replays the CDNOW purchases as a live stream, shifted to the present and sped up.
//
// Time mapping: the first purchase day maps to `startAt`, and every purchase keeps its distance
// from that day (a day stays a day, so "deposits in the last 30 days" still means 30 days of
// CDNOW history). A replay clock starts at `startAt` and runs `speed` times faster than the wall
// clock; each purchase is handed to the sink when the replay clock reaches its shifted time.
// The default `startAt` is "now minus the file's span": the replay runs through the past and
// its last day lands on the moment the replay began, so no event is ever in the future.
//
// Ids are `replay:<runId>:cdnow:<customer>:<YYYYMMDD>:<n>`: deterministic within a run, and
// never equal to the ids of `segstream import cdnow`, so a replay adds to an import instead of
// being skipped as its duplicate. The file is ordered by customer, not by time, so its
// purchases (69,659 small records) are read and sorted in memory before the replay starts.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { EventRow } from '../store/events.ts';
import { cdnowEvent, DayCounter, readCdnow } from '../ingest/import/cdnow.ts';

export type ReplaySink = (events: EventRow[]) => Promise<void>;

export interface ReplayOptions {
  /** Replay seconds per wall-clock second, e.g. 86400 = one CDNOW day per second. */
  readonly speed: number;
  /** Epoch ms the first purchase day maps to. Default: now minus the file's span. */
  readonly startAt?: number;
  readonly sink: ReplaySink;
  readonly signal?: AbortSignal;
  /** Part of every event id. Default: 8 random hex digits. */
  readonly runId?: string;
  /** Most events per sink call. Default 5,000. */
  readonly maxBatch?: number;
}

export interface ReplaySummary {
  readonly runId: string;
  readonly emitted: number;
  /** Lines of the file that were not valid purchases (skipped). */
  readonly skipped: number;
  readonly startAt: number;
  /** Shifted time of the last purchase. */
  readonly endAt: number;
  readonly aborted: boolean;
}

/** Longest single wait, so an abort is noticed promptly even at slow speeds. */
const MAX_WAIT_MS = 1_000;

export async function replayCdnow(file: string, opts: ReplayOptions): Promise<ReplaySummary> {
  if (!(opts.speed > 0)) throw new RangeError('speed must be a positive number');
  const runId = opts.runId ?? randomBytes(4).toString('hex');
  const { events, skipped } = await loadShifted(file, runId);
  const first = events[0]?.event_time ?? 0;
  const span = (events.at(-1)?.event_time ?? 0) - first;
  const startAt = opts.startAt ?? Date.now() - span;
  const shifted = events.map((e) => ({ ...e, event_time: e.event_time - first + startAt }));

  const emitted = await pace(shifted, startAt, opts);
  return {
    runId,
    emitted,
    skipped,
    startAt,
    endAt: startAt + span,
    aborted: emitted < shifted.length,
  };
}

/** The file's purchases as events in time order (file order within a day), unshifted. */
async function loadShifted(file: string, runId: string) {
  const days = new DayCounter();
  const events: EventRow[] = [];
  let skipped = 0;
  for await (const item of readCdnow(file)) {
    if ('error' in item) skipped += 1;
    else events.push(cdnowEvent(item.purchase, days.next(item.purchase), `replay:${runId}:cdnow`));
  }
  // Array.prototype.sort is stable, so same-day purchases keep their file order.
  events.sort((a, b) => a.event_time - b.event_time);
  return { events, skipped };
}

/** Hands events to the sink as the replay clock reaches them; returns how many were sent. */
async function pace(events: readonly EventRow[], startAt: number, opts: ReplayOptions) {
  const wallStart = Date.now();
  const clock = () => startAt + (Date.now() - wallStart) * opts.speed;
  const maxBatch = opts.maxBatch ?? 5_000;
  let next = 0;
  while (next < events.length && !opts.signal?.aborted) {
    const now = clock();
    let end = next;
    while (end < events.length && end - next < maxBatch && events[end]!.event_time <= now) end++;
    if (end > next) {
      await opts.sink(events.slice(next, end));
      next = end;
      continue;
    }
    const waitMs = (events[next]!.event_time - now) / opts.speed;
    const aborted = await sleep(Math.min(Math.max(waitMs, 1), MAX_WAIT_MS), false, {
      signal: opts.signal,
    }).catch(() => true);
    if (aborted) break;
  }
  return next;
}
