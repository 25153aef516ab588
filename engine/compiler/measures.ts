// Measures of event conditions (docs/rules.md, "Measures") as aggregates of the event scan. A
// measure that has a value for every player (counts, sums) is a plain column that the join
// fills with 0 for players without events; one that can be missing (min, max, first and last
// time, average) comes with the count of its events and is missing when that is 0.
import type { EventList, FieldType } from '../catalogue/types.ts';
import type { Measure } from '../rules/schema.ts';
import { sqlString } from '../sql/literal.ts';
import { fieldOf, fieldValue, type FieldValue } from './fields.ts';
import { atom } from './format.ts';
import type { Operand } from './operators.ts';
import type { EventScan, RowFilter } from './scan.ts';
import type { TimeEnv } from './time.ts';

export interface MeasureValue {
  readonly operand: Operand;
  /** The type the condition's operator and value are read as. */
  readonly type: FieldType;
}

export interface MeasureInput {
  readonly measure: Measure;
  readonly list: EventList;
  readonly filter: RowFilter;
  /** The segment's timezone (calendar days) and as-of time. */
  readonly env: TimeEnv;
  /** Path of the event condition, for errors. */
  readonly path: string;
}

/** A measure with a value for every player (0 when no event counts). */
const always = (sql: string): Operand => ({ kind: 'value', sql, nullable: false });

export function measureValue(scan: EventScan, m: MeasureInput): MeasureValue {
  const { measure, filter } = m;
  if (measure === 'count') {
    return { operand: always(scan.aggregate('count', 'count', [], filter)), type: 'number' };
  }
  if (measure === 'count_days') {
    const day = `toDate(event_time, ${sqlString(m.env.timezone)})`;
    const alias = scan.aggregate('days', 'uniqExact', [day], filter);
    return { operand: always(alias), type: 'number' };
  }
  if (measure === 'first_time' || measure === 'last_time') {
    const fn = measure === 'first_time' ? 'min' : 'max';
    return { operand: counted(scan, fn, 'event_time', filter), type: 'datetime' };
  }
  return fieldMeasure(scan, m);
}

function fieldMeasure(scan: EventScan, m: MeasureInput): MeasureValue {
  const [kind, name] = Object.entries(m.measure)[0] as [string, string];
  const field = fieldValue(fieldOf(m.list, name, `${m.path}.measure.${kind}`), scan.keys, m.env);
  // Only events where the field is present take part (sum "where F is present" etc.).
  const filter = present(m.filter, field);
  const x = field.nullable ? `assumeNotNull(${field.sql})` : field.sql;
  switch (kind) {
    case 'sum':
      return { operand: always(scan.aggregate('sum', 'sum', [x], filter)), type: field.type };
    case 'avg': {
      const sum = scan.aggregate('sum', 'sum', [x], filter);
      const count = scan.aggregate('n', 'count', [], filter);
      return { operand: { kind: 'avg', sum, count }, type: field.type };
    }
    case 'min':
    case 'max':
      return { operand: counted(scan, kind, x, filter), type: field.type };
    default: {
      // distinct
      const alias = scan.aggregate('distinct', 'uniqExact', [x], filter);
      return { operand: always(alias), type: 'number' };
    }
  }
}

function present(filter: RowFilter, field: FieldValue): RowFilter {
  if (!field.nullable) return filter;
  return { ...filter, where: [...filter.where, atom(`isNotNull(${field.sql})`)] };
}

/**
 * min/max, meaningful only when some event counts: an -If aggregate over no rows gives the
 * type's default (0, 1970-01-01), which would look like a real value.
 */
function counted(scan: EventScan, fn: 'min' | 'max', x: string, filter: RowFilter): Operand {
  const count = scan.aggregate('n', 'count', [], filter);
  return { kind: 'counted', sql: scan.aggregate(fn, fn, [x], filter), count };
}
