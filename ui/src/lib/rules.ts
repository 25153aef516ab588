// The rule builder's model: rows the marketer edits (a Players condition or an event-list
// condition, each maybe negated) in an Include block and an Exclude block, each joined by AND or
// OR, and the rule JSON of docs/rules.md made from them.
import type { List } from './api.ts';

export interface Row {
  list: string;
  field: string;
  op: string;
  /** Text as typed: one value, "a, b" for lists, "a .. b" for between. */
  value: string;
  /** Event lists: the measure (count, count_days, sum:amount, …) and the window. */
  measure: string;
  windowLast: string;
  windowUnit: string;
  negated: boolean;
}

export interface Block {
  join: 'all' | 'any';
  rows: Row[];
}

export const UNITS = ['minute', 'hour', 'day', 'week', 'month'];
/** Operators of numeric measures and of first_time / last_time. */
export const MEASURE_OPS = ['gte', 'gt', 'eq', 'neq', 'lte', 'lt', 'between'];
const NO_VALUE = ['is_set', 'is_not_set', 'is_empty', 'is_not_empty', 'is_true', 'is_false'];
const LIST_OPS = ['in', 'not_in', 'has_any', 'has_all', 'has_none'];

export function newRow(lists: readonly List[], listId = 'players'): Row {
  const list = lists.find((l) => l.id === listId) ?? lists[0]!;
  const field = list.fields.find((f) => f.usable_in_rules && f.name !== 'player_id')!;
  const events = list.kind === 'events';
  return {
    ...{ list: list.id, field: field.name, op: events ? 'gte' : (field.operators[0] ?? 'eq') },
    ...{ value: events ? '1' : '', measure: 'count', windowLast: '7', windowUnit: 'day' },
    negated: false,
  };
}

export const needsValue = (op: string) => !NO_VALUE.includes(op);

function valueOf(type: string, op: string, text: string): unknown {
  const one = (t: string) => (type === 'number' || type === 'money' ? Number(t) : t.trim());
  if (LIST_OPS.includes(op))
    return text
      .split(',')
      .map(one)
      .filter((v) => v !== '');
  if (op === 'between' || op === 'not_between') return text.split('..').map(one);
  if (op === 'within_last' || op === 'not_within_last') {
    const [n, unit] = text.trim().split(/\s+/);
    return { last: Number(n), unit: unit ?? 'day' };
  }
  return one(text);
}

function measureOf(text: string): unknown {
  const [kind, field] = text.split(':');
  return field === undefined ? kind : { [kind!]: field };
}

export function rowItem(row: Row, lists: readonly List[]): unknown {
  const list = lists.find((l) => l.id === row.list)!;
  let item: unknown;
  if (list.kind === 'players') {
    const type = list.fields.find((f) => f.name === row.field)?.type ?? 'string';
    item = needsValue(row.op)
      ? { field: row.field, op: row.op, value: valueOf(type, row.op, row.value) }
      : { field: row.field, op: row.op };
  } else {
    const window =
      row.windowLast === ''
        ? {}
        : { window: { last: Number(row.windowLast), unit: row.windowUnit } };
    const timeMeasure = row.measure === 'first_time' || row.measure === 'last_time';
    const value = valueOf(timeMeasure ? 'datetime' : 'number', row.op, row.value);
    item = { list: row.list, ...window, measure: measureOf(row.measure), op: row.op, value };
  }
  return row.negated ? { not: item } : item;
}

/** The rule of the two blocks; an empty Exclude block is left out. */
export function blocksRule(include: Block, exclude: Block, lists: readonly List[]): unknown {
  const group = (b: Block) => ({ [b.join]: b.rows.map((r) => rowItem(r, lists)) });
  return exclude.rows.length === 0
    ? { include: group(include) }
    : { include: group(include), exclude: group(exclude) };
}

/** The row an error path points at: include.all[2]... -> { block: 'include', index: 2 }. */
export function rowOfPath(path: string): { block: string; index: number } | undefined {
  const m = /(include|exclude)\.(?:all|any)\[(\d+)\]/.exec(path);
  return m ? { block: m[1]!, index: Number(m[2]) } : undefined;
}
