// Retention lists: named groups of existing players a CRM team works on (VIP retention, win-back,
// ...). A segment can be bound to several of them (its definition's `retention_lists`), and the
// segment list filters by them. A list in use by a segment cannot be deleted.
import { SegstreamError } from '../errors/errors.ts';
import { newSegmentId } from '../segments/ids.ts';
import { sqlString, sqlStringArray } from '../sql/literal.ts';
import type { Store } from '../store/clickhouse.ts';
import { latestRows } from '../store/versioned.ts';

export interface RetentionList {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** Epoch milliseconds of the current version. */
  readonly updatedAt: number;
}

export interface RetentionListInput {
  readonly name: string;
  readonly description?: string;
}

interface Row {
  list_id: string;
  version: number;
  name: string;
  description: string;
  created_s: number;
  deleted: number;
}

const TABLE = 'retention_lists';
const COLUMNS = ['list_id', 'version', 'name', 'description', 'created_at', 'deleted'];
const SELECT = 'list_id, version, name, description, toUnixTimestamp(created_at) AS created_s';

export interface RetentionListStore {
  list(): Promise<RetentionList[]>;
  get(id: string): Promise<RetentionList | undefined>;
  create(input: RetentionListInput): Promise<RetentionList>;
  update(id: string, input: RetentionListInput): Promise<RetentionList>;
  /** Deletes the list; the caller checks that no segment is bound to it. */
  delete(id: string): Promise<void>;
}

export function retentionListStore(store: Store, now = Date.now): RetentionListStore {
  const current = async (id: string) =>
    (await latestRows<Row>(store, TABLE, 'list_id', SELECT, `list_id = ${sqlString(id)}`))[0];
  const write = async (id: string, version: number, input: RetentionListInput, deleted = 0) => {
    const seconds = Math.floor(now() / 1000);
    const row = [id, version, input.name, input.description ?? '', seconds, deleted];
    await store.insert(TABLE, COLUMNS, [row]);
    return {
      id,
      name: input.name,
      description: input.description ?? '',
      updatedAt: seconds * 1000,
    };
  };
  const existing = async (id: string) => {
    const row = await current(id);
    if (!row) throw new SegstreamError('NOT_FOUND', { path: 'id', id });
    return row;
  };

  return {
    list: async () => (await latestRows<Row>(store, TABLE, 'list_id', SELECT)).map(fromRow),
    get: async (id) => {
      const row = await current(id);
      return row && fromRow(row);
    },
    create: (input) => write(newSegmentId(), 1, input),
    update: async (id, input) => write(id, Number((await existing(id)).version) + 1, input),
    delete: async (id) => {
      const row = await existing(id);
      await write(id, Number(row.version) + 1, row, 1);
    },
  };
}

/**
 * Refuses retention list ids that name no list, with the path of the first one
 * (`retention_lists[2]`), so a segment is never bound to a list that does not exist.
 */
export async function checkRetentionLists(store: Store, ids: readonly string[]): Promise<void> {
  if (ids.length === 0) return;
  const where = `list_id IN (SELECT arrayJoin(${sqlStringArray(ids)}))`;
  const found = new Set(
    (await latestRows<Row>(store, TABLE, 'list_id', SELECT, where)).map((r) => r.list_id),
  );
  const missing = ids.findIndex((id) => !found.has(id));
  if (missing >= 0) {
    throw new SegstreamError('RETENTION_LIST_UNKNOWN', {
      path: `retention_lists[${missing}]`,
      id: ids[missing],
    });
  }
}

function fromRow(r: Row): RetentionList {
  return {
    id: r.list_id,
    name: r.name,
    description: r.description,
    updatedAt: Number(r.created_s) * 1000,
  };
}
