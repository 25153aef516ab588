import { describe, expect, it } from 'vitest';
import { isSegstreamError } from '../errors/errors.ts';
import type { EventRow } from '../store/events.ts';
import type { PlayerRow } from '../store/players.ts';
import type { RosterPlayer } from './roster.ts';
import { runStream, type StreamOptions } from './stream.ts';

const ROSTER: RosterPlayer[] = Array.from({ length: 50 }, (_, i) => ({
  player_id: `p${String(i + 1).padStart(6, '0')}`,
  country: i % 7 === 0 ? 'TR' : 'DE',
  currency: i % 7 === 0 ? 'TRY' : 'EUR',
  vip_level: i % 10,
}));

interface Captured {
  readonly events: EventRow[];
  readonly players: PlayerRow[];
  calls: number;
}

/** Runs a stream that records what reaches its sink; `stop` aborts it. */
function start(opts: Partial<StreamOptions> = {}) {
  const controller = new AbortController();
  const seen: Captured = { events: [], players: [], calls: 0 };
  const startedAt = performance.now();
  const done = runStream({
    rate: 200,
    intervalMs: 50,
    roster: ROSTER,
    firstNewIndex: 51,
    signal: controller.signal,
    sink: async (events, players) => {
      seen.calls++;
      seen.events.push(...events);
      seen.players.push(...players);
    },
    ...opts,
  });
  const stop = async () => {
    controller.abort();
    const stats = await done;
    return { stats, seconds: (performance.now() - startedAt) / 1000 };
  };
  return { seen, stop, done };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('runStream', () => {
  it('keeps to the rate: never ahead of the clock, not far behind it', async () => {
    const run = start({ rate: 200 });
    await sleep(1_500);
    const { stats, seconds } = await run.stop();
    expect(stats.events).toBe(run.seen.events.length);
    expect(stats.events).toBeLessThanOrEqual(200 * seconds);
    // Generous: a loaded machine may run timers late, but a second's worth must have come.
    expect(stats.events).toBeGreaterThanOrEqual(200);
    expect(stats.batches).toBe(run.seen.calls);
  });

  it('stops when aborted and calls the sink no more', async () => {
    const run = start();
    await sleep(300);
    await run.stop();
    const calls = run.seen.calls;
    await sleep(300);
    expect(run.seen.calls).toBe(calls);
  });

  it('finishes the batch in the sink before resolving', async () => {
    let finished = 0;
    const controller = new AbortController();
    const done = runStream({
      rate: 100,
      intervalMs: 20,
      roster: ROSTER,
      firstNewIndex: 51,
      signal: controller.signal,
      sink: async () => {
        controller.abort();
        await sleep(200);
        finished++;
      },
    });
    const stats = await done;
    expect([finished, stats.batches]).toEqual([1, 1]);
  });

  it('produces coherent events: known types, unique ids, registered players first', async () => {
    const run = start({ rate: 1_000 });
    await sleep(800);
    await run.stop();
    const { events, players } = run.seen;
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    const types = new Set(events.map((e) => e.type));
    expect([...types].every((t) => TYPES.includes(t))).toBe(true);
    expect([...types]).toEqual(expect.arrayContaining(['login', 'bet', 'deposit']));

    const registered = events.filter((e) => e.type === 'registration').map((e) => e.player_id);
    expect(registered).toEqual(players.map((p) => p.player_id));
    expect(players[0]?.player_id).toBe('p000051');
    const known = new Set([...ROSTER.map((p) => p.player_id), ...registered]);
    expect(events.filter((e) => !known.has(e.player_id))).toEqual([]);
  });

  it('plays unknown markets in their stored currency', async () => {
    const run = start({ rate: 1_000 });
    await sleep(500);
    await run.stop();
    const turkish = new Set(ROSTER.filter((p) => p.country === 'TR').map((p) => p.player_id));
    const money = run.seen.events.filter((e) => turkish.has(e.player_id) && e.amount !== null);
    expect(money.length).toBeGreaterThan(0);
    expect(new Set(money.map((e) => e.currency))).toEqual(new Set(['TRY']));
  });

  it('starts with a registration when there is no one to play with', async () => {
    const run = start({ roster: [], firstNewIndex: 1 });
    await sleep(300);
    await run.stop();
    expect(run.seen.events[0]).toMatchObject({ type: 'registration', player_id: 'p000001' });
  });

  it('carries on after the sink fails', async () => {
    let calls = 0;
    const run = start({
      sink: async () => {
        calls++;
        if (calls === 1) throw new Error('ClickHouse went away');
      },
    });
    await sleep(500);
    const { stats } = await run.stop();
    expect(stats.failedBatches).toBe(1);
    expect(stats.batches).toBe(calls - 1);
    expect(stats.batches).toBeGreaterThan(0);
  });

  it.each([0, -5, Number.NaN, Number.POSITIVE_INFINITY])('refuses rate %s', async (rate) => {
    const error = await start({ rate }).done.catch((err: unknown) => err);
    expect(isSegstreamError(error, 'VALIDATION_FAILED')).toBe(true);
    expect((error as { details: unknown }).details).toMatchObject({ field: 'rate' });
  });
});

const TYPES = ['registration', 'login', 'deposit', 'withdrawal', 'bet', 'win', 'bonus'];
