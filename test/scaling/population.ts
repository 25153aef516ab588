// A seeded population for the scaling tests: profiles with a spread of countries and VIP levels,
// and events of three lists spread over 60 days. Times sit half a day away from whole days, so
// no event crosses a window's edge while a test runs.
import type { EventRow } from '../../engine/store/events.ts';
import type { PlayerRow } from '../../engine/store/players.ts';
import { seeded } from '../pipeline/stream.ts';

const DAY = 86_400_000;
const COUNTRIES = ['DE', 'AT', 'MT', 'SE', null];
const TYPES = ['deposit', 'deposit', 'bet', 'bet', 'login'];

export interface Population {
  readonly players: PlayerRow[];
  readonly events: EventRow[];
}

export function population(seed: number, players: number, events: number, now = Date.now()) {
  const rand = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const profiles: PlayerRow[] = Array.from({ length: players }, (_, i) => ({
    player_id: `p${i}`,
    version: 1,
    country: pick(COUNTRIES),
    vip_level: Math.floor(rand() * 5),
  }));
  return { players: profiles, events: moreEvents(rand, players, events, now, `s${seed}-`) };
}

/** `n` events of players p0 … p<players-1>; low numbers are heavy players. */
export function moreEvents(
  rand: () => number,
  players: number,
  n: number,
  now: number,
  idPrefix: string,
): EventRow[] {
  return Array.from({ length: n }, (_, i) => {
    const type = TYPES[Math.floor(rand() * TYPES.length)]!;
    return {
      event_id: `${idPrefix}${i}`,
      player_id: `p${Math.floor(rand() ** 2 * players)}`,
      type,
      event_time: now - Math.floor(rand() * 60) * DAY - DAY / 2,
      amount: type === 'login' ? null : (rand() * 80).toFixed(2),
    };
  });
}
