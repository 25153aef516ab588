// The demo population: N players registered over the last two years, with their event history
// over the last 90 days. Deterministic: the same options give the same players and events,
// because every player draws from its own Rng seeded by (seed, player index) and `now` is an
// explicit option rather than the clock.
import type { EventRow } from '../store/events.ts';
import type { PlayerRow } from '../store/players.ts';
import { playerHistory } from './history.ts';
import { DAY_MS, makePlayer, secondsOf, type DemoPlayer } from './profile.ts';
import { createRng, deriveSeed } from './random.ts';

export interface PopulationOptions {
  /** Number of players, ids p000001 upwards. */
  readonly players: number;
  readonly seed: number;
  /** End of the generated history and "today" for ages, epoch milliseconds. */
  readonly now: number;
  /** Length of the event history, days. Default 90. */
  readonly historyDays?: number;
  /** Registrations spread over this many days before `now`. Default 730 (two years). */
  readonly registrationDays?: number;
}

export interface PopulationBatch {
  readonly players: PlayerRow[];
  readonly events: EventRow[];
}

export const DEFAULT_HISTORY_DAYS = 90;
export const DEFAULT_REGISTRATION_DAYS = 730;

/** Player `index` (1-based) of the population, with its history. */
export function populationMember(
  opts: PopulationOptions,
  index: number,
): { player: DemoPlayer; events: EventRow[] } {
  const rng = createRng(deriveSeed(opts.seed, 'player', index));
  const now = secondsOf(opts.now);
  const player = makePlayer(rng, index, registrationTime(opts, index, rng.next()), now);
  const from = now - (opts.historyDays ?? DEFAULT_HISTORY_DAYS) * DAY_MS;
  const prefix = `h${opts.seed}-${player.row.player_id}-`;
  return { player, events: playerHistory(rng, player, { from, to: now }, prefix) };
}

/** The population in batches of `batchPlayers` players, in id order. */
export function* generatePopulation(
  opts: PopulationOptions,
  batchPlayers = 1_000,
): Generator<PopulationBatch> {
  for (let first = 1; first <= opts.players; first += batchPlayers) {
    const last = Math.min(opts.players, first + batchPlayers - 1);
    const players: PlayerRow[] = [];
    const events: EventRow[] = [];
    for (let index = first; index <= last; index++) {
      const member = populationMember(opts, index);
      players.push(member.player.row);
      for (const e of member.events) events.push(e);
    }
    yield { players, events };
  }
}

/**
 * Registration times follow player ids (p000001 registered first) and grow denser towards
 * `now`, as a growing operator's do: the share of players registered by time t rises like
 * t^1.5, so t = share^(2/3). A few hours of jitter keep neighbours from being evenly spaced.
 */
function registrationTime(opts: PopulationOptions, index: number, u: number): number {
  const span = (opts.registrationDays ?? DEFAULT_REGISTRATION_DAYS) * DAY_MS;
  const start = opts.now - span;
  const share = (index - 0.5) / opts.players;
  const jitter = (u - 0.5) * 6 * 3_600_000;
  const at = start + span * Math.pow(share, 2 / 3) + jitter;
  return secondsOf(Math.min(opts.now - 60_000, Math.max(start, at)));
}
