// Reading a field of a player profile or an event as a typed value, or `undefined` when the
// value is missing. The shape of each value follows the field's type: string, Exact (number and
// money), whole epoch seconds (datetime), boolean, string array (string_list).
import { SegstreamError } from '../errors/errors.ts';
import type { Catalogue, EventList, Field, FieldType, PlayersList } from '../catalogue/types.ts';
import { exactInt, exactOf, type Exact } from './exact.ts';
import { localTimeOf, parseTimeValue, secondsOf, utcDateSeconds } from './time.ts';

export type Value = string | Exact | number | boolean | readonly string[];

/** A profile or event row: its columns plus operator-configured key/value pairs. */
export interface FieldSourceRow {
  /** A PlayerRow or EventRow: the stored columns by name. */
  readonly columns: object;
  readonly keys: Readonly<Record<string, string>> | undefined;
}

/** The as-of time (whole epoch seconds) and timezone, for fields computed at evaluation. */
export interface FieldEnv {
  readonly asOf: number;
  readonly timezone: string;
}

export function readField(field: Field, row: FieldSourceRow, env: FieldEnv): Value | undefined {
  const source = field.source;
  const columns = row.columns as Readonly<Record<string, unknown>>;
  if ('column' in source) return fromColumn(field.type, columns[source.column]);
  if ('ageOf' in source) return ageOf(columns[source.ageOf], env);
  const text = row.keys?.[source.key];
  return text === undefined ? undefined : fromKeyText(field.type, text);
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Age in whole years on the as-of date, which is the date in the segment's timezone: the
 * difference of the years, less one when the as-of date's month and day come before the
 * birthday's (so a 29 February birthday is reached on 1 March in other years). A date after
 * the as-of date gives a negative age by the same reckoning. No date: no age.
 */
function ageOf(raw: unknown, env: FieldEnv): Exact | undefined {
  const born = typeof raw === 'string' ? DATE.exec(raw) : null;
  if (!born) return undefined;
  const [year, month, day] = [Number(born[1]), Number(born[2]), Number(born[3])];
  const today = localTimeOf(env.asOf, env.timezone);
  const beforeBirthday = today.month < month || (today.month === month && today.day < day);
  return exactInt(today.year - year - (beforeBirthday ? 1 : 0));
}

/** Stored columns: numbers and money as number or decimal text, times as epoch milliseconds. */
function fromColumn(type: FieldType, raw: unknown): Value | undefined {
  if (type === 'string_list') return Array.isArray(raw) ? (raw as string[]) : [];
  if (raw === null || raw === undefined) return undefined;
  switch (type) {
    case 'string':
      return typeof raw === 'string' ? raw : undefined;
    case 'number':
    case 'money':
      return exactOf(raw);
    case 'boolean':
      return typeof raw === 'boolean' ? raw : undefined;
    case 'datetime':
      // A calendar date (birth_date) counts as midnight UTC of that date.
      if (typeof raw === 'number') return secondsOf(raw);
      return typeof raw === 'string'
        ? (utcDateSeconds(raw) ?? parseTimeValue(raw, 'UTC'))
        : undefined;
  }
}

/**
 * Operator-configured attributes and properties are stored as text. The specification does not
 * say how text becomes a typed value; the reading here: decimal text for numbers and money,
 * "true"/"1" and "false"/"0" for booleans, a date or ISO date-time (UTC unless it has an
 * offset) for datetimes, and one element for a string list. Text that does not parse is missing.
 */
function fromKeyText(type: FieldType, text: string): Value | undefined {
  switch (type) {
    case 'string':
      return text;
    case 'number':
    case 'money':
      return exactOf(text);
    case 'boolean':
      return text === 'true' || text === '1'
        ? true
        : text === 'false' || text === '0'
          ? false
          : undefined;
    case 'datetime':
      return utcDateSeconds(text) ?? parseTimeValue(text, 'UTC');
    case 'string_list':
      return [text];
  }
}

export function playersList(catalogue: Catalogue): PlayersList {
  const list = catalogue.lists.find((l) => l.kind === 'players');
  if (!list || list.kind !== 'players') {
    throw new SegstreamError('RULE_UNKNOWN_LIST', { field: 'players' });
  }
  return list;
}

export function eventList(catalogue: Catalogue, id: string): EventList {
  const list = catalogue.lists.find((l) => l.id === id);
  if (!list || list.kind !== 'events') throw new SegstreamError('RULE_UNKNOWN_LIST', { field: id });
  return list;
}

export function fieldOf(list: PlayersList | EventList, name: string): Field {
  const field = list.fields.find((f) => f.name === name);
  if (!field) throw new SegstreamError('RULE_UNKNOWN_FIELD', { field: `${list.id}.${name}` });
  return field;
}
