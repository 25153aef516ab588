// `segstream import players|events FILE`, `import cdnow FILE`, `import bwin DIR`: load files
// into ClickHouse (migrated first), then print the summary. Exit code 0 when every row loaded,
// 3 when some rows were rejected (the others are loaded), 1 when the file could not be used.
import { InvalidArgumentError, type Command } from 'commander';
import { createLogger } from '../../engine/log.ts';
import { importBwin } from '../../engine/ingest/import/bwin/import.ts';
import { importCdnow } from '../../engine/ingest/import/cdnow.ts';
import { importEvents, importPlayers } from '../../engine/ingest/import/generic.ts';
import { loadMapping } from '../../engine/ingest/import/mapping.ts';
import {
  formatSummary,
  MAX_REJECTIONS_SHOWN,
  type ImportSummary,
} from '../../engine/ingest/import/report.ts';
import { formatOf } from '../../engine/ingest/import/source.ts';
import { DEFAULT_BATCH_SIZE } from '../../engine/ingest/import/writer.ts';
import { createStore, type Store } from '../../engine/store/clickhouse.ts';
import { migrate } from '../../engine/store/migrate.ts';
import type { CliContext, RegisterCommand } from '../context.ts';
import { clickhouseOptions, ensureServices } from '../runtime.ts';

/** Exit code of an import that loaded some rows and rejected others. */
export const EXIT_ROWS_REJECTED = 3;

interface CommonOptions {
  readonly batchSize: number;
  readonly show: number;
  readonly json?: boolean;
}

interface FileOptions extends CommonOptions {
  readonly format?: string;
  readonly mapping?: string;
  readonly extraToProps?: boolean;
}

type Load = (store: Store, opts: CommonOptions) => Promise<ImportSummary>;

export const registerImport: RegisterCommand = (program, ctx) => {
  const root = program.command('import').description('load players and events from files');

  for (const kind of ['players', 'events'] as const) {
    const bag = kind === 'players' ? 'attributes' : 'props';
    common(root.command(kind).description(`load ${kind} from a CSV or NDJSON file`))
      .argument('<file>', 'CSV (with a header line) or NDJSON file')
      .option('--format <format>', 'csv or ndjson (default: from the file extension)')
      .option('--mapping <file>', 'JSON column mapping, see docs/importing.md')
      .option('--extra-to-props', `unmapped columns become ${bag}`)
      .action((file: string, opts: FileOptions) => {
        formatOf(file, opts.format);
        const mapping = opts.mapping === undefined ? undefined : loadMapping(opts.mapping);
        const load = kind === 'players' ? importPlayers : importEvents;
        return runImport(ctx, opts, (store, o) =>
          load(store, file, {
            ...limits(o),
            format: opts.format,
            mapping,
            extraToProps: opts.extraToProps,
          }),
        );
      });
  }

  common(root.command('cdnow').description('load the CDNOW master transactions file'))
    .argument('<file>', 'cdnow_master_transactions.txt or a file shaped like it')
    .action((file: string, opts: CommonOptions) =>
      runImport(ctx, opts, (store, o) => importCdnow(store, file, limits(o))),
    );

  common(root.command('bwin').description('load the bwin 2005 cohort files'))
    .argument('<dir>', 'directory holding the bwin_2005_*.csv files')
    .action((dir: string, opts: CommonOptions) =>
      runImport(ctx, opts, (store, o) => importBwin(store, dir, limits(o))),
    );
};

function common(command: Command): Command {
  return command
    .option('--batch-size <rows>', 'rows per insert', positive, DEFAULT_BATCH_SIZE)
    .option('--show <n>', 'rejected rows listed in the summary', positive, MAX_REJECTIONS_SHOWN)
    .option('--json', 'print the summary as JSON');
}

function limits(opts: CommonOptions) {
  return { batchSize: opts.batchSize, maxRejections: opts.show };
}

function positive(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a whole number > 0');
  return n;
}

async function runImport(ctx: CliContext, opts: CommonOptions, load: Load): Promise<void> {
  const config = ctx.config();
  const log = createLogger(config.logLevel);
  const options = clickhouseOptions(config, await ensureServices(config));
  // Migration log lines would break the JSON on stdout.
  await migrate(options, opts.json ? undefined : log);
  const store = createStore(options);
  try {
    const summary = await load(store, opts);
    log.debug({ read: summary.read, rejected: summary.rejected }, 'import finished');
    console.log(opts.json ? JSON.stringify(summary) : formatSummary(summary).join('\n'));
    ctx.setExit(summary.rejected > 0 ? EXIT_ROWS_REJECTED : 0);
  } finally {
    await store.close();
  }
}
