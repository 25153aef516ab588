// Applying player profile updates. The players table keeps whole profiles (the highest version
// wins), while an ingested update names only the fields it changes, so the writer reads the
// stored profiles of a batch's players, merges the updates in queue order and writes one new row
// per changed player. An update whose version is not above the stored one is stale and skipped:
// that keeps out-of-order updates from going back in time and makes a replayed batch (after a
// writer crash) change nothing.
import type { Store } from '../store/clickhouse.ts';
import { querySizeFor } from '../store/events.ts';
import { fromStoredDay } from '../store/day.ts';
import { insertPlayers, type PlayerRow } from '../store/players.ts';
import { sqlStringArray } from '../sql/literal.ts';
import type { PlayerUpsert } from './convert.ts';

export interface UpsertResult {
  /** Profiles written (one per changed player). */
  readonly written: number;
  /** Updates skipped because the stored profile was already as new or newer. */
  readonly stale: number;
}

/** Ids per profile lookup; keeps the IN list of each query moderate. */
const LOOKUP_CHUNK = 2_000;

export async function applyPlayerUpserts(
  store: Store,
  upserts: readonly PlayerUpsert[],
): Promise<UpsertResult> {
  const ids = [...new Set(upserts.map((u) => u.player_id))];
  const stored = await readProfiles(store, ids);
  const next = new Map<string, PlayerRow>();
  let stale = 0;
  for (const upsert of upserts) {
    const base = next.get(upsert.player_id) ?? stored.get(upsert.player_id);
    if (base !== undefined && upsert.version <= base.version) {
      stale += 1;
      continue;
    }
    next.set(upsert.player_id, mergeProfile(base, upsert));
  }
  await insertPlayers(store, [...next.values()]);
  return { written: next.size, stale };
}

/** The profile after an update: named fields replace, `null` clears, the rest is kept. */
export function mergeProfile(base: PlayerRow | undefined, upsert: PlayerUpsert): PlayerRow {
  const { tags, attributes, ...scalars } = upsert.changes;
  return {
    ...base,
    ...scalars,
    player_id: upsert.player_id,
    version: upsert.version,
    tags: tags === undefined ? (base?.tags ?? []) : (tags ?? []),
    attributes: attributes === undefined ? (base?.attributes ?? {}) : (attributes ?? {}),
  };
}

interface StoredProfile {
  player_id: string;
  version: number;
  email: string | null;
  phone: string | null;
  country: string | null;
  currency: string | null;
  language: string | null;
  gender: string | null;
  registered_s: number | null;
  birth_date: number | null;
  vip_level: number | null;
  kyc_status: string | null;
  account_status: string | null;
  self_excluded: number | null;
  cooling_off_s: number | null;
  marketing_email: number | null;
  marketing_sms: number | null;
  marketing_push: number | null;
  tags: string[];
  attr_keys: string[];
  attr_values: string[];
}

/** The latest stored profile of each of the given players (FINAL: before merges have run). */
export async function readProfiles(
  store: Store,
  ids: readonly string[],
): Promise<Map<string, PlayerRow>> {
  const profiles = new Map<string, PlayerRow>();
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const chunk = ids.slice(i, i + LOOKUP_CHUNK);
    const sql = `SELECT player_id, version, email, phone, country, currency, language, gender,
        toUnixTimestamp(registered_at) AS registered_s, birth_date,
        vip_level, kyc_status, account_status, self_excluded,
        toUnixTimestamp(cooling_off_until) AS cooling_off_s,
        marketing_email, marketing_sms, marketing_push, tags, attr_keys, attr_values
      FROM players FINAL
      WHERE player_id IN (SELECT arrayJoin(${sqlStringArray(chunk)}))`;
    const rows = await store.rows<StoredProfile>(sql, { settings: querySizeFor(sql) });
    for (const row of rows) profiles.set(row.player_id, toPlayerRow(row));
  }
  return profiles;
}

const ms = (seconds: number | null) => (seconds === null ? null : seconds * 1000);
const flag = (value: number | null) => (value === null ? null : value === 1);

function toPlayerRow(r: StoredProfile): PlayerRow {
  return {
    player_id: r.player_id,
    version: Number(r.version),
    email: r.email,
    phone: r.phone,
    country: r.country,
    currency: r.currency,
    language: r.language,
    gender: r.gender,
    registered_at: ms(r.registered_s),
    birth_date: r.birth_date === null ? null : fromStoredDay(r.birth_date),
    vip_level: r.vip_level,
    kyc_status: r.kyc_status,
    account_status: r.account_status,
    self_excluded: flag(r.self_excluded),
    cooling_off_until: ms(r.cooling_off_s),
    marketing_email: flag(r.marketing_email),
    marketing_sms: flag(r.marketing_sms),
    marketing_push: flag(r.marketing_push),
    tags: r.tags,
    attributes: Object.fromEntries(r.attr_keys.map((k, i) => [k, r.attr_values[i] ?? ''])),
  };
}
