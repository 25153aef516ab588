// Member rows as the members route answers them: one object per member, keyed by field name in
// column order.
import type { MemberColumn } from './columns.ts';

export type MemberValue = string | number | boolean | null | readonly string[];

export function memberRow(
  columns: readonly MemberColumn[],
  row: Record<string, unknown>,
): Record<string, MemberValue> {
  const out: Record<string, MemberValue> = {};
  columns.forEach((column, i) => {
    const value = row[`c${i}`] as MemberValue | undefined;
    const boolean = column.field.type === 'boolean' && !column.masked;
    out[column.field.name] = value == null ? null : boolean ? Number(value) === 1 : value;
  });
  return out;
}
