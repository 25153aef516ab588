// The CDNOW transactions file (see /work/shared/data/README.md) as players and deposit events,
// plus plain computations over the raw rows that the real-data test compares both evaluators
// with. Dates are kept as YYYYMMDD numbers and amounts as integer cents here, so these
// computations share nothing with the rule engine's time or decimal handling.
import type { EventRow } from '../../engine/store/events.ts';
import type { PlayerRow } from '../../engine/store/players.ts';

export interface CdnowRow {
  readonly customer: string;
  /** YYYYMMDD */
  readonly date: number;
  readonly cds: number;
  /** The dollar value as written, e.g. "11.77". */
  readonly amount: string;
  readonly cents: number;
}

const ROW = /^(\d{5})\s+(\d{8})\s+(\d+)\s+(\d+)\.(\d{2})$/;

export function parseCdnow(text: string): CdnowRow[] {
  const lines = text.split(/\r?\n/);
  const rows: CdnowRow[] = [];
  lines.forEach((raw, i) => {
    const line = raw.trim();
    if (i === 0 || line === '') return;
    const m = ROW.exec(line);
    if (!m) throw new Error(`cdnow line ${i + 1} is not "customer date cds dollars": ${line}`);
    const [, customer, date, cds, dollars, cents] = m as unknown as string[];
    rows.push({
      customer: customer!,
      date: Number(date),
      cds: Number(cds),
      amount: `${dollars}.${cents}`,
      cents: Number(dollars) * 100 + Number(cents),
    });
  });
  return rows;
}

export function cdnowPlayers(rows: readonly CdnowRow[]): PlayerRow[] {
  return [...new Set(rows.map((r) => r.customer))].map((player_id) => ({ player_id, version: 1 }));
}

/** Deposits at 00:00 UTC of their date; n numbers a customer's rows on the same day. */
export function cdnowEvents(rows: readonly CdnowRow[]): EventRow[] {
  const seen = new Map<string, number>();
  return rows.map((r) => {
    const day = `${r.customer}:${r.date}`;
    const n = (seen.get(day) ?? 0) + 1;
    seen.set(day, n);
    return {
      event_id: `cdnow:${day}:${n}`,
      player_id: r.customer,
      type: 'deposit',
      event_time: Date.UTC(
        Math.floor(r.date / 10_000),
        (Math.floor(r.date / 100) % 100) - 1,
        r.date % 100,
      ),
      amount: r.amount,
      quantity: r.cds,
    };
  });
}

/** Customers whose rows satisfy `test`; every customer is in the universe. */
export function customersWhere(
  rows: readonly CdnowRow[],
  test: (own: readonly CdnowRow[]) => boolean,
): string[] {
  const byCustomer = new Map<string, CdnowRow[]>();
  for (const r of rows) {
    const own = byCustomer.get(r.customer);
    if (own) own.push(r);
    else byCustomer.set(r.customer, [r]);
  }
  return [...byCustomer]
    .filter(([, own]) => test(own))
    .map(([id]) => id)
    .sort();
}

/** Rows with from ≤ date < to (YYYYMMDD). */
export const during = (own: readonly CdnowRow[], from: number, to: number) =>
  own.filter((r) => r.date >= from && r.date < to);

export const distinctDays = (own: readonly CdnowRow[]) => new Set(own.map((r) => r.date)).size;

export const totalCents = (own: readonly CdnowRow[]) => own.reduce((sum, r) => sum + r.cents, 0);
