// Events as clients send them to POST /v1/events: the same mix of types as the generated history
// (population.ts), spread over players by a cheap integer hash so a run is repeatable.
import type { EventRow } from '../engine/store/events.ts';

const TYPES = [
  'deposit',
  'bet',
  'bet',
  'bet',
  'login',
  'login',
  'withdrawal',
  'win',
  'win',
  'bonus',
];
const CATEGORIES = ['slots', 'live', 'sports'];
const METHODS = ['card', 'bank', 'wallet'];

/** A 32-bit integer hash (xorshift-multiply), so ids and values look random but repeat. */
export function hash(n: number): number {
  let x = (n ^ 0x9e3779b9) >>> 0;
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b) >>> 0;
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35) >>> 0;
  return (x ^ (x >>> 16)) >>> 0;
}

/**
 * Event number `i` of a run (`run` keeps ids of different runs apart), for one of the first
 * `players` players, stamped `timeMs`. Logins carry no amount, like in the history.
 */
export function benchEvent(run: string, i: number, players: number, timeMs: number): EventRow {
  const type = TYPES[i % TYPES.length]!;
  const h = hash(i);
  return {
    event_id: `${run}-${i}`,
    player_id: `p${h % players}`,
    type,
    event_time: timeMs,
    ...(type === 'login' ? {} : { amount: `${h % 1000}.${h % 100}` }),
    ...(type === 'bet' || type === 'win' ? { game_category: CATEGORIES[h % 3]! } : {}),
    ...(type === 'deposit' || type === 'withdrawal' ? { payment_method: METHODS[h % 3]! } : {}),
  };
}

/** Events as an NDJSON body. */
export function ndjson(events: readonly EventRow[]): string {
  return events.map((e) => JSON.stringify(e)).join('\n');
}
