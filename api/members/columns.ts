// Which Players fields a member table or export shows, and in which order its rows come. Only
// fields the catalogue marks shownInTables can be columns; player_id is always the first one.
// Sorting by an anonymized field is refused: the order of the rows would tell what the mask
// hides (sorted by birth date, a table reveals who is older than whom).
import { playersList } from '../../engine/catalogue/lookup.ts';
import type { Catalogue, Field } from '../../engine/catalogue/types.ts';
import { SegstreamError } from '../../engine/errors/errors.ts';

export interface MemberColumn {
  readonly field: Field;
  /** Shown as MASK instead of its value (the field is anonymized). */
  readonly masked: boolean;
}

export type SortDirection = 'asc' | 'desc';

export interface MemberSort {
  readonly field: Field;
  readonly direction: SortDirection;
}

/**
 * What every cell of an anonymized column shows, whatever the value, a missing one included, so
 * not even the presence of a value is told. The value itself never leaves ClickHouse.
 */
export const MASK = '•••';

export const PLAYER_ID = 'player_id';

/** The fields that may be columns: the Players list's shown fields, in catalogue order. */
export function shownFields(catalogue: Catalogue): Field[] {
  return playersList(catalogue).fields.filter((f) => f.shownInTables);
}

/**
 * The columns named by `columns` (repeated parameters and comma-separated lists, in order),
 * after player_id; every shown field when absent. A name that is not a shown field, or is named
 * twice, is refused with its position: query.columns[2].
 */
export function parseColumns(
  catalogue: Catalogue,
  raw: readonly string[] | undefined,
  at: 'query' | 'body' = 'query',
): MemberColumn[] {
  const shown = shownFields(catalogue);
  // A query string may list several names in one value; a JSON body's array holds one each, so
  // an error's index is the element's own.
  const names =
    raw === undefined ? shown.map((f) => f.name) : at === 'body' ? [...raw] : splitNames(raw);
  const id = playerIdField(catalogue);
  const byName = new Map([...shown, id].map((f) => [f.name, f]));
  const seen = new Set<string>();
  const columns: MemberColumn[] = [];
  names.forEach((name, i) => {
    const field = byName.get(name);
    const path = `${at}.columns[${i}]`;
    if (!field) throw new SegstreamError('MEMBER_COLUMN_INVALID', { path, field: name });
    if (seen.has(name)) {
      throw new SegstreamError('MEMBER_COLUMN_INVALID', { path, field: name, reason: 'repeated' });
    }
    seen.add(name);
    if (name !== PLAYER_ID) columns.push({ field, masked: field.anonymized });
  });
  return [{ field: id, masked: false }, ...columns];
}

function splitNames(raw: readonly string[]): string[] {
  return raw.flatMap((value) => (value === '' ? [] : value.split(',').map((s) => s.trim())));
}

/** player_id, even when an operator hid or anonymized it: every row needs its id. */
function playerIdField(catalogue: Catalogue): Field {
  const field = playersList(catalogue).fields.find((f) => f.name === PLAYER_ID);
  if (!field) throw new Error('the Players list has no player_id field');
  return field;
}

/**
 * `sort` is `field`, `field:asc` or `field:desc`; player_id ascending when absent. The field
 * must be a shown, not anonymized field (it need not be among the columns).
 */
export function parseSort(
  catalogue: Catalogue,
  raw: string | undefined,
  at: 'query' | 'body' = 'query',
): MemberSort {
  const [name = '', direction = 'asc', ...rest] = (raw ?? PLAYER_ID).split(':');
  const path = `${at}.sort`;
  if (direction !== 'asc' && direction !== 'desc') {
    throw new SegstreamError('MEMBER_SORT_INVALID', { path, field: name, direction });
  }
  if (rest.length > 0) throw new SegstreamError('MEMBER_SORT_INVALID', { path, field: name });
  const field =
    name === PLAYER_ID
      ? playerIdField(catalogue)
      : shownFields(catalogue).find((f) => f.name === name);
  if (!field) throw new SegstreamError('MEMBER_SORT_INVALID', { path, field: name });
  if (field.anonymized) {
    throw new SegstreamError('MEMBER_SORT_INVALID', { path, field: name, reason: 'anonymized' });
  }
  return { field, direction };
}
