// A rule as one predicate over a player row (the profile joined to the player's event
// aggregates): groups become AND / OR, `not` and `exclude` become NOT, conditions become the
// predicates of operators.ts, and segment references become IN subqueries.
import type { EventList, Field } from '../catalogue/types.ts';
import { SegstreamError } from '../errors/errors.ts';
import type {
  AttributeCondition,
  EventCondition,
  Group,
  Item,
  Rule,
  SegmentReference,
} from '../rules/schema.ts';
import { sqlNumber, sqlString } from '../sql/literal.ts';
import type { CompileContext } from './context.ts';
import { eventListOf, fieldOf, fieldValue, playerField, type KeyFields } from './fields.ts';
import { and, atom, indent, not, or, paren, type Predicate } from './format.ts';
import { measureValue } from './measures.ts';
import { comparisonPredicate } from './operators.ts';
import type { EventScan } from './scan.ts';
import { windowRange, type TimeEnv } from './time.ts';

export interface RuleScope {
  readonly ctx: CompileContext;
  readonly env: TimeEnv;
  readonly scan: EventScan;
  /** Key-based player fields of this query level. */
  readonly playerKeys: KeyFields;
  /** Ids of the segments being compiled, outermost first (a guard against cycles). */
  readonly stack: readonly string[];
  /** Flag aliases of the segments of a multi-segment query, by segment id. */
  readonly batch?: ReadonlyMap<string, string>;
  /** The members query of a referenced rule segment. */
  members(rule: Rule, timezone: string, stack: readonly string[]): string;
}

export function rulePredicate(rule: Rule, scope: RuleScope): Predicate {
  const include = groupPredicate(rule.include, 'include', scope);
  if (!rule.exclude) return include;
  return and([include, not(groupPredicate(rule.exclude, 'exclude', scope))]);
}

function groupPredicate(group: Group, path: string, scope: RuleScope): Predicate {
  if ('all' in group) {
    return and(group.all.map((item, i) => itemPredicate(item, `${path}.all[${i}]`, scope)));
  }
  return or(group.any.map((item, i) => itemPredicate(item, `${path}.any[${i}]`, scope)));
}

function itemPredicate(item: Item, path: string, scope: RuleScope): Predicate {
  if ('all' in item || 'any' in item) return groupPredicate(item, path, scope);
  if ('not' in item) return not(itemPredicate(item.not, `${path}.not`, scope));
  if ('segment' in item) return referencePredicate(item, path, scope);
  if ('list' in item) return eventPredicate(item, path, scope);
  const field = playerField(scope.ctx.catalogue, item.field, `${path}.field`);
  return attributePredicate(item, field, scope.playerKeys, path, scope.env);
}

function attributePredicate(
  cond: AttributeCondition,
  field: Field,
  keys: KeyFields,
  path: string,
  env: TimeEnv,
): Predicate {
  const { sql, nullable, utcDay } = fieldValue(field, keys, env);
  const comparison = { type: field.type, op: cond.op, value: cond.value, path };
  return comparisonPredicate(comparison, { kind: 'value', sql, nullable, utcDay }, env);
}

function eventPredicate(cond: EventCondition, path: string, scope: RuleScope): Predicate {
  const { env } = scope;
  const list: EventList = eventListOf(scope.ctx.catalogue, cond.list, path);
  const where = (cond.where ?? []).map((w, i) => {
    const wherePath = `${path}.where[${i}]`;
    return attributePredicate(
      w,
      fieldOf(list, w.field, `${wherePath}.field`),
      scope.scan.keys,
      wherePath,
      env,
    );
  });
  const filter = {
    types: list.eventTypes,
    where,
    range: windowRange(env, cond.window, `${path}.window`),
  };
  const measure = measureValue(scope.scan, { measure: cond.measure, list, filter, env, path });
  const comparison = { type: measure.type, op: cond.op, value: cond.value, path };
  return comparisonPredicate(comparison, measure.operand, env);
}

function referencePredicate(ref: SegmentReference, path: string, scope: RuleScope): Predicate {
  const member = membership(ref.segment, `${path}.segment`, scope);
  return ref.op === 'in' ? member : not(member);
}

/** Whether the player is a member of the referenced segment, at the same as-of time. */
function membership(id: string, path: string, scope: RuleScope): Predicate {
  if (scope.stack.includes(id)) {
    throw new SegstreamError('RULE_SEGMENT_CYCLE', { path, segment: id });
  }
  const flag = scope.batch?.get(id);
  if (flag !== undefined) return atom(flag);
  const segment = scope.ctx.resolveSegment(id);
  if (!segment) throw new SegstreamError('RULE_SEGMENT_UNKNOWN', { path, segment: id });
  if (segment.kind === 'static') {
    // Uploaded ids without a profile are not members: the outer query reads only profiles.
    const members = [
      'SELECT player_id',
      'FROM static_segment_members',
      `WHERE segment_id = ${sqlString(id)} AND version = ${sqlNumber(segment.version)}`,
    ].join('\n');
    return atom(`player_id IN ${paren(members)}`);
  }
  const members = scope.members(segment.rule, segment.timezone, [...scope.stack, id]);
  return atom(`player_id IN (\n${indent(members)}\n)`);
}
