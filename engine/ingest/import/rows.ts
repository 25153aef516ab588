// Builds one target row from one source record by following the plan: each field's text is
// read, trimmed, checked and converted by its kind; the first bad field rejects the row
// (IMPORT_ROW_INVALID naming the target field). Rows leave through the schema gate.
import type { EventRow } from '../../store/events.ts';
import type { PlayerRow } from '../../store/players.ts';
import type { SourceRecord, SourceValue } from './items.ts';
import type { Plan, PlannedField } from './plan.ts';
import { checkEventRow, checkPlayerRow } from './schema.ts';
import {
  INT32,
  parseAmount,
  parseBoolean,
  parseDay,
  parseInteger,
  parseTime,
  rowInvalid,
} from './values.ts';

/** An event row before its id is known (a derived id needs the normalized row). */
export type EventDraft = Omit<EventRow, 'event_id'> & { readonly event_id?: string };

export function toPlayerRow(plan: Plan, record: SourceRecord, version: number): PlayerRow {
  const row = { version, ...readFields(plan, record) };
  return checkPlayerRow(row);
}

export function toEventDraft(plan: Plan, record: SourceRecord): EventDraft {
  const row = readFields(plan, record);
  // The schema needs an id; a placeholder stands in until the id is derived.
  const { event_id: _placeholder, ...checked } = checkEventRow({ event_id: '-', ...row });
  return typeof row.event_id === 'string' ? { ...checked, event_id: row.event_id } : checked;
}

function readFields(plan: Plan, record: SourceRecord): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const field of plan.fields) {
    const value = fieldValue(plan, field, record);
    if (value !== undefined) row[field.target.name] = value;
    else if (field.target.required) throw rowInvalid(field.target.name, 'missing');
  }
  const entries = bagEntries(plan, record);
  if (Object.keys(entries).length > 0) row[plan.target.bag] = entries;
  return row;
}

function fieldValue(plan: Plan, field: PlannedField, record: SourceRecord): unknown {
  const raw = field.column === undefined ? undefined : record[field.column];
  const name = field.target.name;
  if (field.target.kind === 'list' && Array.isArray(raw)) {
    return raw.map((item) => scalarText(name, item, plan.missing)).filter((t) => t !== undefined);
  }
  const text = scalarText(name, raw, plan.missing) ?? field.fallback;
  return text === undefined ? undefined : convert(plan, field, text);
}

function convert(plan: Plan, field: PlannedField, text: string): unknown {
  const name = field.target.name;
  switch (field.target.kind) {
    case 'text':
      return text;
    case 'country':
      return code(name, text.toUpperCase(), /^[A-Z]{2}$/, 'not a 2-letter ISO 3166 country code');
    case 'currency':
      return code(name, text.toUpperCase(), /^[A-Z]{3}$/, 'not a 3-letter ISO 4217 currency code');
    case 'event_type':
      return code(name, text.toLowerCase(), /^[a-z][a-z0-9_]{0,63}$/, 'not an event type name');
    case 'time':
      return parseTime(name, text, field.format);
    case 'day':
      return parseDay(name, text, field.format);
    case 'amount':
      return parseAmount(name, text);
    case 'integer':
      return parseInteger(name, text);
    case 'int32':
      return parseInteger(name, text, INT32);
    case 'version':
      return parseInteger(name, text, { min: 0, max: Number.MAX_SAFE_INTEGER });
    case 'boolean':
      return parseBoolean(name, text);
    case 'list':
      return text.split(plan.listSeparator).flatMap((t) => (t.trim() === '' ? [] : [t.trim()]));
  }
}

function code(field: string, text: string, pattern: RegExp, reason: string): string {
  if (pattern.test(text)) return text;
  throw rowInvalid(field, reason, text);
}

/** Trimmed text of a single value; undefined when absent or one of the "missing" texts. */
function scalarText(
  field: string,
  raw: SourceValue | undefined,
  missing: ReadonlySet<string>,
): string | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw === 'boolean') return String(raw);
  if (typeof raw !== 'string') {
    throw rowInvalid(field, Array.isArray(raw) ? 'a list where one value belongs' : 'an object');
  }
  const text = raw.trim();
  return missing.has(text) ? undefined : text;
}

function bagEntries(plan: Plan, record: SourceRecord): Record<string, string> {
  const bag = plan.target.bag;
  const entries: Record<string, string> = {};
  const put = (key: string, raw: SourceValue | undefined) => {
    const text = bagText(`${bag}.${key}`, raw, plan.missing);
    if (text !== undefined) entries[key] = text;
  };
  const whole = plan.bagObject === undefined ? undefined : record[plan.bagObject];
  if (whole !== undefined && whole !== null) {
    if (typeof whole !== 'object' || Array.isArray(whole)) {
      throw rowInvalid(bag, 'expected an object of key/value pairs');
    }
    for (const [key, raw] of Object.entries(whole)) put(key, raw);
  }
  for (const [key, column] of plan.bagColumns) put(key, record[column]);
  for (const [column, raw] of Object.entries(record)) {
    if (plan.usedColumns.has(column)) continue;
    if (column.startsWith(`${bag}.`)) put(column.slice(bag.length + 1), raw);
    else if (plan.extraToBag) put(column, raw);
  }
  return entries;
}

/** Bag values are text; a nested list or object is kept as its JSON text. */
function bagText(
  field: string,
  raw: SourceValue | undefined,
  missing: ReadonlySet<string>,
): string | undefined {
  if (raw !== null && typeof raw === 'object') return JSON.stringify(raw);
  return scalarText(field, raw, missing);
}
