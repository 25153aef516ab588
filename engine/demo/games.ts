// The games demo players bet on: each with its product, typical stake, pace, settlement delay
// and odds. Returns to player sit around 95% (win chance x mean payout), as regulated markets
// expect; the heavy right tail of single wins comes from the log-normal in placeBet.
import type { Rng } from './random.ts';
import type { Product } from './traits.ts';

export interface Game {
  readonly product: Product;
  readonly category: string;
  /** Stake relative to the player's typical casino stake. */
  readonly stakeFactor: number;
  readonly secondsPerRound: readonly [number, number];
  /** Seconds from the bet to its win being settled. */
  readonly settleS: readonly [number, number];
  readonly winChance: number;
  /** Mean payout of a winning bet, as a multiple of the stake (return to player / winChance). */
  readonly payout: number;
}

const GAMES: Readonly<Record<string, Game>> = {
  slots: game('casino', 'slots', 1, [4, 30], [1, 3], 0.28, 3.4),
  live_casino: game('casino', 'live_casino', 3, [30, 90], [20, 40], 0.46, 2.1),
  table: game('casino', 'table', 2, [20, 60], [5, 20], 0.46, 2.1),
  sports: game('sportsbook', 'sports', 5, [40, 300], [3600, 10800], 0.45, 2.1),
  poker: game('poker', 'poker', 4, [120, 600], [60, 600], 0.35, 2.7),
};

function game(
  product: Product,
  category: string,
  stakeFactor: number,
  secondsPerRound: readonly [number, number],
  settleS: readonly [number, number],
  winChance: number,
  payout: number,
): Game {
  return { product, category, stakeFactor, secondsPerRound, settleS, winChance, payout };
}

const CASINO_MIX = Object.entries({ slots: 70, live_casino: 20, table: 10 });
const SPORTS = Object.entries({
  football: 55,
  tennis: 15,
  basketball: 12,
  ice_hockey: 10,
  esports: 8,
});
const SLOT_GAMES = ['golden_pharaoh', 'viking_riches', 'fruit_frenzy', 'lucky_sevens', 'moon_gems'];

export function chooseGame(rng: Rng, product: Product): Game {
  // Most bets go to the favourite product; some players cross over now and then.
  const chosen = rng.chance(0.85) ? product : rng.pick(['casino', 'sportsbook', 'poker'] as const);
  if (chosen === 'sportsbook') return GAMES.sports as Game;
  if (chosen === 'poker') return GAMES.poker as Game;
  return GAMES[rng.weighted(CASINO_MIX)] as Game;
}

export function gameProps(rng: Rng, g: Game): Record<string, string> | undefined {
  if (g.product === 'sportsbook') return { sport: rng.weighted(SPORTS) };
  return g.category === 'slots' ? { game: rng.pick(SLOT_GAMES) } : undefined;
}
