// Buffers imported rows and writes them in batches, so memory stays flat whatever the file
// size. Events go through insertEvents, which skips ids already stored. Players are skipped
// when a profile with the same or a higher version is already stored (the higher version
// would win anyway, and the same version means this exact import already ran); inside one
// batch the highest version of a player wins, the first row on ties.
import { sqlStringArray } from '../../sql/literal.ts';
import type { Store } from '../../store/clickhouse.ts';
import { insertEvents, type EventRow } from '../../store/events.ts';
import { insertPlayers, type PlayerRow } from '../../store/players.ts';
import type { ImportReport, TableCounts } from './report.ts';

/** Rows per insert; about 20 MB of TSV for events. */
export const DEFAULT_BATCH_SIZE = 50_000;

const LOOKUP_CHUNK = 5_000;

export class RowWriter {
  private players: PlayerRow[] = [];
  private events: EventRow[] = [];

  constructor(
    private readonly store: Store,
    private readonly report: ImportReport,
    private readonly batchSize = DEFAULT_BATCH_SIZE,
  ) {}

  async addPlayer(row: PlayerRow): Promise<void> {
    this.players.push(row);
    if (this.players.length >= this.batchSize) await this.flushPlayers();
  }

  async addEvent(row: EventRow): Promise<void> {
    this.events.push(row);
    if (this.events.length >= this.batchSize) await this.flushEvents();
  }

  async flush(): Promise<void> {
    await this.flushPlayers();
    await this.flushEvents();
  }

  private async flushPlayers(): Promise<void> {
    const batch = this.players;
    this.players = [];
    if (batch.length > 0) this.report.written('players', await insertNewPlayers(this.store, batch));
  }

  private async flushEvents(): Promise<void> {
    const batch = this.events;
    this.events = [];
    if (batch.length === 0) return;
    const result = await insertEvents(this.store, batch);
    this.report.written('events', { loaded: result.inserted, duplicates: result.duplicates });
  }
}

export async function insertNewPlayers(
  store: Store,
  rows: readonly PlayerRow[],
): Promise<TableCounts> {
  const latest = latestPerPlayer(rows);
  const stored = await storedVersions(store, [...latest.keys()]);
  const fresh = [...latest.values()].filter((p) => p.version > (stored.get(p.player_id) ?? -1));
  await insertPlayers(store, fresh);
  return { loaded: fresh.length, duplicates: rows.length - fresh.length };
}

function latestPerPlayer(rows: readonly PlayerRow[]): Map<string, PlayerRow> {
  const latest = new Map<string, PlayerRow>();
  for (const row of rows) {
    const seen = latest.get(row.player_id);
    if (seen === undefined || row.version > seen.version) latest.set(row.player_id, row);
  }
  return latest;
}

async function storedVersions(store: Store, ids: readonly string[]): Promise<Map<string, number>> {
  const versions = new Map<string, number>();
  for (let i = 0; i < ids.length; i += LOOKUP_CHUNK) {
    const chunk = ids.slice(i, i + LOOKUP_CHUNK);
    const sql = `SELECT player_id, max(version) AS version FROM players
       WHERE player_id IN (SELECT arrayJoin(${sqlStringArray(chunk)}))
       GROUP BY player_id`;
    // Long ids can make the text longer than ClickHouse's default max_query_size (256 KiB).
    const settings = { max_query_size: Math.max(262_144, Buffer.byteLength(sql) + 1_024) };
    const rows = await store.rows<{ player_id: string; version: number }>(sql, { settings });
    for (const r of rows) versions.set(r.player_id, Number(r.version));
  }
  return versions;
}
