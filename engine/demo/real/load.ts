// The real data of `segstream demo --data real`: the bwin 2005 cohort and the CDNOW purchases,
// read from a folder beside the project (../shared/data by default, never copied into it) and
// loaded through the same importers as `segstream import bwin` / `import cdnow`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SegstreamError } from '../../errors/errors.ts';
import { BWIN_FILES, importBwin } from '../../ingest/import/bwin/import.ts';
import { importCdnow } from '../../ingest/import/cdnow.ts';
import type { ImportSummary } from '../../ingest/import/report.ts';
import type { Store } from '../../store/clickhouse.ts';
import { setTimeout as sleep } from 'node:timers/promises';
import { sqlString } from '../../sql/literal.ts';
import { countPlayers } from '../seed.ts';

export const CDNOW_FILE = 'cdnow_master_transactions.txt';

/** The files the real-data demo needs, in the order they are checked. */
export const REAL_DATA_FILES = [...Object.values(BWIN_FILES), CDNOW_FILE] as const;

/** ../shared/data beside the project folder. */
export const DEFAULT_REAL_DATA_DIR = fileURLToPath(
  new URL('../../../../shared/data', import.meta.url),
);

/** The catalogue of the real-data demo: the bwin totals as bet fields, the bwin age. */
export const REAL_CATALOGUE_FILE = fileURLToPath(new URL('./catalogue.json', import.meta.url));

/** Throws IMPORT_FILE_INVALID naming the folder and the first missing file. */
export function checkRealData(dir: string): void {
  const missing = REAL_DATA_FILES.find((name) => !fs.existsSync(path.join(dir, name)));
  if (missing === undefined) return;
  const where = fs.existsSync(dir)
    ? `${missing} is missing in ${dir}`
    : `the folder ${dir} does not exist`;
  throw new SegstreamError(
    'IMPORT_FILE_INVALID',
    { field: '--data-dir', file: path.join(dir, missing) },
    `Real data not found: ${where}. Put the bwin 2005 and CDNOW files there or pass --data-dir.`,
  );
}

export interface RealDataReport {
  /** False when the players table already had rows and nothing was imported. */
  readonly loaded: boolean;
  readonly bwin?: ImportSummary;
  readonly cdnow?: ImportSummary;
}

/** Prefix of the ids of replayed events (engine/demo/replay.ts). */
const REPLAY_IDS = 'replay:';
const MUTATION_WAIT_MS = 60_000;

/**
 * Deletes the events of earlier replays, so that each start of the demo replays the purchases
 * once more instead of adding a second copy to the rolling windows. Waits until ClickHouse has
 * applied the deletion (a mutation, run in the background), so the next replay starts clean.
 */
export async function removeEarlierReplays(store: Store): Promise<void> {
  await store.exec(
    `ALTER TABLE events DELETE WHERE startsWith(event_id, ${sqlString(REPLAY_IDS)})`,
  );
  const deadline = Date.now() + MUTATION_WAIT_MS;
  while (Date.now() < deadline) {
    const [row] = await store.rows<{ n: number }>(`SELECT count() AS n FROM system.mutations
      WHERE database = currentDatabase() AND table = 'events' AND is_done = 0`);
    if (Number(row?.n) === 0) return;
    await sleep(100);
  }
  throw new Error('earlier replays were not deleted within a minute');
}

/** Imports both data sets when the players table is empty (an import is idempotent anyway). */
export async function loadRealData(store: Store, dir: string): Promise<RealDataReport> {
  checkRealData(dir);
  if ((await countPlayers(store)) > 0) return { loaded: false };
  const bwin = await importBwin(store, dir);
  const cdnow = await importCdnow(store, path.join(dir, CDNOW_FILE));
  return { loaded: true, bwin, cdnow };
}
