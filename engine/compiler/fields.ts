// Fields as SQL expressions. The expression behind a field comes only from the catalogue: a column
// of the list's table, or a key of its key/value arrays. A missing value is always SQL NULL
// (never '' or 0), which the operators rely on.
import { findField, findList, playersList } from '../catalogue/lookup.ts';
import type { Catalogue, EventList, Field, FieldType, List } from '../catalogue/types.ts';
import { SegstreamError } from '../errors/errors.ts';
import { sqlIdentifier, sqlNumber, sqlString } from '../sql/literal.ts';
import { indent } from './format.ts';
import { asOfDayDigits, type TimeEnv } from './time.ts';

export type FieldTable = 'players' | 'events';

export interface FieldValue {
  readonly sql: string;
  readonly type: FieldType;
  /** Whether the expression can be NULL (a missing value). */
  readonly nullable: boolean;
  /**
   * A calendar date as its YYYYMMDD digits (an integer), which counts as midnight UTC of that
   * date: time comparisons go through compareDay, never through a DateTime.
   */
  readonly utcDay?: boolean;
}

const KEY_ARRAYS: Record<FieldTable, { keys: string; values: string }> = {
  players: { keys: 'attr_keys', values: 'attr_values' },
  events: { keys: 'prop_keys', values: 'prop_values' },
};

/** Columns that are never NULL (clickhouse/migrations). All other field columns are Nullable. */
const NOT_NULL_COLUMNS = new Set(['player_id', 'event_id', 'type', 'event_time', 'tags']);

/** Date columns, stored as YYYYMMDD (engine/store/day.ts); a date counts as midnight UTC. */
const DATE_COLUMNS = new Set(['birth_date']);

/** A money text of a key: what sqlDecimal accepts. Other text is a missing amount. */
const MONEY_TEXT = '^-?[0-9]{1,18}([.][0-9]{1,4})?$';

/**
 * The key-based fields one query level reads, each computed once in a WITH clause and used by
 * its alias (key_<key>), which keeps the conditions short. No column starts with `key_`.
 */
export class KeyFields {
  private readonly aliases = new Map<string, string>();

  constructor(readonly table: FieldTable) {}

  alias(key: string, expression: string): string {
    const known = this.aliases.get(expression);
    if (known) return known;
    const base = `key_${key.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40)}`;
    const taken = new Set(this.aliases.values());
    let alias = base;
    for (let n = 2; taken.has(alias); n++) alias = `${base}_${n}`;
    this.aliases.set(expression, alias);
    return alias;
  }

  /** `WITH … AS key_x, …` followed by a newline, or '' when no key field is used. */
  withClause(): string {
    if (this.aliases.size === 0) return '';
    const lines = [...this.aliases].map(([expression, alias]) => `${expression} AS ${alias}`);
    return `WITH\n${indent(lines.join(',\n'))}\n`;
  }
}

/** A field as SQL; `env` gives computed fields (age) their as-of date. */
export function fieldValue(field: Field, keys: KeyFields, env: TimeEnv): FieldValue {
  const source = field.source;
  if ('column' in source) return columnValue(source.column, field.type);
  if ('ageOf' in source) return ageValue(source.ageOf, field.type, env);
  const value = keyValue(source.key, field.type, keys.table);
  return { ...value, sql: keys.alias(source.key, value.sql) };
}

function columnValue(column: string, type: FieldType): FieldValue {
  const sql = sqlIdentifier(column);
  const nullable = !NOT_NULL_COLUMNS.has(column);
  return DATE_COLUMNS.has(column) ? { sql, type, nullable, utcDay: true } : { sql, type, nullable };
}

/**
 * Whole years from a YYYYMMDD date to the as-of date in the segment's timezone: the year
 * difference, minus one while the birthday is still ahead in the as-of year. That is
 * floor((asOf - date) / 10000) on the digits, since the month-and-day part of the difference
 * lies strictly between -10000 and 10000. intDiv rounds towards zero, so the difference is
 * shifted by 10000 years first to make it positive (for any date in years 0..9999), which makes
 * a date after the as-of date count negative years like the formula says. NULL stays NULL.
 */
function ageValue(column: string, type: FieldType, env: TimeEnv): FieldValue {
  if (!DATE_COLUMNS.has(column)) throw new RangeError(`not a date column: ${column}`);
  const asOf = sqlNumber(asOfDayDigits(env));
  const shift = sqlNumber(AGE_SHIFT_YEARS * 10_000);
  const date = sqlIdentifier(column);
  const sql = `(intDiv(${asOf} + ${shift} - ${date}, 10000) - ${sqlNumber(AGE_SHIFT_YEARS)})`;
  return { sql, type, nullable: true };
}

const AGE_SHIFT_YEARS = 10_000;

/**
 * A key's value is text; it is read as the field's type, and text that does not parse is
 * missing. Key datetimes without an offset are UTC; key booleans are true/1 and false/0; a key
 * string list is the one text value as a list of one element.
 */
function keyValue(key: string, type: FieldType, table: FieldTable): FieldValue {
  const { keys, values } = KEY_ARRAYS[table];
  const k = sqlString(key);
  // An absent key indexes element 0, which is '' (never NULL): hence the has() checks.
  const text = `${values}[indexOf(${keys}, ${k})]`;
  const present = `if(has(${keys}, ${k}), ${text}, NULL)`;
  const isMoney = `match(${text}, ${sqlString(MONEY_TEXT)})`;
  const sql: Record<FieldType, string> = {
    string: present,
    number: `toFloat64OrNull(${text})`,
    // toDecimal128 throws on text that is not a number, so only money text reaches it.
    money: `if(${isMoney}, toDecimal128(if(${isMoney}, ${text}, '0'), 4), NULL)`,
    datetime: `parseDateTimeBestEffortOrNull(${present}, 'UTC')`,
    boolean: `multiIf(${text} IN ('true', '1'), 1, ${text} IN ('false', '0'), 0, NULL)`,
    string_list: `if(has(${keys}, ${k}), [${text}], emptyArrayString())`,
  };
  return { sql: sql[type], type, nullable: type !== 'string_list' };
}

export function playerField(catalogue: Catalogue, name: string, path: string): Field {
  return fieldOf(playersList(catalogue), name, path);
}

export function eventListOf(catalogue: Catalogue, id: string, path: string): EventList {
  const list = findList(catalogue, id);
  if (list?.kind !== 'events') {
    throw new SegstreamError('RULE_UNKNOWN_LIST', { path: `${path}.list`, list: id });
  }
  return list;
}

export function fieldOf(list: List, name: string, path: string): Field {
  const field = findField(list, name);
  if (!field) throw new SegstreamError('RULE_UNKNOWN_FIELD', { path, field: name });
  return field;
}
