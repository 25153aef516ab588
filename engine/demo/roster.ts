// The players the live stream plays with: stored players who may play right now (active, not
// self-excluded, not cooling off), and the next free demo player index for registrations.
import type { Store } from '../store/clickhouse.ts';

export interface RosterPlayer {
  readonly player_id: string;
  readonly country: string | null;
  readonly currency: string | null;
  readonly vip_level: number | null;
}

/** A cap on players loaded; the stream only needs a large enough crowd to draw from. */
const ROSTER_LIMIT = 200_000;

export async function loadRoster(store: Store): Promise<RosterPlayer[]> {
  return store.rows<RosterPlayer>(
    `SELECT player_id, country, currency, vip_level
     FROM players FINAL
     WHERE ifNull(self_excluded, 0) = 0
       AND ifNull(account_status, 'active') = 'active'
       AND (cooling_off_until IS NULL OR cooling_off_until < now())
     ORDER BY player_id
     LIMIT ${ROSTER_LIMIT}`,
  );
}

/** One more than the highest demo index (ids p000123) stored; 1 when there are none. */
export async function nextPlayerIndex(store: Store): Promise<number> {
  const rows = await store.rows<{ top: number }>(
    `SELECT max(toUInt64OrZero(substring(player_id, 2))) AS top
     FROM players
     WHERE match(player_id, '^p[0-9]+$')`,
  );
  return Number(rows[0]?.top ?? 0) + 1;
}
