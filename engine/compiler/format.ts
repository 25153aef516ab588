// Layout of compiled SQL. The SQL is shown to users in the preview, so conditions go one per
// line, nested groups are indented and parenthesised, and short expressions stay on one line.

export const INDENT = '    ';

/** A boolean SQL expression; `compound` when it joins several terms with AND / OR. */
export interface Predicate {
  readonly sql: string;
  readonly compound: boolean;
}

export const FALSE: Predicate = { sql: '0', compound: false };

export function atom(sql: string): Predicate {
  return { sql, compound: false };
}

export function indent(text: string, levels = 1): string {
  const pad = INDENT.repeat(levels);
  return text
    .split('\n')
    .map((line) => (line === '' ? line : pad + line))
    .join('\n');
}

/** `(x)` for a short one-line x, otherwise the text indented between lines of its own. */
export function paren(sql: string): string {
  return isShort(sql) ? `(${sql})` : `(\n${indent(sql)}\n)`;
}

/** Every predicate holds: one per line, `AND` in front of all but the first. */
export function and(items: readonly Predicate[]): Predicate {
  return join(items, 'AND');
}

/** At least one predicate holds. */
export function or(items: readonly Predicate[]): Predicate {
  return join(items, 'OR');
}

function join(items: readonly Predicate[], op: 'AND' | 'OR'): Predicate {
  if (items.length === 1) return items[0]!;
  const lines = items.map((item, i) => (i === 0 ? '' : `${op} `) + operand(item));
  return { sql: lines.join('\n'), compound: true };
}

/** The complement of a predicate that is never NULL, so NOT is exact. */
export function not(item: Predicate): Predicate {
  return atom(`NOT ${paren(item.sql)}`);
}

/** A predicate as an operand of AND / OR / a function: compound ones in parentheses. */
export function operand(item: Predicate): string {
  return item.compound ? paren(item.sql) : item.sql;
}

/** Like and(), but on one line when that is short: for terms of one condition. */
export function andInline(items: readonly Predicate[]): Predicate {
  return joinInline(items, 'AND');
}

/** Like or(), but on one line when that is short. */
export function orInline(items: readonly Predicate[]): Predicate {
  return joinInline(items, 'OR');
}

function joinInline(items: readonly Predicate[], op: 'AND' | 'OR'): Predicate {
  if (items.length === 1) return items[0]!;
  const oneLine = items.map(operand).join(` ${op} `);
  return isShort(oneLine) ? { sql: oneLine, compound: true } : join(items, op);
}

/** `fn(a, b)` on one line when short, else each argument on its own indented line. */
export function call(fn: string, args: readonly string[]): string {
  const oneLine = `${fn}(${args.join(', ')})`;
  if (isShort(oneLine)) return oneLine;
  return `${fn}(\n${indent(args.join(',\n'))}\n)`;
}

function isShort(sql: string): boolean {
  return !sql.includes('\n') && sql.length <= 72;
}
