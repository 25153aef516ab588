// The Lists catalogue: every data source a rule can name, with its typed fields. Field names in
// rules are resolved only through this catalogue; the SQL column behind a field comes from here,
// never from input.

export const FIELD_TYPES = [
  'string',
  'number',
  'money',
  'datetime',
  'boolean',
  'string_list',
] as const;
export type FieldType = (typeof FIELD_TYPES)[number];

/** Where a field's value is stored. */
export type FieldSource =
  /** A real column of the list's table. */
  | { readonly column: string }
  /** A key of the players' attr_keys/attr_values or the events' prop_keys/prop_values. */
  | { readonly key: string }
  /**
   * Whole years from the date in this date column to the as-of date: computed at evaluation,
   * never stored (docs/rules.md, the `age` field).
   */
  | { readonly ageOf: string };

export interface Field {
  readonly name: string;
  readonly label: string;
  readonly type: FieldType;
  readonly source: FieldSource;
  /** Offered in the rule builder and accepted in rules. */
  readonly usableInRules: boolean;
  /** Offered as a column in member tables and exports. */
  readonly shownInTables: boolean;
  /** Masked in member tables and exports. */
  readonly anonymized: boolean;
}

export interface PlayersList {
  readonly id: 'players';
  readonly kind: 'players';
  readonly label: string;
  readonly fields: readonly Field[];
}

export interface EventList {
  readonly id: string;
  readonly kind: 'events';
  readonly label: string;
  /** The events.type values that belong to this list. */
  readonly eventTypes: readonly string[];
  readonly fields: readonly Field[];
}

export type List = PlayersList | EventList;

export interface Catalogue {
  readonly lists: readonly List[];
}
