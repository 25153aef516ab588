// The CDNOW master file (whitespace-separated: customer_id, date YYYYMMDD, number_of_cds,
// dollar_value). Every row is a `deposit` event at 00:00:00 UTC of its day; every customer
// becomes a player registered on their first purchase day. Ids are deterministic, so a
// re-import adds nothing:
// - event `cdnow:<customer>:<YYYYMMDD>:<n>`, n counting that customer's rows of that day in
//   file order (several purchases on one day are normal in this file);
// - player version BUILTIN_VERSION, a constant: the file is a fixed historical snapshot.
import path from 'node:path';
import type { Store } from '../../store/clickhouse.ts';
import type { EventRow } from '../../store/events.ts';
import { handleRow } from './generic.ts';
import { emptyFile, numberedLines } from './lines.ts';
import { malformedError } from './items.ts';
import { ImportReport, type ImportSummary } from './report.ts';
import { checkEventRow, checkPlayerRow } from './schema.ts';
import { parseAmount, parseInteger, parseTime, rowInvalid } from './values.ts';
import { RowWriter } from './writer.ts';
import type { SegstreamError } from '../../errors/errors.ts';

/** Profile version of players from the built-in historical files. */
export const BUILTIN_VERSION = 1;

export interface CdnowPurchase {
  /** As written, zero-padded: "00001". */
  readonly customer: string;
  /** YYYYMMDD as written. */
  readonly day: string;
  /** Epoch ms of 00:00:00 UTC of the day. */
  readonly dayMs: number;
  readonly quantity: number;
  /** dollar_value as exact decimal text. */
  readonly amount: string;
}

export type CdnowItem =
  | { readonly line: number; readonly purchase: CdnowPurchase }
  | { readonly line: number; readonly error: SegstreamError };

export async function* readCdnow(file: string): AsyncGenerator<CdnowItem> {
  let seen = false;
  for await (const { line, text } of numberedLines(file)) {
    const fields = text.trim().split(/\s+/);
    if (fields[0] === '') continue;
    const first = !seen;
    seen = true;
    if (first && fields[0] === 'customer_id') continue;
    if (fields.length !== 4) {
      yield { line, error: malformedError(line, `expected 4 fields, found ${fields.length}`) };
      continue;
    }
    try {
      yield { line, purchase: purchaseOf(fields as [string, string, string, string]) };
    } catch (err) {
      yield { line, error: err as SegstreamError };
    }
  }
  if (!seen) throw emptyFile(file);
}

function purchaseOf([customer, day, cds, dollars]: [
  string,
  string,
  string,
  string,
]): CdnowPurchase {
  if (!/^\d{1,20}$/.test(customer)) throw rowInvalid('customer_id', 'not a number', customer);
  return {
    customer,
    day,
    dayMs: parseTime('date', day, 'YYYYMMDD'),
    quantity: parseInteger('number_of_cds', cds, { min: 0, max: 1_000_000 }),
    amount: parseAmount('dollar_value', dollars),
  };
}

/** The deposit event of a purchase; `n` is its occurrence number among the customer's day. */
export function cdnowEvent(p: CdnowPurchase, n: number, idPrefix = 'cdnow'): EventRow {
  return checkEventRow({
    event_id: `${idPrefix}:${p.customer}:${p.day}:${n}`,
    player_id: p.customer,
    type: 'deposit',
    event_time: p.dayMs,
    amount: p.amount,
    currency: 'USD',
    quantity: p.quantity,
  });
}

/** Numbers repeated customer-days 1, 2, 3... in file order. */
export class DayCounter {
  private readonly counts = new Map<string, number>();

  next(p: CdnowPurchase): number {
    const key = `${p.customer}:${p.day}`;
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n;
  }
}

export interface CdnowImportOptions {
  readonly batchSize?: number;
  readonly maxRejections?: number;
}

export async function importCdnow(
  store: Store,
  file: string,
  opts: CdnowImportOptions = {},
): Promise<ImportSummary> {
  const name = path.basename(file);
  const report = new ImportReport(opts.maxRejections);
  const writer = new RowWriter(store, report, opts.batchSize);
  const days = new DayCounter();
  const firstPurchase = new Map<string, number>();

  for await (const item of readCdnow(file)) {
    report.rowRead();
    if ('error' in item) {
      report.reject(name, item.line, item.error);
      continue;
    }
    const p = item.purchase;
    const event = cdnowEvent(p, days.next(p));
    await handleRow(() => writer.addEvent(event), report, name, item.line);
    firstPurchase.set(p.customer, Math.min(firstPurchase.get(p.customer) ?? Infinity, p.dayMs));
  }
  for (const [customer, first] of firstPurchase) {
    await writer.addPlayer(
      checkPlayerRow({
        player_id: customer,
        version: BUILTIN_VERSION,
        registered_at: first,
        currency: 'USD',
      }),
    );
  }
  await writer.flush();
  return report.summary();
}
