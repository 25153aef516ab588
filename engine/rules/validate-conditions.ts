// Conditions checked against the catalogue: the list and field exist and are usable, the
// operator applies to the field's type (or to the measure), and the value fits the operator.
import { Type } from '@sinclair/typebox';
import { findField, findList } from '../catalogue/lookup.ts';
import type { Catalogue, EventList, Field, FieldType, List } from '../catalogue/types.ts';
import {
  AttributeCondition,
  BOOLEAN_OPS,
  DATETIME_OPS,
  EventCondition,
  Measure,
  NUMBER_OPS,
  STRING_LIST_OPS,
  STRING_OPS,
  type Measure as MeasureType,
} from './schema.ts';
import { checkValue } from './validate-values.ts';
import { at, index, isRecord, ruleError, shapeCheck } from './validate-shape.ts';
import { validateWindow } from './validate-window.ts';

const OPS_BY_TYPE: Record<FieldType, readonly string[]> = {
  string: STRING_OPS,
  number: NUMBER_OPS,
  money: NUMBER_OPS,
  datetime: DATETIME_OPS,
  boolean: BOOLEAN_OPS,
  string_list: STRING_LIST_OPS,
};

const attributeShape = shapeCheck(AttributeCondition);

/** A condition on a field of `list` (the Players list, or an event list inside `where`). */
export function validateAttribute(input: unknown, list: List, path: string): AttributeCondition {
  attributeShape(input, path);
  const condition = input as AttributeCondition;
  const field = usableField(list, condition.field, at(path, 'field'));
  checkOperator(field.type, condition.op, at(path, 'op'), `a ${field.type} field`);
  checkMaskedOperator(field, condition.op, at(path, 'op'));
  const value = checkValue(
    field.type,
    condition.op,
    condition.value,
    condition.value !== undefined,
    at(path, 'value'),
  );
  return withValue({ field: field.name, op: condition.op }, value);
}

function usableField(list: List, name: string, path: string): Field {
  const field = findField(list, name);
  if (!field) throw ruleError('RULE_UNKNOWN_FIELD', path, `${name} is not a field of ${list.id}`);
  if (!field.usableInRules) {
    throw ruleError('RULE_FIELD_NOT_USABLE', path, `${name} is not enabled for rules`);
  }
  return field;
}

/**
 * Text-pattern operators on an anonymized field would let anyone who may preview read the
 * masked value back a character at a time (matches ^a, ^ab, ...). Equality, lists and presence
 * stay allowed: they answer only what the rule's author already knows.
 */
const PATTERN_OPS = ['contains', 'not_contains', 'starts_with', 'ends_with', 'matches'];

/** The operators a condition on `field` may use (what the rule builder offers). */
export function operatorsFor(field: Field): readonly string[] {
  const ops = OPS_BY_TYPE[field.type];
  return field.anonymized ? ops.filter((op) => !PATTERN_OPS.includes(op)) : ops;
}

function checkMaskedOperator(field: Field, op: string, path: string): void {
  if (field.anonymized && PATTERN_OPS.includes(op)) {
    throw ruleError(
      'RULE_OPERATOR_MISMATCH',
      path,
      `${op} is not allowed on the anonymized field ${field.name}`,
    );
  }
}

function checkOperator(type: FieldType, op: string, path: string, what: string): void {
  if (!OPS_BY_TYPE[type].includes(op)) {
    throw ruleError(
      'RULE_OPERATOR_MISMATCH',
      path,
      `${op} does not apply to ${what}; use one of ${OPS_BY_TYPE[type].join(', ')}`,
    );
  }
}

function withValue<T extends object>(base: T, value: unknown): T & { value?: unknown } {
  return value === undefined ? base : { ...base, value };
}

const eventShape = shapeCheck(
  Type.Object(
    {
      ...EventCondition.properties,
      where: Type.Optional(Type.Array(Type.Unknown(), { maxItems: 50 })),
      window: Type.Optional(Type.Unknown()),
      measure: Type.Unknown(),
    },
    { additionalProperties: false },
  ),
);

/** An aggregate over a player's events on one event list, compared with a value. */
export function validateEvent(input: unknown, catalogue: Catalogue, path: string): EventCondition {
  eventShape(input, path);
  const condition = input as EventCondition;
  const list = eventList(catalogue, condition.list, at(path, 'list'));
  const where = (condition.where ?? []).map((c, i) =>
    validateAttribute(c, list, index(at(path, 'where'), i)),
  );
  const window =
    condition.window === undefined
      ? undefined
      : validateWindow(condition.window, at(path, 'window'));
  const { measure, type } = validateMeasure(condition.measure, list, at(path, 'measure'));
  checkOperator(type, condition.op, at(path, 'op'), `the measure (${type})`);
  const value = checkValue(
    type,
    condition.op,
    condition.value,
    condition.value !== undefined,
    at(path, 'value'),
  );
  return withValue(
    {
      list: list.id,
      ...(where.length > 0 ? { where } : {}),
      ...(window ? { window } : {}),
      measure,
      op: condition.op,
    },
    value,
  );
}

function eventList(catalogue: Catalogue, id: string, path: string): EventList {
  const list = findList(catalogue, id);
  if (!list) throw ruleError('RULE_UNKNOWN_LIST', path, `${id} is not in the catalogue`);
  if (list.kind !== 'events') {
    throw ruleError('RULE_UNKNOWN_LIST', path, `${id} is not an event list`);
  }
  return list;
}

const NAMED_MEASURES = ['count', 'count_days', 'first_time', 'last_time'] as const;
const FIELD_MEASURES = ['sum', 'avg', 'min', 'max', 'distinct'] as const;
type FieldMeasure = (typeof FIELD_MEASURES)[number];

const fieldMeasureShapes = new Map(
  FIELD_MEASURES.map((kind) => {
    const branch = Measure.anyOf.find((b) => b.type === 'object' && kind in b.properties);
    if (!branch) throw new Error(`schema has no ${kind} measure`);
    return [kind, shapeCheck(branch)] as const;
  }),
);

interface CheckedMeasure {
  readonly measure: MeasureType;
  /** The type of the measure's result, which decides the operators and values that apply. */
  readonly type: FieldType;
}

function validateMeasure(input: unknown, list: EventList, path: string): CheckedMeasure {
  if (typeof input === 'string') {
    if (!(NAMED_MEASURES as readonly string[]).includes(input)) {
      throw ruleError('RULE_INVALID', path, `must be one of ${NAMED_MEASURES.join(', ')}`);
    }
    const type = input === 'first_time' || input === 'last_time' ? 'datetime' : 'number';
    return { measure: input as MeasureType, type };
  }
  const kinds = isRecord(input) ? FIELD_MEASURES.filter((k) => Object.hasOwn(input, k)) : [];
  const kind = kinds[0];
  if (kinds.length !== 1 || kind === undefined) {
    throw ruleError(
      'RULE_INVALID',
      path,
      `must be one of ${NAMED_MEASURES.join(', ')} or { sum | avg | min | max | distinct: field }`,
    );
  }
  fieldMeasureShapes.get(kind)?.(input, path);
  const name = (input as Record<FieldMeasure, string>)[kind];
  const field = usableField(list, name, at(path, kind));
  return { measure: { [kind]: field.name } as MeasureType, type: measureType(kind, field, path) };
}

function measureType(kind: FieldMeasure, field: Field, path: string): FieldType {
  if (kind === 'distinct') {
    if (field.type === 'string_list') {
      throw ruleError(
        'RULE_OPERATOR_MISMATCH',
        at(path, kind),
        'distinct does not apply to a list',
      );
    }
    return 'number';
  }
  if (field.type !== 'number' && field.type !== 'money') {
    throw ruleError(
      'RULE_OPERATOR_MISMATCH',
      at(path, kind),
      `${kind} needs a number or money field, ${field.name} is ${field.type}`,
    );
  }
  return field.type;
}
