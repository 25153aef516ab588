// The columns of a segment's Table View: the player fields shown in tables, of which the ones
// chosen for that segment (remembered in this browser) or else the first four. The card's
// "Download CSV" reads them here too, so that it gives what the Table View shows.
// Kept free of api.ts (and of the DOM) so that its rules are tested without a browser.

/** What a column choice needs of a field and a list (api.ts's Field and List have more). */
interface TableField {
  readonly name: string;
  readonly shown_in_tables: boolean;
}
interface FieldList<F extends TableField> {
  readonly kind: string;
  readonly fields: readonly F[];
}
/** Where choices are remembered: localStorage in the browser. */
export interface ChoiceStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

/** The Table View's order until a header is clicked: by player id, ascending. */
export const DEFAULT_SORT = 'player_id:asc';
const DEFAULT_COLUMNS = 4;

const storageKey = (segment: string) => `segstream.columns.${segment}`;

/** The player fields a table may show, player_id (always the first column) left out. */
export function tableFields<F extends TableField>(lists: readonly FieldList<F>[]): F[] {
  const players = lists.find((l) => l.kind === 'players');
  return (players?.fields ?? []).filter((f) => f.shown_in_tables && f.name !== 'player_id');
}

/** The columns chosen for `segment`, or the defaults among `fields` when none were. */
export function chosenColumns(
  segment: string,
  fields: readonly TableField[],
  storage: ChoiceStore,
): string[] {
  const saved = JSON.parse(storage.getItem(storageKey(segment)) ?? 'null') as string[] | null;
  return saved ?? fields.slice(0, DEFAULT_COLUMNS).map((f) => f.name);
}

export function rememberColumns(
  segment: string,
  columns: readonly string[],
  storage: ChoiceStore,
): void {
  storage.setItem(storageKey(segment), JSON.stringify(columns));
}
