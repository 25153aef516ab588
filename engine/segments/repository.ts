// Saved segments in ClickHouse. segment_versions is append-only: every save writes a new version,
// a delete writes a tombstone version, and the current definition is the highest version. Reads
// use max(version) subqueries and LIMIT BY (no window functions), so they run on 18.16 and on
// current releases, and a row written twice by a retried insert is read once.
import { SegstreamError } from '../errors/errors.ts';
import type { Logger } from '../log.ts';
import type { Catalogue } from '../catalogue/types.ts';
import type { SegmentDefinition } from '../rules/schema.ts';
import { checkTimezone, validateSegmentDefinition } from '../rules/validate.ts';
import { sqlNumber, sqlString } from '../sql/literal.ts';
import type { Store } from '../store/clickhouse.ts';
import { checkSegmentId, newSegmentId } from './ids.ts';
import { dependents, resolveReferences } from './references.ts';
import { readStaticMembers, writeStaticMembers } from './static-members.ts';
import { checkRetentionLists } from '../actions/retention-lists.ts';

/** A saved definition. Static member ids live in static_segment_members, not here. */
export type StoredDefinition = Omit<SegmentDefinition, 'static_members'> & { timezone: string };

export interface SegmentVersion {
  readonly id: string;
  readonly version: number;
  /** When the version was saved, epoch milliseconds (whole seconds). */
  readonly createdAt: number;
  readonly createdBy: string;
  /** A tombstone: the segment was deleted by this version. */
  readonly deleted: boolean;
  readonly definition: StoredDefinition;
}

export interface RepositoryOptions {
  readonly catalogue: Catalogue;
  /** IANA timezone saved into definitions that name none (SEGSTREAM_TIMEZONE). */
  readonly defaultTimezone: string;
  /** Clock for created_at, epoch milliseconds; Date.now by default. */
  readonly now?: () => number;
  readonly log?: Logger;
}

export interface SaveOptions {
  readonly createdBy: string;
}

export interface SegmentRepository {
  readonly defaultTimezone: string;
  /** Validates and saves a new segment as version 1, with a new id unless `id` is given. */
  create(input: unknown, opts: SaveOptions & { readonly id?: string }): Promise<SegmentVersion>;
  /** Validates and saves the next version of an existing segment. */
  update(id: string, input: unknown, opts: SaveOptions): Promise<SegmentVersion>;
  /**
   * Writes a tombstone version; the history stays readable. `check` runs first, in turn with
   * every other save, so that what it checks (no segment uses this one) still holds at the write.
   */
  delete(
    id: string,
    opts: SaveOptions & { readonly check?: () => Promise<void> },
  ): Promise<SegmentVersion>;
  /** The current version, or undefined when the segment does not exist or is deleted. */
  get(id: string): Promise<SegmentVersion | undefined>;
  getVersion(id: string, version: number): Promise<SegmentVersion | undefined>;
  /** Every version, oldest first, tombstone included. */
  listVersions(id: string): Promise<SegmentVersion[]>;
  /** The current version of every segment that is not deleted, by id. */
  listCurrent(): Promise<SegmentVersion[]>;
  /** Stores the member ids of a static segment's version; returns how many distinct ids. */
  uploadStaticMembers(id: string, version: number, playerIds: readonly string[]): Promise<number>;
  /** The uploaded member ids of a static segment's version, sorted. */
  staticMembers(id: string, version: number): Promise<string[]>;
  /** Ids of the segments that reference `id`, directly or through other segments, sorted. */
  dependents(id: string): Promise<string[]>;
}

const COLUMNS = ['segment_id', 'version', 'created_at', 'created_by', 'deleted', 'definition'];
const SELECT = `SELECT segment_id, version, toUnixTimestamp(created_at) AS created_s, created_by,
  deleted, definition FROM segment_versions`;

interface VersionRow {
  segment_id: string;
  version: number;
  created_s: number;
  created_by: string;
  deleted: number;
  definition: string;
}

export function createSegmentRepository(store: Store, opts: RepositoryOptions): SegmentRepository {
  const now = opts.now ?? Date.now;
  const defaultTimezone = checkTimezone(opts.defaultTimezone);
  const locks = new Map<string, Promise<unknown>>();

  const rows = async (where: string, tail = ''): Promise<SegmentVersion[]> =>
    (await store.rows<VersionRow>(`${SELECT} WHERE ${where} ${tail}`)).map(fromRow);
  const latest = async (id: string) =>
    (await rows(`segment_id = ${sqlString(id)}`, 'ORDER BY version DESC LIMIT 1'))[0];

  const repo: SegmentRepository = {
    defaultTimezone,
    create: async (input, save) => {
      const id = save.id === undefined ? newSegmentId() : checkSegmentId(save.id);
      return serialized(locks, SAVES, async () => {
        if (await latest(id)) throw new SegstreamError('SEGMENT_EXISTS', { path: 'id', id });
        return saveDefinition(id, 1, input, save.createdBy);
      });
    },
    update: (id, input, save) =>
      serialized(locks, SAVES, async () => {
        const current = await latest(id);
        if (!current || current.deleted) throw notFound(id);
        return saveDefinition(id, current.version + 1, input, save.createdBy);
      }),
    delete: (id, save) =>
      serialized(locks, SAVES, async () => {
        const current = await latest(id);
        if (!current || current.deleted) throw notFound(id);
        await save.check?.();
        const tombstone = { ...current, version: current.version + 1, deleted: true };
        return insert({ ...tombstone, createdBy: save.createdBy });
      }),
    get: async (id) => {
      const current = await latest(id);
      return current && !current.deleted ? current : undefined;
    },
    getVersion: async (id, version) =>
      Number.isInteger(version) && version > 0
        ? (
            await rows(
              `segment_id = ${sqlString(id)} AND version = ${sqlNumber(version)}`,
              'LIMIT 1',
            )
          )[0]
        : undefined,
    listVersions: (id) =>
      rows(`segment_id = ${sqlString(id)}`, 'ORDER BY version LIMIT 1 BY version'),
    listCurrent: () =>
      rows(
        `(segment_id, version) IN
          (SELECT segment_id, max(version) FROM segment_versions GROUP BY segment_id)
         AND deleted = 0`,
        'ORDER BY segment_id LIMIT 1 BY segment_id',
      ),
    uploadStaticMembers: async (id, version, playerIds) => {
      const target = await repo.getVersion(id, version);
      if (!target || target.deleted) throw notFound(id, version);
      if (target.definition.rule) {
        throw new SegstreamError('VALIDATION_FAILED', { path: 'id', id, reason: 'has a rule' });
      }
      return writeStaticMembers(store, id, version, playerIds);
    },
    staticMembers: (id, version) => readStaticMembers(store, id, version),
    dependents: (id) => dependents(repo, id),
  };

  async function saveDefinition(id: string, version: number, input: unknown, by: string) {
    const checked = validateSegmentDefinition(input, opts.catalogue);
    const { static_members: members, ...rest } = checked;
    const definition = { ...rest, timezone: rest.timezone ?? defaultTimezone };
    if (definition.rule) {
      await resolveReferences(repo, definition.rule, { selfId: id, path: 'rule' });
    }
    await checkRetentionLists(store, definition.retention_lists ?? []);
    // Members first: if the version row is never written, a retry rewrites the same version and
    // reads of members are DISTINCT, so nothing is counted twice.
    if (members) await writeStaticMembers(store, id, version, members);
    const saved = { id, version, createdBy: by, deleted: false, definition, createdAt: 0 };
    return insert(saved);
  }

  async function insert(segment: SegmentVersion): Promise<SegmentVersion> {
    const seconds = Math.floor(now() / 1000);
    const json = JSON.stringify(segment.definition);
    const row = [segment.id, segment.version, seconds, segment.createdBy, segment.deleted, json];
    await store.insert('segment_versions', COLUMNS, [row]);
    opts.log?.info(
      { segment_id: segment.id, version: segment.version, deleted: segment.deleted },
      'segment version saved',
    );
    return { ...segment, createdAt: seconds * 1000 };
  }

  return repo;
}

function fromRow(row: VersionRow): SegmentVersion {
  return {
    id: row.segment_id,
    version: Number(row.version),
    createdAt: Number(row.created_s) * 1000,
    createdBy: row.created_by,
    deleted: Number(row.deleted) === 1,
    definition: JSON.parse(row.definition) as StoredDefinition,
  };
}

function notFound(id: string, version?: number): SegstreamError {
  return new SegstreamError('NOT_FOUND', { path: 'id', id, ...(version ? { version } : {}) });
}

/**
 * Runs saves of one segment one after another, so two saves in this process never compute the
 * same next version. Saves from several processes are not serialized; the API runs one writer.
 */
/**
 * Every save of this process waits for the one before, whatever the segment: a save checks other
 * segments (references, cycles, that a referenced segment still exists), so two concurrent saves
 * could each pass their check and together make a cycle, or reference a segment being deleted.
 * Saves are rare; one at a time costs nothing. Several API processes saving at once are not
 * covered (docs/architecture.md, known shortcomings).
 */
const SAVES = 'all segment saves';

function serialized<T>(locks: Map<string, Promise<unknown>>, id: string, fn: () => Promise<T>) {
  const previous = locks.get(id) ?? Promise.resolve();
  const next = previous.catch(() => undefined).then(fn);
  locks.set(id, next);
  void next.finally(() => locks.get(id) === next && locks.delete(id)).catch(() => undefined);
  return next;
}
