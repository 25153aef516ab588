// Where a sweep's time goes, measured from outside the engine: the engine gets a Store whose
// evaluation requests are timed (ClickHouse running the query, then reading and parsing its
// result), and MembershipWriter.apply is timed while a profile is installed (the Redis scripts
// that flip bits, append transitions to the journal and publish). The rest of the sweep is the
// bitmap diff and numbering; the rest of the step is lease, segment list, lifecycle, touched
// rows, statuses and housekeeping.
import type { Readable } from 'node:stream';
import { MembershipWriter } from '../engine/membership/apply.ts';
import type { QueryOptions, Store } from '../engine/store/clickhouse.ts';
import { nowMs } from './stats.ts';

export interface Phases {
  /** ClickHouse executing the evaluation query (until its first byte). */
  queryMs: number;
  /** Reading the result stream and setting bits in the wanted bitmaps. */
  readMs: number;
  /** Redis apply scripts: bits, counts, journal, live channel. */
  applyMs: number;
  applyCalls: number;
  /** Other ClickHouse requests of the step (segments, statuses, touched rows, inserts). */
  otherClickHouseMs: number;
  otherClickHouseCalls: number;
}

export function emptyPhases(): Phases {
  return {
    queryMs: 0,
    readMs: 0,
    applyMs: 0,
    applyCalls: 0,
    otherClickHouseMs: 0,
    otherClickHouseCalls: 0,
  };
}

export interface Profiler {
  readonly store: Store;
  /** The phases since the last reset. */
  take(): Phases;
  /** Removes the MembershipWriter.apply wrapper. */
  uninstall(): void;
}

export function profile(store: Store): Profiler {
  let phases = emptyPhases();
  const { client } = store;
  const exec = client.exec.bind(client);
  client.exec = async (params) => {
    const started = nowMs();
    const result = await exec(params);
    const answered = nowMs();
    phases.queryMs += answered - started;
    (result.stream as Readable).once('end', () => (phases.readMs += nowMs() - answered));
    return result;
  };

  const profiled = timedStore(store, (_kind, ms) => {
    phases.otherClickHouseMs += ms;
    phases.otherClickHouseCalls += 1;
  });

  const apply = Object.getOwnPropertyDescriptor(MembershipWriter.prototype, 'apply')!;
  const original = MembershipWriter.prototype.apply;
  MembershipWriter.prototype.apply = async function (this: MembershipWriter, ...args) {
    const started = nowMs();
    try {
      return await original.apply(this, args);
    } finally {
      phases.applyMs += nowMs() - started;
      phases.applyCalls += 1;
    }
  };

  return {
    store: profiled,
    take: () => {
      const taken = phases;
      phases = emptyPhases();
      return taken;
    },
    uninstall: () => Object.defineProperty(MembershipWriter.prototype, 'apply', apply),
  };
}

export type StoreCall = 'rows' | 'exec' | 'insert';

/** The store with every rows / exec / insert call timed (the client itself is shared). */
export function timedStore(store: Store, record: (kind: StoreCall, ms: number) => void): Store {
  const time = async <T>(kind: StoreCall, fn: () => Promise<T>): Promise<T> => {
    const started = nowMs();
    try {
      return await fn();
    } finally {
      record(kind, nowMs() - started);
    }
  };
  return {
    client: store.client,
    database: store.database,
    rows: <T>(sql: string, opts?: QueryOptions) => time('rows', () => store.rows<T>(sql, opts)),
    rowsWithTotals: <T>(sql: string, opts?: QueryOptions) =>
      time('rows', () => store.rowsWithTotals<T>(sql, opts)),
    exec: (sql, opts) => time('exec', () => store.exec(sql, opts)),
    insert: (table, columns, rows) => time('insert', () => store.insert(table, columns, rows)),
    close: () => store.close(),
  };
}
