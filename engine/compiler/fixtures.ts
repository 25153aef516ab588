// Players and events shared by the event-condition tests and the multi-query test. Times are
// relative to AS_OF (2024-03-31T12:00:00Z).
import type { EventRow } from '../store/events.ts';
import type { PlayerRow } from '../store/players.ts';
import { AS_OF, DAY, HOUR } from './test-support.ts';

export const BONUS_CODE = 'WELCOME\'1, "x" \\ \n🎰';

export const EVENT_PLAYERS: PlayerRow[] = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6'].map((id) => ({
  player_id: id,
  version: 1,
  country: id === 'p1' || id === 'p2' ? 'DE' : 'AT',
}));

let next = 0;
function event(
  player: string,
  type: string,
  time: number,
  extra: Partial<EventRow> = {},
): EventRow {
  next += 1;
  return { event_id: `e${next}`, player_id: player, type, event_time: time, ...extra };
}

const card = { payment_method: 'card' };

/**
 * Over the last 7 days (window `last 7 day`):
 * - p1: deposits 100.00 (card, bonus code), 50.5 (card, fee 0.5), 49.5 (paypal); 1000 at -40 d;
 *   a bet (slots, quantity 3).
 * - p2: one deposit of exactly 100.0000 an hour ago.
 * - p3: a deposit without amount or method, and one of 0.0001 without method.
 * - p4: nothing. p5: bets (quantity 2, and one without) and a login, no deposit.
 * - p6: a deposit of 10 exactly at the as-of time, 20 exactly 7 days before (outside the
 *   window: it is half-open), and a future deposit of 500 an hour after the as-of time.
 * - ghost: deposits but no profile, so never a member.
 */
export const EVENTS: EventRow[] = [
  event('p1', 'deposit', AS_OF - DAY, {
    amount: '100.00',
    ...card,
    props: { bonus_code: BONUS_CODE },
  }),
  event('p1', 'deposit', AS_OF - 2 * DAY, { amount: '50.5', ...card, props: { fee: '0.5' } }),
  event('p1', 'deposit', AS_OF - 3 * DAY, { amount: '49.5', payment_method: 'paypal' }),
  event('p1', 'deposit', AS_OF - 40 * DAY, { amount: '1000', ...card }),
  event('p1', 'bet', AS_OF - DAY, { amount: '5', game_category: 'slots', quantity: 3 }),
  event('p2', 'deposit', AS_OF - HOUR, { amount: '100.0000', ...card }),
  event('p3', 'deposit', AS_OF - DAY),
  event('p3', 'deposit', AS_OF - 2 * DAY, { amount: '0.0001' }),
  event('p5', 'bet', AS_OF - DAY, { amount: '20', game_category: 'casino', quantity: 2 }),
  event('p5', 'bet', AS_OF - 2 * DAY, { amount: '1', game_category: 'casino' }),
  event('p5', 'login', AS_OF - 2 * HOUR),
  event('p6', 'deposit', AS_OF + HOUR, { amount: '500', ...card }),
  event('p6', 'deposit', AS_OF, { amount: '10', ...card }),
  event('p6', 'deposit', AS_OF - 7 * DAY, { amount: '20', ...card }),
  event('ghost', 'deposit', AS_OF - DAY, { amount: '1000', ...card }),
];

/** An ISO time relative to AS_OF, for rule values. */
export const isoAgo = (ms: number): string => new Date(AS_OF - ms).toISOString();
