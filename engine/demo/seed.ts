// Loads the demo population into ClickHouse when the players table is empty. Events go in
// first and players last, so a non-empty players table means a seed that finished: after a
// crash half-way the next run seeds again, and insertEvents skips the events already stored
// (their ids are deterministic for a given seed).
import type { Logger } from '../log.ts';
import type { Store } from '../store/clickhouse.ts';
import { insertEvents } from '../store/events.ts';
import { insertPlayers, type PlayerRow } from '../store/players.ts';
import { generatePopulation, type PopulationOptions } from './population.ts';

export interface SeedReport {
  /** False when the players table already had rows and nothing was loaded. */
  readonly seeded: boolean;
  readonly players: number;
  readonly events: number;
  readonly durationMs: number;
}

/** Players per generated batch; about 100k events: few enough parts for ClickHouse to merge. */
const BATCH_PLAYERS = 2_000;

export async function seedPopulation(
  store: Store,
  opts: PopulationOptions,
  log?: Logger,
): Promise<SeedReport> {
  const started = performance.now();
  if ((await countPlayers(store)) > 0) {
    return { seeded: false, players: 0, events: 0, durationMs: 0 };
  }

  const players: PlayerRow[] = [];
  let events = 0;
  let inFlight: Promise<void> = Promise.resolve();
  for (const batch of generatePopulation(opts, BATCH_PLAYERS)) {
    // One insert in flight while the next batch is generated: ClickHouse works on one core
    // while this process generates on the other. Batches hold disjoint players, so their
    // duplicate checks cannot interfere.
    await inFlight;
    inFlight = insertEvents(store, batch.events).then((r) => {
      events += r.inserted;
      log?.debug({ events }, 'demo seed progress');
    });
    for (const p of batch.players) players.push(p);
  }
  await inFlight;
  await insertPlayers(store, players);

  const durationMs = Math.round(performance.now() - started);
  return { seeded: true, players: players.length, events, durationMs };
}

export async function countPlayers(store: Store): Promise<number> {
  const rows = await store.rows<{ n: number }>('SELECT count() AS n FROM players');
  return Number(rows[0]?.n ?? 0);
}
