// A condition of an explanation as a short line ("Country eq DE", "Deposits: sum of Amount gte
// 100, last 7 days"), with the catalogue's labels where it names a list or a field.

type Condition = Record<string, unknown>;

/** What this needs of a catalogue list (GET /v1/lists): plain, so that it runs anywhere. */
export interface LabelledList {
  readonly id: string;
  readonly label: string;
  readonly fields: readonly { readonly name: string; readonly label: string }[];
}

const OP_WORDS: Record<string, string> = {
  eq: '=',
  neq: '≠',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  in: 'is one of',
  not_in: 'is none of',
};

const text = (value: unknown) =>
  value === undefined
    ? ''
    : Array.isArray(value)
      ? value.join(', ')
      : typeof value === 'object'
        ? JSON.stringify(value)
        : String(value);

export function conditionText(condition: Condition, lists: readonly LabelledList[]): string {
  const listOf = (id: unknown) => lists.find((l) => l.id === id);
  const label = (list: LabelledList | undefined, field: unknown) =>
    list?.fields.find((f) => f.name === field)?.label ?? String(field);
  const compare = (subject: string) =>
    [subject, opWords(condition.op), text(condition.value)].filter((s) => s !== '').join(' ');
  if (condition.list === undefined) {
    return compare(label(listOf('players'), condition.field));
  }
  const list = listOf(condition.list);
  const measure = condition.measure;
  const [how, field] =
    typeof measure === 'object' && measure !== null
      ? (Object.entries(measure)[0] ?? [])
      : [measure];
  const measured = field === undefined ? String(how) : `${how} of ${label(list, field)}`;
  const window = condition.window as Record<string, unknown> | undefined;
  const within =
    window === undefined
      ? ''
      : 'last' in window
        ? `, last ${text(window.last)} ${text(window.unit)}(s)`
        : 'calendar' in window
          ? `, ${text(window.calendar)}`
          : `, ${text(window.from)} to ${text(window.to)}`;
  const where =
    Array.isArray(condition.where) && condition.where.length > 0
      ? ` (${condition.where.length} filter(s))`
      : '';
  return `${list?.label ?? String(condition.list)}${where}: ${compare(measured)}${within}`;
}

const opWords = (op: unknown) => OP_WORDS[String(op)] ?? String(op).replaceAll('_', ' ');
