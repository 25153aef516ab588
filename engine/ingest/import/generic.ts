// `segstream import players|events FILE`: CSV or NDJSON files of the operator's own data,
// mapped onto player or event rows. Each record is read, converted and checked alone: a bad
// row is rejected with its line and field, the rows around it are still written.
import path from 'node:path';
import type { Store } from '../../store/clickhouse.ts';
import { EventIdDeriver } from './event-id.ts';
import type { SourceRecord } from './items.ts';
import type { Mapping } from './mapping.ts';
import { planImport, type Plan } from './plan.ts';
import { ImportReport, type ImportSummary } from './report.ts';
import { toEventDraft, toPlayerRow } from './rows.ts';
import { formatOf, readSource } from './source.ts';
import { EVENT_TARGET, PLAYER_TARGET, type TargetTable } from './targets.ts';
import { RowWriter } from './writer.ts';

export interface FileImportOptions {
  /** "csv" or "ndjson"; default from the file extension (.csv, .ndjson, .jsonl, .json). */
  readonly format?: string;
  /** Column mapping; default: columns named like target fields feed them. */
  readonly mapping?: Mapping;
  /** Unmapped columns become attributes (players) or props (events). Default false. */
  readonly extraToProps?: boolean;
  /** Rows per insert. Default 50,000. */
  readonly batchSize?: number;
  /** Rejections listed in the summary. Default 20. */
  readonly maxRejections?: number;
  /**
   * Profile version when no column gives one. Default: the import's start time in epoch ms,
   * so a later import of the same players replaces the profiles of an earlier one.
   */
  readonly version?: number;
}

type Handle = (plan: Plan, record: SourceRecord, writer: RowWriter) => Promise<void>;

export function importPlayers(
  store: Store,
  file: string,
  opts: FileImportOptions = {},
): Promise<ImportSummary> {
  const version = opts.version ?? Date.now();
  return importFile(store, file, PLAYER_TARGET, opts, (plan, record, writer) =>
    writer.addPlayer(toPlayerRow(plan, record, version)),
  );
}

export function importEvents(
  store: Store,
  file: string,
  opts: FileImportOptions = {},
): Promise<ImportSummary> {
  const ids = new EventIdDeriver();
  return importFile(store, file, EVENT_TARGET, opts, (plan, record, writer) =>
    writer.addEvent(ids.withId(toEventDraft(plan, record))),
  );
}

async function importFile(
  store: Store,
  file: string,
  target: TargetTable,
  opts: FileImportOptions,
  handle: Handle,
): Promise<ImportSummary> {
  const format = formatOf(file, opts.format);
  const name = path.basename(file);
  const report = new ImportReport(opts.maxRejections);
  const writer = new RowWriter(store, report, opts.batchSize);
  const planFor = (columns?: readonly string[]) =>
    planImport({ target, mapping: opts.mapping, columns, extraToBag: opts.extraToProps });
  // NDJSON has no header: its plan is known up front; a CSV plan waits for the header.
  let plan = format === 'ndjson' ? planFor() : undefined;

  for await (const item of readSource(file, format, { delimiter: opts.mapping?.delimiter })) {
    if (item.kind === 'header') {
      plan = planFor(item.columns);
      continue;
    }
    report.rowRead();
    if (item.kind === 'malformed') {
      report.reject(name, item.line, item.error);
      continue;
    }
    const current = plan ?? planFor();
    await handleRow(() => handle(current, item.record, writer), report, name, item.line);
  }
  await writer.flush();
  return report.summary();
}

/** Runs one row's conversion; a row-level error rejects the row, anything else stops the import. */
export async function handleRow(
  fn: () => Promise<void>,
  report: ImportReport,
  file: string,
  line: number,
): Promise<void> {
  try {
    await fn();
  } catch (err) {
    report.reject(file, line, err);
  }
}
