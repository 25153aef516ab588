// Rule validation: the gate every rule passes before it is saved or run. Structure is checked
// part by part (each part dispatched on its discriminating key, so an error names e.g.
// include.all[2].window.unit), then every condition against the catalogue. The result is a
// normalized deep copy: only known keys, in a fixed order, empty `where` lists dropped.
import { Type } from '@sinclair/typebox';
import { playersList } from '../catalogue/lookup.ts';
import type { Catalogue } from '../catalogue/types.ts';
import { SegmentReference, type Group, type Item, type Rule } from './schema.ts';
import { validateAttribute, validateEvent } from './validate-conditions.ts';
import { at, index, isRecord, presentKeys, ruleError, shapeCheck } from './validate-shape.ts';

/** Deeper nesting is refused: no real rule needs it, and it bounds the SQL built from a rule. */
export const MAX_DEPTH = 32;

const ruleShape = shapeCheck(
  Type.Object(
    { include: Type.Unknown(), exclude: Type.Optional(Type.Unknown()) },
    { additionalProperties: false },
  ),
);
const groupShapes = {
  all: shapeCheck(allOrAny('all')),
  any: shapeCheck(allOrAny('any')),
};
const notShape = shapeCheck(Type.Object({ not: Type.Unknown() }, { additionalProperties: false }));
const referenceShape = shapeCheck(SegmentReference);

function allOrAny(key: 'all' | 'any') {
  return Type.Object(
    { [key]: Type.Array(Type.Unknown(), { minItems: 1, maxItems: 200 }) },
    { additionalProperties: false },
  );
}

/** Validates a rule; `path` prefixes every error path (e.g. `rule` inside a segment). */
export function validateRule(input: unknown, catalogue: Catalogue, path = ''): Rule {
  if (!isRecord(input)) throw ruleError('RULE_INVALID', path, 'must be an object');
  ruleShape(input, path);
  if (input.include === undefined) {
    throw ruleError('RULE_INVALID', at(path, 'include'), 'is required');
  }
  const include = validateGroup(input.include, catalogue, at(path, 'include'), 1);
  const rule: Rule =
    input.exclude === undefined
      ? { include }
      : { include, exclude: validateGroup(input.exclude, catalogue, at(path, 'exclude'), 1) };
  const conditions = countConditions(rule.include) + countConditions(rule.exclude);
  if (conditions > MAX_CONDITIONS) {
    throw ruleError(
      'RULE_INVALID',
      path,
      `has ${conditions} conditions; at most ${MAX_CONDITIONS}`,
    );
  }
  return rule;
}

/**
 * More conditions are refused: ClickHouse refuses a query whose syntax tree grows past its limit
 * (max_ast_elements), and a rule this large is a list of ids, which a static segment holds better.
 */
export const MAX_CONDITIONS = 500;

function countConditions(item: Item | undefined): number {
  if (item === undefined) return 0;
  if ('all' in item) return item.all.reduce((n, i) => n + countConditions(i), 0);
  if ('any' in item) return item.any.reduce((n, i) => n + countConditions(i), 0);
  if ('not' in item) return countConditions(item.not);
  return 1;
}

const ITEM_KEYS = ['all', 'any', 'not', 'field', 'list', 'segment'] as const;
type ItemKind = (typeof ITEM_KEYS)[number];

function itemKind(input: unknown, path: string): ItemKind {
  if (!isRecord(input)) throw ruleError('RULE_INVALID', path, 'must be an object');
  const kinds = presentKeys(input, ITEM_KEYS);
  const kind = kinds[0];
  if (kind === undefined) {
    throw ruleError(
      'RULE_INVALID',
      path,
      'must be a group (all / any), a not, a condition (field / list) or a segment reference',
    );
  }
  if (kinds.length > 1) {
    throw ruleError('RULE_INVALID', path, `is ambiguous: has both ${kinds[0]} and ${kinds[1]}`);
  }
  return kind;
}

function validateGroup(input: unknown, catalogue: Catalogue, path: string, depth: number): Group {
  const kind = itemKind(input, path);
  if (kind !== 'all' && kind !== 'any') {
    throw ruleError('RULE_INVALID', path, 'must be a group: { "all": [...] } or { "any": [...] }');
  }
  if (depth > MAX_DEPTH) throw ruleError('RULE_INVALID', path, `nests deeper than ${MAX_DEPTH}`);
  groupShapes[kind](input, path);
  const items = (input as Record<string, unknown[]>)[kind] ?? [];
  const checked = items.map((item, i) =>
    validateItem(item, catalogue, index(at(path, kind), i), depth + 1),
  );
  return kind === 'all' ? { all: checked } : { any: checked };
}

function validateItem(input: unknown, catalogue: Catalogue, path: string, depth: number): Item {
  const kind = itemKind(input, path);
  switch (kind) {
    case 'all':
    case 'any':
      return validateGroup(input, catalogue, path, depth);
    case 'not':
      return validateNot(input, catalogue, path, depth);
    case 'field':
      return validateAttribute(input, playersList(catalogue), path);
    case 'list':
      return validateEvent(input, catalogue, path);
    case 'segment':
      return validateReference(input, path);
  }
}

function validateNot(input: unknown, catalogue: Catalogue, path: string, depth: number): Item {
  if (depth > MAX_DEPTH) throw ruleError('RULE_INVALID', path, `nests deeper than ${MAX_DEPTH}`);
  notShape(input, path);
  const inner = (input as { not: unknown }).not;
  return { not: validateItem(inner, catalogue, at(path, 'not'), depth + 1) };
}

function validateReference(input: unknown, path: string): SegmentReference {
  referenceShape(input, path);
  const reference = input as SegmentReference;
  return { segment: reference.segment, op: reference.op };
}
