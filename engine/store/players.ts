// Writing player profiles. A profile row replaces the previous one as a whole; `version` orders
// them (ReplacingMergeTree keeps the highest). Writers pass a version that only grows for a
// player, e.g. the source's update time in milliseconds.
import type { TsvValue } from '../sql/tsv.ts';
import type { Store } from './clickhouse.ts';
import { toStoredDay } from './day.ts';

export interface PlayerRow {
  readonly player_id: string;
  readonly version: number;
  readonly email?: string | null;
  readonly phone?: string | null;
  readonly country?: string | null;
  readonly currency?: string | null;
  readonly language?: string | null;
  readonly gender?: string | null;
  /** Epoch milliseconds. */
  readonly registered_at?: number | null;
  /** Calendar date, YYYY-MM-DD, within DAY_RANGE (stored as YYYYMMDD, see day.ts). */
  readonly birth_date?: string | null;
  readonly vip_level?: number | null;
  readonly kyc_status?: string | null;
  readonly account_status?: string | null;
  readonly self_excluded?: boolean | null;
  /** Epoch milliseconds. */
  readonly cooling_off_until?: number | null;
  readonly marketing_email?: boolean | null;
  readonly marketing_sms?: boolean | null;
  readonly marketing_push?: boolean | null;
  readonly tags?: readonly string[];
  /** Operator-configured attributes, stored as parallel key / value arrays. */
  readonly attributes?: Readonly<Record<string, string>>;
}

export const PLAYER_COLUMNS = [
  'player_id',
  'version',
  'email',
  'phone',
  'country',
  'currency',
  'language',
  'gender',
  'registered_at',
  'birth_date',
  'vip_level',
  'kyc_status',
  'account_status',
  'self_excluded',
  'cooling_off_until',
  'marketing_email',
  'marketing_sms',
  'marketing_push',
  'tags',
  'attr_keys',
  'attr_values',
] as const;

export async function insertPlayers(store: Store, players: readonly PlayerRow[]): Promise<number> {
  await store.insert('players', PLAYER_COLUMNS, players.map(toClickHouseRow));
  return players.length;
}

const seconds = (ms: number | null | undefined) => (ms == null ? null : Math.floor(ms / 1000));
const flag = (b: boolean | null | undefined) => (b == null ? null : b ? 1 : 0);

export function toClickHouseRow(p: PlayerRow): TsvValue[] {
  const attributes = Object.entries(p.attributes ?? {});
  return [
    p.player_id,
    p.version,
    p.email ?? null,
    p.phone ?? null,
    p.country ?? null,
    p.currency ?? null,
    p.language ?? null,
    p.gender ?? null,
    seconds(p.registered_at),
    p.birth_date == null ? null : toStoredDay(p.birth_date),
    p.vip_level ?? null,
    p.kyc_status ?? null,
    p.account_status ?? null,
    flag(p.self_excluded),
    seconds(p.cooling_off_until),
    flag(p.marketing_email),
    flag(p.marketing_sms),
    flag(p.marketing_push),
    p.tags ?? [],
    attributes.map(([k]) => k),
    attributes.map(([, v]) => v),
  ];
}
