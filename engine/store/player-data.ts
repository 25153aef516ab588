// One player's stored rows, read back as the rows the writers took (PlayerRow, EventRow): what
// explaining a segment for that player needs (engine/reference/explain.ts).
import { sqlString } from '../sql/literal.ts';
import type { Store } from './clickhouse.ts';
import { fromStoredDay } from './day.ts';
import type { EventRow } from './events.ts';
import type { PlayerRow } from './players.ts';

export interface PlayerData {
  /** The latest profile; empty when the player has none. */
  readonly players: PlayerRow[];
  readonly events: EventRow[];
}

const seconds = (column: string) =>
  `if(isNull(${column}), NULL, toUInt32(assumeNotNull(${column}))) AS ${column}`;

export async function loadPlayerData(store: Store, playerId: string): Promise<PlayerData> {
  const id = sqlString(playerId);
  const [profiles, events] = await Promise.all([
    store.rows<Record<string, unknown>>(
      `SELECT player_id, version, email, phone, country, currency, language, gender,
         ${seconds('registered_at')}, birth_date, vip_level, kyc_status, account_status,
         self_excluded, ${seconds('cooling_off_until')}, marketing_email, marketing_sms,
         marketing_push, tags, attr_keys, attr_values
       FROM players FINAL WHERE player_id = ${id}`,
    ),
    store.rows<Record<string, unknown>>(
      `SELECT event_id, player_id, type, toUInt32(event_time) AS event_time,
         if(isNull(amount), NULL, toString(assumeNotNull(amount))) AS amount, currency,
         game_category, product, payment_method, status, quantity, prop_keys, prop_values
       FROM events WHERE player_id = ${id} ORDER BY ingested_at, event_time, event_id`,
    ),
  ]);
  return { players: profiles.map(toPlayerRow), events: events.map(toEventRow) };
}

function toPlayerRow(r: Record<string, unknown>): PlayerRow {
  const flag = (v: unknown) => (v === null ? null : Number(v) === 1);
  const ms = (v: unknown) => (v === null ? null : Number(v) * 1000);
  return {
    ...(r as unknown as PlayerRow),
    version: Number(r.version),
    registered_at: ms(r.registered_at),
    cooling_off_until: ms(r.cooling_off_until),
    birth_date: r.birth_date === null ? null : fromStoredDay(Number(r.birth_date)),
    self_excluded: flag(r.self_excluded),
    marketing_email: flag(r.marketing_email),
    marketing_sms: flag(r.marketing_sms),
    marketing_push: flag(r.marketing_push),
    attributes: pairs(r.attr_keys, r.attr_values),
  };
}

function toEventRow(r: Record<string, unknown>): EventRow {
  return {
    ...(r as unknown as EventRow),
    event_time: Number(r.event_time) * 1000,
    quantity: r.quantity === null ? null : Number(r.quantity),
    props: pairs(r.prop_keys, r.prop_values),
  };
}

function pairs(keys: unknown, values: unknown): Record<string, string> {
  const k = keys as string[];
  const v = values as string[];
  return Object.fromEntries(k.map((key, i) => [key, v[i] ?? '']));
}
