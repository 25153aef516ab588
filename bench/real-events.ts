// The stored events of a database read back as EventRow values: the same rows an import wrote,
// for the bare-insert anchor of the real-data import figure.
import type { Store } from '../engine/store/clickhouse.ts';
import type { EventRow } from '../engine/store/events.ts';

interface StoredEvent {
  event_id: string;
  player_id: string;
  type: string;
  seconds: number;
  amount: string | null;
  currency: string | null;
  product: string | null;
  quantity: number | null;
  prop_keys: string[];
  prop_values: string[];
}

export async function readEvents(store: Store): Promise<EventRow[]> {
  const rows = await store.rows<StoredEvent>(`SELECT event_id, player_id, type,
      toUnixTimestamp(event_time) AS seconds, toString(amount) AS amount, currency, product,
      quantity, prop_keys, prop_values
    FROM events`);
  return rows.map((r) => ({
    ...{ event_id: r.event_id, player_id: r.player_id, type: r.type },
    ...{ event_time: Number(r.seconds) * 1000, amount: r.amount, currency: r.currency },
    ...{ product: r.product, quantity: r.quantity === null ? null : Number(r.quantity) },
    props: Object.fromEntries(r.prop_keys.map((key, i) => [key, r.prop_values[i] ?? ''])),
  }));
}
