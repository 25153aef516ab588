// Freshness probes. Each probe slot has its own probe segment ("players with a bonus of product
// probe-<slot>") and a reserve of players without any events, so a probe event makes exactly one
// player enter exactly that segment, and the next message on the live channel for that segment
// with entered >= 1 is its publish. A slot has one probe in flight at a time: it sends the event,
// notes when the API answered 202, waits for the publish, pauses a random moment (so probes do
// not line up with the engine's ticks) and sends the next.
//
// The first slot is traced: while its probe is in flight the bench asks ClickHouse every 20 ms
// whether the event is stored yet, which splits its latency into ingest (API to ClickHouse) and
// engine (ClickHouse to publish).
import type { Redis } from 'ioredis';
import type { LiveMessage } from '../engine/membership/apply.ts';
import { sqlString } from '../engine/sql/literal.ts';
import type { Store } from '../engine/store/clickhouse.ts';
import type { Poster } from './http.ts';
import { probeProduct, probeSegmentId } from './segments.ts';
import { nowMs, sleep } from './stats.ts';

export interface ProbeSample {
  readonly slot: number;
  /** 202 answer to publish receipt, ms. */
  readonly latencyMs: number;
  /** Traced slot only: 202 answer until the event was seen in ClickHouse, ms. */
  readonly storedMs?: number;
  /** Wall-clock time of the 202 answer, epoch ms (to line probes up with sweeps). */
  readonly acceptedAt: number;
}

export interface ProbeRun {
  readonly samples: ProbeSample[];
  /** Probes whose publish never came within the wait. */
  lost: number;
  /** Publishes for a probe segment with more than one player entering (should not happen). */
  unexpected: number;
  /** Receipt times (epoch ms) of messages caused by sweeps, to tell sweep-delayed probes. */
  readonly sweepMessages: number[];
}

export interface ProbeOptions {
  readonly post: Poster;
  readonly subscriber: Redis;
  readonly channel: string;
  readonly store: Store;
  readonly slots: number;
  /** Reserved player ids, used one per probe. */
  readonly players: readonly string[];
  readonly lostAfterMs: number;
}

export async function runProbes(opts: ProbeOptions, until: () => boolean): Promise<ProbeRun> {
  const run: ProbeRun = { samples: [], lost: 0, unexpected: 0, sweepMessages: [] };
  const waiting = new Map<string, (at: number) => void>();
  opts.subscriber.on('message', (channel: string, text: string) => {
    if (channel !== opts.channel) return;
    const at = nowMs();
    const message = JSON.parse(text) as LiveMessage;
    if (message.cause === 'sweep') run.sweepMessages.push(Date.now());
    const resolve = waiting.get(message.segment);
    if (!resolve || message.entered < 1) return;
    if (message.entered > 1) run.unexpected += 1;
    waiting.delete(message.segment);
    resolve(at);
  });
  await opts.subscriber.subscribe(opts.channel);

  const players = [...opts.players];
  const slot = async (k: number) => {
    while (!until()) {
      const player = players.pop();
      if (player === undefined) return;
      const sample = await probe(opts, k, player, waiting);
      if (sample) run.samples.push(sample);
      else run.lost += 1;
      await sleep(Math.random() * 200);
    }
  };
  await Promise.all(Array.from({ length: opts.slots }, (_, k) => slot(k)));
  await opts.subscriber.unsubscribe(opts.channel);
  return run;
}

async function probe(
  opts: ProbeOptions,
  slot: number,
  player: string,
  waiting: Map<string, (at: number) => void>,
): Promise<ProbeSample | undefined> {
  const segment = probeSegmentId(slot);
  const published = new Promise<number>((resolve) => waiting.set(segment, resolve));
  const event = {
    event_id: `probe-${player}`,
    player_id: player,
    type: 'bonus',
    event_time: Date.now(),
    product: probeProduct(slot),
  };
  const reply = await opts.post('/v1/events', JSON.stringify([event]), 'application/json');
  const accepted = nowMs();
  const acceptedAt = Date.now();
  if (reply.accepted !== 1) throw new Error(`bench: probe not accepted (${reply.rejected})`);

  const lost = sleep(opts.lostAfterMs).then(() => undefined);
  const outcome = Promise.race([published, lost]);
  const stored = slot === 0 ? storedAt(opts.store, player, outcome) : undefined;
  const at = await outcome;
  if (at === undefined) {
    waiting.delete(segment);
    return undefined;
  }
  const storedMs = stored === undefined ? undefined : (await stored) - accepted;
  return {
    slot,
    latencyMs: at - accepted,
    acceptedAt,
    ...(storedMs === undefined ? {} : { storedMs }),
  };
}

/** When the player's event was first seen in ClickHouse (polled until the probe's outcome). */
async function storedAt(store: Store, player: string, outcome: Promise<unknown>) {
  let done = false;
  void outcome.then(() => (done = true));
  const sql = `SELECT count() AS n FROM events WHERE player_id = ${sqlString(player)}`;
  while (!done) {
    const [row] = await store.rows<{ n: number }>(sql);
    if (Number(row?.n) > 0) return nowMs();
    await sleep(20);
  }
  return nowMs();
}
