// The event history of one demo player over a time window: sessions spread over the days the
// player was active, more of them on weekends and in the evening, each played by playSession.
import type { EventRow } from '../store/events.ts';
import { DAY_MS, secondsOf, type DemoPlayer } from './profile.ts';
import type { Rng } from './random.ts';
import { makeDraft, playSession, type EventDraft, type Wallet } from './session.ts';

export interface HistoryWindow {
  /** Epoch milliseconds, inclusive. */
  readonly from: number;
  /** Epoch milliseconds, inclusive. */
  readonly to: number;
}

/**
 * Events of `player` inside `window`, with ids `${idPrefix}${n}`. The same rng state gives the
 * same events, so ids are stable across runs with the same seed.
 */
export function playerHistory(
  rng: Rng,
  player: DemoPlayer,
  window: HistoryWindow,
  idPrefix: string,
): EventRow[] {
  const { row, traits } = player;
  const registeredAt = row.registered_at ?? window.from;
  const isNew = registeredAt >= window.from;
  const events: EventRow[] = [];
  const add = (draft: EventDraft, time: number) => {
    events.push(toEventRow(draft, time, `${idPrefix}${events.length + 1}`, player));
  };

  if (isNew) add(makeDraft('registration', 0), registeredAt);
  if (traits.tier === 'dormant') return events;

  const end = Math.min(window.to, player.activeUntil);
  const typicalCents = traits.depositUnits * traits.moneyScale * 100;
  const wallet: Wallet = isNew
    ? { balanceCents: 0, deposits: 0 }
    : { balanceCents: rng.int(0, Math.round(typicalCents)), deposits: 1 };
  for (const start of sessionStarts(rng, player, Math.max(window.from, registeredAt), end)) {
    for (const draft of playSession(rng, traits, wallet)) {
      const time = start + draft.offsetS * 1000;
      if (time <= end) add(draft, time);
    }
  }
  return events;
}

function toEventRow(draft: EventDraft, time: number, id: string, player: DemoPlayer): EventRow {
  return {
    event_id: id,
    player_id: player.row.player_id,
    type: draft.type,
    event_time: time,
    amount: draft.amount,
    currency: draft.amount === null ? null : player.traits.currency,
    game_category: draft.game_category,
    product: draft.product,
    payment_method: draft.payment_method,
    status: draft.status,
    quantity: null,
    props: draft.props,
  };
}

/** Relative share of sessions starting in each UTC hour: quiet nights, busy evenings. */
const HOUR_WEIGHTS = [3, 2, 1, 1, 1, 1, 1, 2, 3, 3, 4, 4, 5, 5, 5, 5, 6, 7, 8, 9, 10, 10, 8, 5].map(
  (weight, hour) => [hour, weight] as const,
);

/** Session start times (whole seconds, ascending) between `from` and `end`. */
function sessionStarts(rng: Rng, player: DemoPlayer, from: number, end: number): number[] {
  const starts: number[] = [];
  // A new player usually plays right after registering: that is when the first deposit happens.
  if (from === player.row.registered_at && rng.chance(0.7)) {
    starts.push(secondsOf(from + rng.int(60, 1200) * 1000));
  }
  for (let day = Math.floor(from / DAY_MS) * DAY_MS; day <= end; day += DAY_MS) {
    // 1970-01-01 was a Thursday: weekday 0 is Thursday, 1 Friday, 2 Saturday, 3 Sunday.
    const weekday = Math.floor(day / DAY_MS) % 7;
    const busy = weekday >= 1 && weekday <= 3 ? 1.3 : 0.88;
    const count = rng.poisson(player.traits.sessionsPerDay * busy);
    for (let i = 0; i < count; i++) {
      const offset = rng.weighted(HOUR_WEIGHTS) * 3_600_000 + rng.int(0, 3599) * 1000;
      starts.push(day + offset);
    }
  }
  return starts.filter((t) => t >= from && t <= end).sort((a, b) => a - b);
}
