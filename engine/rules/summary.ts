// One human-readable line per rule, for segment lists, logs and the CLI, e.g.
// "Deposits in the last 7 days: count >= 3 AND Country is one of DE, AT AND NOT (Self-excluded
// is true)". Field and list labels come from the catalogue (names when a label is unknown);
// nested groups get parentheses; text values are quoted when they could be misread.
import { findField, findList, playersList } from '../catalogue/lookup.ts';
import type { Catalogue, FieldType, List } from '../catalogue/types.ts';
import type {
  AttributeCondition,
  EventCondition,
  Group,
  Item,
  Measure,
  Rule,
  Window,
} from './schema.ts';

export function summarizeRule(rule: Rule, catalogue: Catalogue): string {
  const include = groupText(rule.include, catalogue);
  return rule.exclude ? `${include} EXCLUDE ${groupText(rule.exclude, catalogue)}` : include;
}

function groupText(group: Group, catalogue: Catalogue): string {
  const [items, joiner] = 'all' in group ? [group.all, ' AND '] : [group.any, ' OR '];
  return items.map((item) => itemText(item, catalogue, items.length > 1)).join(joiner);
}

/** `inList` says whether the item sits next to others, where a group needs parentheses. */
function itemText(item: Item, catalogue: Catalogue, inList: boolean): string {
  if ('all' in item || 'any' in item) {
    const text = groupText(item, catalogue);
    const many = ('all' in item ? item.all : item.any).length > 1;
    return inList && many ? `(${text})` : text;
  }
  if ('not' in item) return `NOT (${itemText(item.not, catalogue, false)})`;
  if ('segment' in item) return `${item.op === 'in' ? 'in' : 'not in'} segment ${item.segment}`;
  if ('field' in item) return attributeText(item, playersList(catalogue));
  return eventText(item, catalogue);
}

function attributeText(condition: AttributeCondition, list: List): string {
  const field = findField(list, condition.field);
  const label = field?.label ?? condition.field;
  return `${label} ${comparison(field?.type ?? 'string', condition.op, condition.value)}`;
}

function eventText(condition: EventCondition, catalogue: Catalogue): string {
  const list = findList(catalogue, condition.list);
  const label = list?.label ?? condition.list;
  const where = list && condition.where?.length ? ` where ${whereText(condition, list)}` : '';
  const window = condition.window ? ` ${windowText(condition.window)}` : '';
  const [measure, type] = measureText(condition.measure, list);
  return `${label}${where}${window}: ${measure} ${comparison(type, condition.op, condition.value)}`;
}

function whereText(condition: EventCondition, list: List): string {
  return (condition.where ?? []).map((c) => attributeText(c, list)).join(' and ');
}

const CALENDAR_TEXT: Record<string, string> = {
  today: 'today',
  yesterday: 'yesterday',
  this_week: 'this week',
  last_week: 'last week',
  this_month: 'this month',
  last_month: 'last month',
};

function windowText(window: Window): string {
  if ('last' in window) {
    return window.last === 1 ? `in the last ${window.unit}` : `in the last ${duration(window)}`;
  }
  if ('calendar' in window) return CALENDAR_TEXT[window.calendar] ?? window.calendar;
  return `from ${window.from} to ${window.to}`;
}

const MEASURE_TEXT: Record<string, string> = {
  count: 'count',
  count_days: 'count of days',
  first_time: 'first time',
  last_time: 'last time',
  sum: 'sum of',
  avg: 'average',
  min: 'minimum',
  max: 'maximum',
  distinct: 'distinct',
};

function measureText(measure: Measure, list: List | undefined): [string, FieldType] {
  if (typeof measure === 'string') {
    const type = measure === 'first_time' || measure === 'last_time' ? 'datetime' : 'number';
    return [MEASURE_TEXT[measure] ?? measure, type];
  }
  const [kind = '', name = ''] = Object.entries(measure)[0] ?? [];
  const field = list ? findField(list, name) : undefined;
  const type = kind === 'distinct' ? 'number' : (field?.type ?? 'number');
  return [`${MEASURE_TEXT[kind] ?? kind} ${field?.label ?? name}`, type];
}

const OP_TEXT: Record<string, string> = {
  eq: 'is',
  neq: 'is not',
  in: 'is one of',
  not_in: 'is not one of',
  contains: 'contains',
  not_contains: 'does not contain',
  starts_with: 'starts with',
  ends_with: 'ends with',
  matches: 'matches',
  is_set: 'is set',
  is_not_set: 'is not set',
  is_empty: 'is empty',
  is_not_empty: 'is not empty',
  is_true: 'is true',
  is_false: 'is false',
  has_any: 'has any of',
  has_all: 'has all of',
  has_none: 'has none of',
  before: 'is before',
  after: 'is after',
  within_last: 'is within the last',
  not_within_last: 'is not within the last',
};

/** Number comparisons read better as symbols: "count >= 3", "VIP level = 2". */
const NUMBER_OP_TEXT: Record<string, string> = {
  eq: '=',
  neq: '!=',
  gt: '>',
  gte: '>=',
  lt: '<',
  lte: '<=',
};

function comparison(type: FieldType, op: string, value: unknown): string {
  const numeric = type === 'number' || type === 'money';
  const words = (numeric ? NUMBER_OP_TEXT[op] : undefined) ?? OP_TEXT[op] ?? op;
  if (value === undefined) return words;
  if (op === 'between' || op === 'not_between') {
    const [lo, hi] = Array.isArray(value) ? value : [];
    const text = `between ${valueText(type, lo)} and ${valueText(type, hi)}`;
    return op === 'between' ? `is ${text}` : `is not ${text}`;
  }
  return `${words} ${valueText(type, value)}`;
}

function valueText(type: FieldType, value: unknown): string {
  if (Array.isArray(value)) return value.map((v) => valueText(type, v)).join(', ');
  if (typeof value === 'object' && value !== null && 'last' in value && 'unit' in value) {
    return duration(value as { last: number; unit: string });
  }
  const text = String(value);
  const isText = type === 'string' || type === 'string_list';
  return isText && needsQuotes(text) ? JSON.stringify(text) : text;
}

function duration({ last, unit }: { last: number; unit: string }): string {
  return `${last} ${unit}${last === 1 ? '' : 's'}`;
}

/** Text that could be read as a separator or keyword of the summary itself. */
function needsQuotes(text: string): boolean {
  return (
    text === '' ||
    text.trim() !== text ||
    /[,"'():\\\p{Cc}]/u.test(text) ||
    /(^|\s)(and|or|not|exclude|where)(\s|$)/i.test(text)
  );
}
