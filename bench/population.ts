// Generated players and event history, written by ClickHouse itself (INSERT … SELECT FROM
// numbers()), so 10M events take seconds instead of a trip through Node. Every value is a hash of
// the row number: the same sizes always give the same data relative to the as-of time.
//
// - Players p0 … p(N-1) with country, VIP level, consent and self-exclusion flags, some of them
//   missing (NULL), and a registration time in the last 400 days.
// - Events spread over the 90 days before the as-of time; 30 % of them go to the most active
//   5 % of players. Types: deposits, bets, logins, withdrawals, wins, bonuses; logins have no
//   amount. ingested_at equals event_time and updated_at lies in the past, as after a live
//   history: the engine's overlap re-read then sees a few rows, not the whole bulk load.
import { createSegmentRepository } from '../engine/segments/repository.ts';
import { DEFAULT_CATALOGUE } from '../engine/catalogue/default.ts';
import { sqlNumber } from '../engine/sql/literal.ts';
import type { Store } from '../engine/store/clickhouse.ts';

export interface PopulationSpec {
  readonly players: number;
  readonly events: number;
  /** Events go to players p0 … p(eventPlayers-1) only; the rest stay without history. */
  readonly eventPlayers?: number;
  /** Epoch milliseconds, whole seconds: the newest event time. */
  readonly asOfMs: number;
}

export async function generatePopulation(store: Store, spec: PopulationSpec): Promise<void> {
  const asOf = sqlNumber(Math.floor(spec.asOfMs / 1000));
  const n = sqlNumber(spec.players);
  await store.exec(`INSERT INTO players (player_id, version, updated_at, country, vip_level,
      self_excluded, marketing_email, registered_at)
    SELECT concat('p', toString(number)), 1,
      toDateTime(${asOf} - 86400 - intHash32(number + 11) % (400 * 86400)),
      if(number % 23 = 0, NULL, ['DE', 'AT', 'CH', 'SE', 'GB', 'FI'][number % 6 + 1]),
      if(number % 19 = 0, NULL, toInt32(number % 6)),
      if(number % 31 = 0, NULL, toUInt8(number % 29 = 0)),
      if(number % 7 = 0, NULL, toUInt8(number % 3 != 0)),
      toDateTime(${asOf} - intHash32(number + 13) % (400 * 86400))
    FROM numbers(${n})`);

  const p = sqlNumber(spec.eventPlayers ?? spec.players);
  const heavy = sqlNumber(Math.max(1, Math.floor((spec.eventPlayers ?? spec.players) / 20)));
  await store.exec(`INSERT INTO events (event_id, player_id, type, event_time, ingested_at, amount,
      game_category, payment_method)
    SELECT concat('e', toString(number)),
      concat('p', toString(if(intHash32(number + 17) % 10 < 3,
        intHash32(number + 1) % ${heavy}, intHash32(number) % ${p}))),
      ['deposit', 'bet', 'bet', 'bet', 'login', 'login', 'withdrawal', 'win', 'win', 'bonus']
        [number % 10 + 1],
      toDateTime(${asOf} - intHash32(number + 7) % (90 * 86400)) AS t,
      t,
      if(number % 10 IN (4, 5), NULL, toDecimal64(intHash32(number + 3) % 1000, 4)),
      if(number % 10 IN (1, 2, 3, 7, 8), ['slots', 'live', 'sports'][intHash32(number + 5) % 3 + 1],
        NULL),
      if(number % 10 IN (0, 6), ['card', 'bank', 'wallet'][intHash32(number + 9) % 3 + 1], NULL)
    FROM numbers(${sqlNumber(spec.events)})`);

  // Merged parts, as a history that has been there a while has them; background merges would
  // otherwise run during the measurements.
  await store.exec('OPTIMIZE TABLE players FINAL');
  await store.exec('OPTIMIZE TABLE events FINAL');
}

/** Saves the segments as version 1 each, with the built-in catalogue (what the engine uses). */
export async function saveSegments(
  store: Store,
  segments: readonly { id: string; rule: unknown }[],
): Promise<void> {
  const repo = createSegmentRepository(store, {
    catalogue: DEFAULT_CATALOGUE,
    defaultTimezone: 'UTC',
  });
  for (const { id, rule } of segments) {
    await repo.create({ name: id, rule }, { createdBy: 'bench', id });
  }
}
