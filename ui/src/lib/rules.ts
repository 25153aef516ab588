// The rule builder's model: a tree the marketer edits — groups joined by AND (all) or OR (any),
// each maybe negated, holding rows: a Players condition, an event-list condition (measure,
// window, operator, value and extra criteria on the event's own fields) or a reference to another
// segment — an Include group and an Exclude group at the top. It turns into the rule JSON of
// docs/rules.md and back: a saved rule is shown row by row when the way back gives the same rule.

/** What the builder needs of a catalogue list of GET /v1/lists (api.ts's List is one). */
export interface RuleField {
  readonly name: string;
  /** The catalogue's words for the field; the name stands in when missing. */
  readonly label?: string;
  readonly type: string;
  readonly usable_in_rules: boolean;
  readonly operators: readonly string[];
}

export interface RuleList {
  readonly id: string;
  readonly kind: 'players' | 'events';
  readonly fields: readonly RuleField[];
}

/** A condition on one field: the Players field of a row, or an event field in `where`. */
export interface Condition {
  field: string;
  op: string;
  /** The value as typed; the lower bound of between; the length of within_last. */
  value: string;
  /** The upper bound of between. */
  to: string;
  /** The unit of within_last. */
  unit: string;
  /** The values of one-of operators, one chip each. */
  chips: string[];
}

export type WindowKind = 'all' | 'last' | 'calendar' | 'range';

export interface Row extends Condition {
  kind: 'row';
  /** A list id, or SEGMENT for a reference to another segment. */
  list: string;
  negated: boolean;
  /** Event lists: count, count_days, first_time, last_time, sum:amount, distinct:product, … */
  measure: string;
  window: WindowKind;
  windowLast: string;
  windowUnit: string;
  calendar: string;
  windowFrom: string;
  windowTo: string;
  /** Event lists: criteria on the event's own fields, all of which an event must meet. */
  where: Condition[];
  /** References: the segment id. */
  segment: string;
}

export interface Group {
  kind: 'group';
  join: 'all' | 'any';
  negated: boolean;
  items: Node[];
}

export type Node = Group | Row;

/** A segment a reference may name. */
export interface Choice {
  readonly id: string;
  readonly name: string;
}

export const SEGMENT = '@segment';
export const UNITS = ['minute', 'hour', 'day', 'week', 'month'];
export const CALENDAR = [
  'today',
  'yesterday',
  'this_week',
  'last_week',
  'this_month',
  'last_month',
];
const NUMBER_MEASURE_OPS = ['gte', 'gt', 'eq', 'neq', 'lte', 'lt', 'between', 'not_between'];
const TIME_MEASURE_OPS = ['before', 'after', 'between', 'within_last', 'not_within_last'];
const NO_VALUE = ['is_set', 'is_not_set', 'is_empty', 'is_not_empty', 'is_true', 'is_false'];
const CHIP_OPS = ['in', 'not_in', 'has_any', 'has_all', 'has_none'];
const RANGE_OPS = ['between', 'not_between'];
const DURATION_OPS = ['within_last', 'not_within_last'];

const OP_LABELS: Record<string, string> = {
  ...{ eq: 'is', neq: 'is not', gt: '>', gte: '≥', lt: '<', lte: '≤' },
  ...{ in: 'is one of', not_in: 'is none of', has_any: 'has any of', has_all: 'has all of' },
  ...{ has_none: 'has none of', within_last: 'within the last' },
  ...{ not_within_last: 'not within the last', matches: 'matches (regex)' },
};

/** An operator in words for the builder's menus. */
export const opLabel = (op: string) => OP_LABELS[op] ?? op.replaceAll('_', ' ');

export type ValueKind = 'none' | 'chips' | 'range' | 'duration' | 'one';

/** Which value input an operator needs. */
export function valueKind(op: string): ValueKind {
  if (NO_VALUE.includes(op)) return 'none';
  if (CHIP_OPS.includes(op)) return 'chips';
  if (RANGE_OPS.includes(op)) return 'range';
  return DURATION_OPS.includes(op) ? 'duration' : 'one';
}

/** Changes a condition's operator, carrying what was typed over to the new kind of value. */
export function changeOp(c: Condition, op: string): void {
  const [from, to] = [valueKind(c.op), valueKind(op)];
  c.op = op;
  if (to === 'chips' && from !== 'chips' && c.chips.length === 0) {
    c.chips = c.value
      .split(',')
      .map((v) => v.trim())
      .filter((v) => v !== '');
  } else if (from === 'chips' && to !== 'chips' && c.value === '') c.value = c.chips[0] ?? '';
}

export const ruleFields = <F extends RuleField>(
  list: { readonly fields: readonly F[] } | undefined,
): F[] => (list?.fields ?? []).filter((f) => f.usable_in_rules && f.name !== 'player_id');

/** The measures of an event list: counts, times, and aggregates of its numeric fields. */
export function measuresOf(list: RuleList | undefined): string[] {
  const fields = ruleFields(list);
  const numeric = fields.filter((f) => f.type === 'money' || f.type === 'number');
  const text = fields.filter((f) => f.type === 'string');
  return [
    ...['count', 'count_days', 'first_time', 'last_time'],
    ...numeric.flatMap((f) => ['sum', 'avg', 'min', 'max'].map((k) => `${k}:${f.name}`)),
    ...text.map((f) => `distinct:${f.name}`),
  ];
}

const MEASURE_WORDS: Record<string, string> = {
  ...{ count: 'number of events', count_days: 'number of days with an event' },
  ...{ first_time: 'first time', last_time: 'last time' },
  ...{ sum: 'sum of', avg: 'average of', min: 'smallest', max: 'largest' },
  distinct: 'distinct values of',
};

/** A measure in words, naming its field by the catalogue's label: "sum of Total stakes". */
export function measureLabel(measure: string, list: RuleList | undefined): string {
  const [kind, name] = measure.split(':');
  const words = MEASURE_WORDS[kind!] ?? kind!;
  if (name === undefined) return words;
  const field = list?.fields.find((f) => f.name === name);
  return `${words} ${field?.label ?? name}`;
}

/** The type a measure yields, which decides its operators and value. */
export function measureType(measure: string, list: RuleList | undefined): string {
  if (measure === 'first_time' || measure === 'last_time') return 'datetime';
  const [kind, name] = measure.split(':');
  if (kind === 'sum' || kind === 'avg' || kind === 'min' || kind === 'max') {
    return list?.fields.find((f) => f.name === name)?.type ?? 'number';
  }
  return 'number';
}

export const measureOps = (type: string) =>
  type === 'datetime' ? TIME_MEASURE_OPS : NUMBER_MEASURE_OPS;

const emptyCondition = (field: string, op: string, value = ''): Condition => ({
  ...{ field, op, value },
  ...{ to: '', unit: 'day', chips: [] },
});

/** A condition on `field`, its value still to be typed; with no field, one still to be chosen. */
export function newCondition(field: RuleField | undefined): Condition {
  return emptyCondition(field?.name ?? '', field?.operators[0] ?? 'eq');
}

/**
 * A new row starts incomplete (no field chosen; on an event list, no count typed), so it never
 * narrows the preview by a value nobody chose.
 */
export function newRow(lists: readonly RuleList[], listId = 'players'): Row {
  const list = lists.find((l) => l.id === listId);
  const condition = list?.kind === 'events' ? emptyCondition('', 'gte') : newCondition(undefined);
  return {
    kind: 'row',
    ...condition,
    ...{ list: list?.id ?? listId, negated: false, measure: 'count', window: 'last' as const },
    ...{ windowLast: '7', windowUnit: 'day', calendar: 'this_week', windowFrom: '', windowTo: '' },
    ...{ where: [], segment: '' },
  };
}

export const newGroup = (items: Node[] = []): Group => ({
  ...{ kind: 'group', join: 'all', negated: false },
  items,
});

// Rows and groups to rule JSON.

/** Numbers as numbers; money stays decimal text, exact; a blank is sent as is and refused. */
function typed(type: string, text: string): string | number {
  const trimmed = text.trim();
  return type === 'number' && trimmed !== '' ? Number(trimmed) : trimmed;
}

/** The value of a condition on a field (or a measure) of `type`; undefined when none. */
export function conditionValue(type: string, c: Condition): unknown {
  switch (valueKind(c.op)) {
    case 'none':
      return undefined;
    case 'chips':
      return c.chips.map((v) => typed(type, v));
    case 'range':
      return [typed(type, c.value), typed(type, c.to)];
    case 'duration':
      return { last: Number(c.value), unit: c.unit };
    default:
      return typed(type, c.value);
  }
}

function fieldCondition(fields: readonly RuleField[], c: Condition): unknown {
  const type = fields.find((f) => f.name === c.field)?.type ?? 'string';
  const value = conditionValue(type, c);
  return value === undefined ? { field: c.field, op: c.op } : { field: c.field, op: c.op, value };
}

function windowOf(row: Row): unknown {
  switch (row.window) {
    case 'last':
      return { last: Number(row.windowLast), unit: row.windowUnit };
    case 'calendar':
      return { calendar: row.calendar };
    case 'range':
      return { from: row.windowFrom.trim(), to: row.windowTo.trim() };
    default:
      return undefined;
  }
}

function measureOf(text: string): unknown {
  const [kind, field] = text.split(':');
  return field === undefined ? kind : { [kind!]: field };
}

function eventItem(row: Row, list: RuleList): unknown {
  const window = windowOf(row);
  const where = row.where.map((c) => fieldCondition(list.fields, c));
  const value = conditionValue(measureType(row.measure, list), row);
  return {
    list: row.list,
    ...(where.length > 0 ? { where } : {}),
    ...(window === undefined ? {} : { window }),
    measure: measureOf(row.measure),
    op: row.op,
    ...(value === undefined ? {} : { value }),
  };
}

function rowItem(row: Row, lists: readonly RuleList[]): unknown {
  if (row.list === SEGMENT) return { segment: row.segment, op: row.op };
  const list = lists.find((l) => l.id === row.list);
  if (list?.kind === 'events') return eventItem(row, list);
  return fieldCondition(list?.fields ?? [], row);
}

export function nodeItem(node: Node, lists: readonly RuleList[]): unknown {
  const item =
    node.kind === 'group'
      ? { [node.join]: node.items.map((n) => nodeItem(n, lists)) }
      : rowItem(node, lists);
  return node.negated ? { not: item } : item;
}

/** The rule of the two blocks; an empty Exclude block is left out. */
export function blocksRule(include: Group, exclude: Group, lists: readonly RuleList[]): unknown {
  const block = (g: Group) => ({ [g.join]: g.items.map((n) => nodeItem(n, lists)) });
  return exclude.items.length === 0
    ? { include: block(include) }
    : { include: block(include), exclude: block(exclude) };
}

// Incomplete rows: left out of the preview, and Save waits for them.

const blank = (text: string) => text.trim() === '';

/** What a condition still lacks, or '' when it has all its operator needs. */
function valueMissing(c: Condition): string {
  switch (valueKind(c.op)) {
    case 'chips':
      return c.chips.length === 0 ? 'add a value' : '';
    case 'range':
      return blank(c.value) || blank(c.to) ? 'enter both bounds' : '';
    case 'one':
    case 'duration':
      return blank(c.value) ? 'enter a value' : '';
    default:
      return '';
  }
}

const conditionMissing = (c: Condition) => (c.field === '' ? 'choose a field' : valueMissing(c));

function windowMissing(row: Row): string {
  if (row.window === 'last' && blank(row.windowLast)) return 'enter the window length';
  if (row.window === 'range' && (blank(row.windowFrom) || blank(row.windowTo))) {
    return 'enter both window dates';
  }
  return '';
}

/** What a row still lacks before it is a rule ("choose a field"), or '' when it is complete. */
export function incomplete(row: Row, lists: readonly RuleList[]): string {
  if (row.list === SEGMENT) return row.segment === '' ? 'choose a segment' : '';
  if (lists.find((l) => l.id === row.list)?.kind !== 'events') return conditionMissing(row);
  const criterion = row.where.map(conditionMissing).find((m) => m !== '');
  return windowMissing(row) || valueMissing(row) || (criterion ? `criterion: ${criterion}` : '');
}

/** The group without its incomplete rows, nor the groups left empty by that. */
export function completeGroup(group: Group, lists: readonly RuleList[]): Group {
  return { ...group, items: completeItems(group, lists).map(([node]) => node) };
}

/** The complete items of a group, each with its index in the group as the builder shows it. */
function completeItems(group: Group, lists: readonly RuleList[]): [Node, number][] {
  return group.items.flatMap((node, i): [Node, number][] => {
    if (node.kind === 'row') return incomplete(node, lists) === '' ? [[node, i]] : [];
    const kept = completeGroup(node, lists);
    return kept.items.length === 0 ? [] : [[kept, i]];
  });
}

/**
 * An error path of the rule of complete rows (completeGroup) as a path of the builder's rows:
 * leaving rows out moves the later ones up, so `all[1]` there may be `all[2]` here.
 */
export function builderPath(
  errorPath: string,
  group: Group,
  path: string,
  lists: readonly RuleList[],
): string {
  const step = pathWithin(errorPath, path)
    ? new RegExp(`^\\.${group.join}\\[(\\d+)\\]`).exec(errorPath.slice(path.length))
    : null;
  const entry = step ? completeItems(group, lists)[Number(step[1])] : undefined;
  if (!step || !entry) return errorPath;
  const i = entry[1];
  const node = group.items[i]!;
  const at = `${path}.${group.join}[${i}]`;
  const moved = at + errorPath.slice(path.length + step[0].length);
  if (node.kind === 'row') return moved;
  return builderPath(moved, node, node.negated ? `${at}.not` : at, lists);
}

export interface Unfinished {
  /** Where the row is, in words: "Include, rule 2", "Include, group 1, rule 1". */
  readonly where: string;
  readonly missing: string;
}

/** The incomplete rows of a group, each said where it is and what it lacks. */
export function unfinished(group: Group, where: string, lists: readonly RuleList[]): Unfinished[] {
  let [rows, groups] = [0, 0];
  return group.items.flatMap((node) => {
    if (node.kind === 'group') return unfinished(node, `${where}, group ${++groups}`, lists);
    const missing = incomplete(node, lists);
    rows += 1;
    return missing === '' ? [] : [{ where: `${where}, rule ${rows}`, missing }];
  });
}

/** The reason of an API error shown beside its row: the row's place already says where. */
export const reasonOnly = (message: string, path: string) =>
  path === '' ? message : message.replace(` at ${path}`, '');

// Rule JSON back to rows and groups.

type Json = Record<string, unknown>;

function conditionOf(field: string, op: string, value: unknown): Condition {
  const c = emptyCondition(field, op);
  const kind = valueKind(op);
  if (kind === 'chips' && Array.isArray(value)) c.chips = value.map(String);
  else if (kind === 'range' && Array.isArray(value))
    [c.value, c.to] = [String(value[0]), String(value[1])];
  else if (kind === 'duration' && typeof value === 'object' && value !== null) {
    c.value = String((value as Json).last);
    c.unit = String((value as Json).unit);
  } else if (value !== undefined) c.value = String(value);
  return c;
}

function windowFields(window: unknown): Partial<Row> {
  if (window === undefined) return { window: 'all' };
  const w = window as Json;
  if ('calendar' in w) return { window: 'calendar', calendar: String(w.calendar) };
  if ('from' in w) return { window: 'range', windowFrom: String(w.from), windowTo: String(w.to) };
  return { window: 'last', windowLast: String(w.last), windowUnit: String(w.unit) };
}

function measureText(measure: unknown): string {
  if (typeof measure === 'string') return measure;
  const [kind, field] = Object.entries(measure as Json)[0]!;
  return `${kind}:${String(field)}`;
}

function itemNode(item: Json, lists: readonly RuleList[]): Node {
  if ('all' in item || 'any' in item) {
    const join = 'all' in item ? 'all' : 'any';
    const items = (item[join] as Json[]).map((i) => itemNode(i, lists));
    return { ...newGroup(items), join };
  }
  if ('not' in item) {
    const node = itemNode(item.not as Json, lists);
    if (node.negated) throw new Error('NOT of NOT');
    return { ...node, negated: true };
  }
  const base = newRow(lists);
  if ('segment' in item) {
    return { ...base, list: SEGMENT, segment: String(item.segment), op: String(item.op) };
  }
  if ('list' in item) {
    if (!lists.some((l) => l.id === item.list && l.kind === 'events')) throw new Error('list');
    const where = ((item.where ?? []) as Json[]).map((c) =>
      conditionOf(String(c.field), String(c.op), c.value),
    );
    return {
      ...base,
      ...conditionOf('', String(item.op), item.value),
      ...{ list: String(item.list), measure: measureText(item.measure), where },
      ...windowFields(item.window),
    };
  }
  return { ...base, ...conditionOf(String(item.field), String(item.op), item.value) };
}

/** Decimal text and numbers compare alike: money may be saved either way. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'string' && /^-?\d+(\.\d+)?$/.test(v)) return Number(v);
    if (v && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b)));
    }
    return v;
  });
}

/**
 * The blocks of a saved rule, or undefined when rows cannot show it exactly (a NOT of a NOT, a
 * list the catalogue no longer has): the way back must give the same rule.
 */
export function ruleBlocks(
  rule: unknown,
  lists: readonly RuleList[],
): { include: Group; exclude: Group } | undefined {
  try {
    const r = rule as { include: Json; exclude?: Json };
    const block = (g: Json | undefined) => (g ? (itemNode(g, lists) as Group) : newGroup());
    const blocks = { include: block(r.include), exclude: block(r.exclude) };
    if (blocks.include.negated || blocks.exclude.negated) return undefined;
    const back = blocksRule(blocks.include, blocks.exclude, lists);
    return canonical(back) === canonical(rule) ? blocks : undefined;
  } catch {
    return undefined;
  }
}

/** Whether an error at `errorPath` belongs to the item at `itemPath` or inside it. */
export function pathWithin(errorPath: string, itemPath: string): boolean {
  if (!errorPath.startsWith(itemPath)) return false;
  const next = errorPath.charAt(itemPath.length);
  return next === '' || next === '.' || next === '[' || next === '/';
}

/** Paths of every row of a group, to place an error at the row it names. */
export function rowPaths(group: Group, path: string): string[] {
  return group.items.flatMap((node, i) => {
    const at = `${path}.${group.join}[${i}]`;
    if (node.kind === 'row') return [at];
    return rowPaths(node, node.negated ? `${at}.not` : at);
  });
}

/** The segment ids a group's references name. */
export function references(group: Group): string[] {
  return group.items.flatMap((node) =>
    node.kind === 'group' ? references(node) : node.list === SEGMENT ? [node.segment] : [],
  );
}
