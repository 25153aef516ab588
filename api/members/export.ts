// The CSV export: the members query (query.ts) written by ClickHouse's own CSV writer and streamed
// through to the client as it arrives, so memory stays flat however many members there are.
// Masking, formula neutralization and empty cells for missing values happen in the query; Node
// adds the optional byte order mark and the header, and checks the structure (csv-guard.ts).
//
// Why ClickHouse writes the CSV: bench/export.ts measured it against parsing rows in Node and
// writing them with csv-stringify; see docs/api.md for the figures.
import { Readable } from 'node:stream';
import { stringify } from 'csv-stringify/sync';
import { SegstreamError } from '../../engine/errors/errors.ts';
import { isConnectionError, type Store } from '../../engine/store/clickhouse.ts';
import { CsvGuard, guarded } from './csv-guard.ts';
import { membersSql, querySettings, type MembersPlan } from './query.ts';
import type { MemberSnapshot } from './snapshot.ts';

/** UTF-8 byte order mark: makes spreadsheets read the file as UTF-8 (`?bom=1`). */
export const BOM = '\uFEFF';

export interface ExportOptions {
  readonly bom: boolean;
  /** Aborts the ClickHouse query (the client went away). */
  readonly signal: AbortSignal;
  readonly log: { warn(fields: object, message: string): void };
}

/** The header line: the columns' field names, quoted like every cell. */
export function csvHeader(plan: MembersPlan): string {
  return stringify([plan.columns.map((c) => c.field.name)], { quoted: true });
}

/**
 * The export as a byte stream. Resolves once ClickHouse accepted the query, so a query that
 * fails at once is an error answer, not a broken download.
 */
export async function exportCsv(
  store: Store,
  plan: MembersPlan,
  snapshot: MemberSnapshot,
  members: string | undefined,
  opts: ExportOptions,
): Promise<Readable> {
  const head = Buffer.from(`${opts.bom ? BOM : ''}${csvHeader(plan)}`, 'utf8');
  if (members === undefined) return Readable.from([head]);
  const sql = `${membersSql(plan, members, 'csv')}\nFORMAT CSV`;
  const result = await exec(store, sql, opts.signal);
  const guard = new CsvGuard();
  async function* body(): AsyncGenerator<Uint8Array> {
    yield head;
    yield* guarded(result.stream as AsyncIterable<Uint8Array>, guard);
    if (guard.rows !== snapshot.count) {
      opts.log.warn({ rows: guard.rows, count: snapshot.count }, 'export rows differ from count');
    }
  }
  return Readable.from(body(), { objectMode: false });
}

async function exec(store: Store, sql: string, signal: AbortSignal) {
  try {
    return await store.client.exec({
      query: sql,
      abort_signal: signal,
      clickhouse_settings: querySettings(sql),
    });
  } catch (err) {
    if (isConnectionError(err)) {
      throw new SegstreamError('CLICKHOUSE_UNAVAILABLE', {}, undefined, { cause: err });
    }
    throw err;
  }
}
