// The transition journal: the apply script appends every change set's actual transitions to a
// Redis stream in the same atomic step as the bit flips; this module moves them into ClickHouse
// membership_transitions exactly once.
//
// Why exactly once: an entry is deleted from the stream only after ClickHouse confirmed its rows,
// so a crash never loses one; before inserting, entries whose journal_id is already stored are
// skipped, so a crash between insert and delete never doubles one. One entry's rows share one
// `at`, hence one partition, and go in one INSERT, so they are stored all or not at all. Only the
// lease holder writes, which keeps two writers from checking and inserting the same entry at once.
import type { Redis } from 'ioredis';
import type { Logger } from '../log.ts';
import { sqlDateTime, sqlString } from '../sql/literal.ts';
import type { TsvValue } from '../sql/tsv.ts';
import type { Store } from '../store/clickhouse.ts';
import { querySizeFor } from '../store/events.ts';
import type { MembershipKeys } from './keys.ts';

export interface JournalEntry {
  /** The stream entry id: the dedupe key in ClickHouse. */
  readonly id: string;
  readonly segment: string;
  readonly version: number;
  readonly at: number;
  readonly seq: number;
  readonly cause: string;
  readonly entered: readonly string[];
  readonly exited: readonly string[];
}

const COLUMNS = [
  'segment_id',
  'player_id',
  'kind',
  'at',
  'segment_version',
  'seq',
  'journal_id',
  'cause',
];

/** Entries read per round; a round is one dedupe query and one insert. */
const ENTRIES_PER_ROUND = 500;

/**
 * Rows per insert, well below max_insert_block_size (1,048,576): an insert of one block is
 * stored whole or not at all. An entry holds at most 5,000 transitions (apply.ts).
 */
const ROWS_PER_ROUND = 200_000;

/**
 * Writes up to one round of journal entries to ClickHouse and removes them from the stream.
 * `holdsLease` is asked right before the insert. Returns how many entries were handled.
 */
export async function flushJournal(
  redis: Redis,
  store: Store,
  keys: MembershipKeys,
  holdsLease: () => Promise<boolean>,
  log?: Logger,
): Promise<number> {
  const raw = await redis.xrange(keys.journal, '-', '+', 'COUNT', ENTRIES_PER_ROUND);
  const entries = withinRowLimit(raw.map(([id, fields]) => parseEntry(id, fields)));
  if (entries.length === 0) return 0;
  const stored = await storedEntries(store, entries);
  const rows = entries.filter((e) => !stored.has(e.id)).flatMap(toRows);
  if (!(await holdsLease())) return 0;
  await store.insert('membership_transitions', COLUMNS, rows);
  await redis.xdel(keys.journal, ...entries.map((e) => e.id));
  log?.debug({ entries: entries.length, rows: rows.length }, 'transitions written');
  return entries.length;
}

/** The first entries whose rows fit in one insert (always at least one entry). */
function withinRowLimit(entries: readonly JournalEntry[]): JournalEntry[] {
  let rows = 0;
  let n = 0;
  for (const e of entries) {
    rows += e.entered.length + e.exited.length;
    if (n > 0 && rows > ROWS_PER_ROUND) break;
    n += 1;
  }
  return entries.slice(0, n);
}

/** Entries waiting to be written. */
export function journalLength(redis: Redis, keys: MembershipKeys): Promise<number> {
  return redis.xlen(keys.journal);
}

export function parseEntry(id: string, fields: readonly string[]): JournalEntry {
  const get = (name: string) => {
    const at = fields.indexOf(name);
    return at >= 0 && at % 2 === 0 ? (fields[at + 1] ?? '') : '';
  };
  return {
    id,
    segment: get('segment'),
    version: Number(get('version')),
    at: Number(get('at')),
    seq: Number(get('seq')),
    cause: get('cause'),
    entered: playerList(get('entered')),
    exited: playerList(get('exited')),
  };
}

/** A JSON array of ids; Lua's cjson writes an empty list as `{}`. */
function playerList(json: string): string[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}

function toRows(e: JournalEntry): TsvValue[][] {
  const at = Math.floor(e.at / 1000);
  const row = (player: string, kind: string) => {
    return [e.segment, player, kind, at, e.version, e.seq, e.id, e.cause];
  };
  return [...e.entered.map((p) => row(p, 'entered')), ...e.exited.map((p) => row(p, 'exited'))];
}

async function storedEntries(store: Store, entries: readonly JournalEntry[]): Promise<Set<string>> {
  const segments = [...new Set(entries.map((e) => e.segment))];
  const since = Math.min(...entries.map((e) => e.at));
  // segment_id and at lead the table's sort key, so only the entries' range is read.
  const sql = `SELECT DISTINCT journal_id FROM membership_transitions
    WHERE segment_id IN ${tuple(segments)} AND at >= ${sqlDateTime(since)}
      AND journal_id IN ${tuple(entries.map((e) => e.id))}`;
  const rows = await store.rows<{ journal_id: string }>(sql, { settings: querySizeFor(sql) });
  return new Set(rows.map((r) => r.journal_id));
}

function tuple(values: readonly string[]): string {
  return `(${values.map(sqlString).join(', ')})`;
}
