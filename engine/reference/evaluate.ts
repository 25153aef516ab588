// The reference evaluator: an in-process reading of docs/rules.md over plain rows, written
// independently of the ClickHouse compiler so that differential tests can compare the two. It
// favours being obviously right over being fast: every player is checked against every item.
import type { Catalogue } from '../catalogue/types.ts';
import { SegstreamError } from '../errors/errors.ts';
import type { AttributeCondition, EventCondition, Item, Rule } from '../rules/schema.ts';
import { prepareData, type PreparedData, type ReferenceData } from './data.ts';
import { eventList, fieldOf, playersList, readField, type FieldSourceRow } from './fields.ts';
import { prepareEventCondition, type EventConditionTest } from './measures.ts';
import { matches, type OperatorEnv } from './operators.ts';
import { secondsOf } from './time.ts';

export type ReferenceSegment =
  | { readonly kind: 'rule'; readonly rule: Rule; readonly timezone: string }
  | { readonly kind: 'static'; readonly id: string };

export interface ReferenceContext {
  readonly catalogue: Catalogue;
  /** IANA timezone of the evaluated segment. */
  readonly timezone: string;
  /** Epoch milliseconds; cut to whole seconds like every time. */
  readonly asOf: number;
  resolveSegment(id: string): ReferenceSegment | undefined;
}

/** The members of `rule` at ctx.asOf: player ids sorted by code unit order. */
export function referenceEvaluate(
  rule: Rule,
  data: ReferenceData,
  ctx: ReferenceContext,
): string[] {
  const evaluator = new Evaluator(prepareData(data), ctx);
  return [...evaluator.members(rule, ctx.timezone)].sort();
}

interface Scope extends OperatorEnv {
  readonly playerId: string;
  readonly profile: FieldSourceRow;
}

class Evaluator {
  private readonly asOf: number;
  private readonly segments = new Map<string, ReadonlySet<string>>();
  private readonly resolving: string[] = [];
  /** Prepared event conditions per timezone (a referenced segment may have its own). */
  private readonly eventTests = new Map<string, Map<EventCondition, EventConditionTest>>();

  constructor(
    private readonly data: PreparedData,
    private readonly ctx: ReferenceContext,
  ) {
    this.asOf = secondsOf(ctx.asOf);
  }

  members(rule: Rule, timezone: string): Set<string> {
    const result = new Set<string>();
    for (const [playerId, profile] of this.data.profiles) {
      const scope = { playerId, profile, timezone, asOf: this.asOf };
      const excluded = rule.exclude !== undefined && this.item(rule.exclude, scope);
      if (this.item(rule.include, scope) && !excluded) result.add(playerId);
    }
    return result;
  }

  private item(item: Item, scope: Scope): boolean {
    if ('all' in item) return item.all.every((i) => this.item(i, scope));
    if ('any' in item) return item.any.some((i) => this.item(i, scope));
    if ('not' in item) return !this.item(item.not, scope);
    if ('segment' in item) {
      const isMember = this.segmentMembers(item.segment).has(scope.playerId);
      return item.op === 'in' ? isMember : !isMember;
    }
    if ('list' in item) return this.eventCondition(item as EventCondition, scope);
    return this.attribute(item, scope);
  }

  private attribute(condition: AttributeCondition, scope: Scope): boolean {
    const field = fieldOf(playersList(this.ctx.catalogue), condition.field);
    const x = readField(field, scope.profile, scope);
    return matches(field.type, condition.op, condition.value, x, scope);
  }

  private eventCondition(condition: EventCondition, scope: Scope): boolean {
    let tests = this.eventTests.get(scope.timezone);
    if (!tests) this.eventTests.set(scope.timezone, (tests = new Map()));
    let test = tests.get(condition);
    if (!test) {
      const list = eventList(this.ctx.catalogue, condition.list);
      const env = { asOf: scope.asOf, timezone: scope.timezone };
      test = prepareEventCondition(condition, list, env);
      tests.set(condition, test);
    }
    return test(this.data.events.get(scope.playerId) ?? []);
  }

  /** Members of a referenced segment at the same as-of time, each computed once. */
  private segmentMembers(id: string): ReadonlySet<string> {
    const known = this.segments.get(id);
    if (known) return known;
    if (this.resolving.includes(id)) {
      throw new SegstreamError('RULE_SEGMENT_CYCLE', {
        segment: id,
        path: this.resolving.join(' > '),
      });
    }
    const segment = this.ctx.resolveSegment(id);
    if (!segment) throw new SegstreamError('RULE_SEGMENT_UNKNOWN', { segment: id });
    this.resolving.push(id);
    try {
      const members =
        segment.kind === 'rule'
          ? this.members(segment.rule, segment.timezone)
          : this.staticMembers(segment.id);
      this.segments.set(id, members);
      return members;
    } finally {
      this.resolving.pop();
    }
  }

  /** Uploaded ids that have a profile. */
  private staticMembers(id: string): Set<string> {
    const uploaded = this.data.staticSegments[id] ?? [];
    return new Set(uploaded.filter((playerId) => this.data.profiles.has(playerId)));
  }
}
