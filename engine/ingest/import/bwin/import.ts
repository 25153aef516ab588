// `segstream import bwin DIR`: the bwin 2005 cohort (see /work/shared/data/README.md). The
// aggregates file is read first, for its `bet` anchor events and each player's age; then the
// demographics file gives one player and up to six events per row. The two files are streamed;
// only the ages (one short entry per player) are held in memory between them.
import path from 'node:path';
import { importError } from '../problem.ts';
import type { Store } from '../../../store/clickhouse.ts';
import { readCsv } from '../csv.ts';
import { handleRow } from '../generic.ts';
import { ImportReport, type ImportSummary } from '../report.ts';
import { RowWriter } from '../writer.ts';
import { readLookups, type BwinLookups } from './lookups.ts';
import { aggregatesRow, demographicsRow, value, type BwinRecord } from './rows.ts';

export const BWIN_FILES = {
  demographics: 'bwin_2005_demographics.csv',
  aggregates: 'bwin_2005_sportsbetting_user_aggregates.csv',
  lookups: 'bwin_2005_code_lookups.csv',
} as const;

const words = (text: string): string[] => text.trim().split(/\s+/);

const PRODUCT_COLUMNS = ['FO', 'LA'].flatMap((prefix) =>
  words('TotalStakes TotalWinnings TotalBets FirstActiveDate LastActiveDate TotalDaysActive').map(
    (column) => prefix + column,
  ),
);

/** Columns each data file must have; without one, every row would be rejected. */
const REQUIRED_COLUMNS = {
  demographics: words(`UserID Country Language RegDate FirstPay FirstSp FirstCa FirstGa FirstPo
    ApplicationID Gender`),
  aggregates: ['USERID', 'AGE', ...PRODUCT_COLUMNS],
};

export interface BwinImportOptions {
  readonly batchSize?: number;
  readonly maxRejections?: number;
}

type Step = (record: BwinRecord, writer: RowWriter) => Promise<void>;

export async function importBwin(
  store: Store,
  dir: string,
  opts: BwinImportOptions = {},
): Promise<ImportSummary> {
  const file = (name: keyof typeof BWIN_FILES) => path.join(dir, BWIN_FILES[name]);
  const lookups = await readLookups(file('lookups'));
  const report = new ImportReport(opts.maxRejections);
  const writer = new RowWriter(store, report, opts.batchSize);
  const ages = new Map<string, string>();

  await eachRow(file('aggregates'), REQUIRED_COLUMNS.aggregates, report, writer, async (record) => {
    const { user, age, events } = aggregatesRow(record);
    if (age !== undefined) ages.set(user, age);
    for (const event of events) await writer.addEvent(event);
  });
  await eachRow(file('demographics'), REQUIRED_COLUMNS.demographics, report, writer, (record) =>
    writeDemographics(record, lookups, ages, writer),
  );
  await writer.flush();
  return report.summary();
}

async function writeDemographics(
  record: BwinRecord,
  lookups: BwinLookups,
  ages: ReadonlyMap<string, string>,
  writer: RowWriter,
): Promise<void> {
  const { player, events } = demographicsRow(
    record,
    lookups,
    ages.get(value(record, 'UserID') ?? ''),
  );
  await writer.addPlayer(player);
  for (const event of events) await writer.addEvent(event);
}

/** Streams one CSV file through `step`, rejecting bad rows alone. */
async function eachRow(
  file: string,
  columns: readonly string[],
  report: ImportReport,
  writer: RowWriter,
  step: Step,
): Promise<void> {
  const name = path.basename(file);
  for await (const item of readCsv(file, ',')) {
    if (item.kind === 'header') {
      checkColumns(name, item.columns, columns);
      continue;
    }
    report.rowRead();
    if (item.kind === 'malformed') {
      report.reject(name, item.line, item.error);
      continue;
    }
    await handleRow(() => step(item.record as BwinRecord, writer), report, name, item.line);
  }
}

function checkColumns(file: string, present: readonly string[], needed: readonly string[]): void {
  const missing = needed.find((column) => !present.includes(column));
  if (missing !== undefined) {
    throw importError('IMPORT_FILE_INVALID', {
      file,
      line: 1,
      field: missing,
      reason: 'the header has no such column',
    });
  }
}
