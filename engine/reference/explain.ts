// Why a player is or is not in a segment: the rule walked item by item over the player's own
// profile and events, with each condition's value for the player (a field's value, an event
// measure and how many events it read, a segment membership) and whether it matched. It reads
// docs/rules.md the way the reference evaluator does (the same field, measure and operator
// code), and membership of one player depends only on that player's data, so explaining needs
// nothing but that player's rows.
import type { AttributeCondition, EventCondition, Item, Rule } from '../rules/schema.ts';
import { prepareData, type PreparedEvent, type ReferenceData } from './data.ts';
import { referenceEvaluate, type ReferenceContext } from './evaluate.ts';
import type { Exact } from './exact.ts';
import {
  eventList,
  fieldOf,
  playersList,
  readField,
  type FieldSourceRow,
  type Value,
} from './fields.ts';
import { prepareEventMeasure } from './measures.ts';
import { matches } from './operators.ts';
import { secondsOf } from './time.ts';

/** A value as JSON: decimal text for numbers, ISO text for times, null when missing. */
export type ShownValue = string | boolean | readonly string[] | null;

export type Explanation =
  | { readonly kind: 'all' | 'any'; readonly matched: boolean; readonly items: Explanation[] }
  | { readonly kind: 'not'; readonly matched: boolean; readonly item: Explanation }
  | {
      readonly kind: 'attribute';
      readonly matched: boolean;
      readonly condition: AttributeCondition;
      readonly value: ShownValue;
      /** The field is anonymized: its value is not shown. */
      readonly masked: boolean;
    }
  | {
      readonly kind: 'event';
      readonly matched: boolean;
      readonly condition: EventCondition;
      /** The measure over the events the condition selects. */
      readonly value: ShownValue;
      /** How many of the player's events the condition selected. */
      readonly events: number;
    }
  | {
      readonly kind: 'segment';
      readonly matched: boolean;
      readonly segment: string;
      readonly member: boolean;
    };

export interface RuleExplanation {
  readonly player_id: string;
  /** False when the player has no profile: such a player is in no segment. */
  readonly has_profile: boolean;
  readonly matched: boolean;
  readonly include: Explanation;
  readonly exclude: Explanation | null;
}

export const MASKED = '•••';

export function explainRule(
  rule: Rule,
  playerId: string,
  data: ReferenceData,
  ctx: ReferenceContext,
): RuleExplanation {
  const prepared = prepareData(data);
  const profile = prepared.profiles.get(playerId) ?? {
    columns: { player_id: playerId },
    keys: undefined,
  };
  const walker = new Walker(ctx, data, prepared.events.get(playerId) ?? [], profile, playerId);
  const include = walker.item(rule.include);
  const exclude = rule.exclude === undefined ? null : walker.item(rule.exclude);
  const hasProfile = prepared.profiles.has(playerId);
  return {
    player_id: playerId,
    has_profile: hasProfile,
    matched: hasProfile && include.matched && !(exclude?.matched ?? false),
    include,
    exclude,
  };
}

class Walker {
  private readonly env: { asOf: number; timezone: string };

  constructor(
    private readonly ctx: ReferenceContext,
    private readonly data: ReferenceData,
    private readonly events: readonly PreparedEvent[],
    private readonly profile: FieldSourceRow,
    private readonly playerId: string,
  ) {
    this.env = { asOf: secondsOf(ctx.asOf), timezone: ctx.timezone };
  }

  item(item: Item): Explanation {
    if ('all' in item || 'any' in item) {
      const kind = 'all' in item ? 'all' : 'any';
      const items = ('all' in item ? item.all : item.any).map((i) => this.item(i));
      const matched = kind === 'all' ? items.every((i) => i.matched) : items.some((i) => i.matched);
      return { kind, matched, items };
    }
    if ('not' in item) {
      const inner = this.item(item.not);
      return { kind: 'not', matched: !inner.matched, item: inner };
    }
    if ('segment' in item) {
      const member = this.isMember(item.segment);
      return {
        kind: 'segment',
        segment: item.segment,
        member,
        matched: item.op === 'in' ? member : !member,
      };
    }
    if ('list' in item) return this.event(item as EventCondition);
    return this.attribute(item);
  }

  private attribute(condition: AttributeCondition): Explanation {
    const field = fieldOf(playersList(this.ctx.catalogue), condition.field);
    const value = readField(field, this.profile, this.env);
    const matched = matches(field.type, condition.op, condition.value, value, this.env);
    const masked = field.anonymized;
    const shown = masked ? (value === undefined ? null : MASKED) : show(field.type, value);
    return { kind: 'attribute', condition, value: shown, masked, matched };
  }

  private event(condition: EventCondition): Explanation {
    const list = eventList(this.ctx.catalogue, condition.list);
    const measured = prepareEventMeasure(condition, list, this.env)(this.events);
    const matched = matches(measured.type, condition.op, condition.value, measured.value, this.env);
    return {
      kind: 'event',
      condition,
      value: show(measured.type, measured.value),
      events: measured.events,
      matched,
    };
  }

  /** Membership of the player in a referenced segment, at the same as-of time. */
  private isMember(segment: string): boolean {
    const rule: Rule = { include: { all: [{ segment, op: 'in' }] } };
    return referenceEvaluate(rule, this.data, this.ctx).includes(this.playerId);
  }
}

function show(type: string, value: Value | undefined): ShownValue {
  if (value === undefined) return null;
  if (typeof value === 'boolean' || Array.isArray(value)) return value as boolean | string[];
  if (type === 'datetime' && typeof value === 'number') return new Date(value * 1000).toISOString();
  if (typeof value === 'object') return exactText(value as Exact);
  return String(value);
}

/** Exact decimal text when the value has one (money, counts, sums), else 15 significant digits. */
export function exactText({ num, den }: Exact): string {
  const sign = num < 0n !== den < 0n ? '-' : '';
  const g = gcd(abs(num), abs(den));
  const [n, d] = [abs(num) / g, abs(den) / g];
  // A fraction has a finite decimal exactly when its denominator has no prime factor but 2 and 5.
  let twos = 0;
  let fives = 0;
  let rest = d;
  while (rest % 2n === 0n) [rest, twos] = [rest / 2n, twos + 1];
  while (rest % 5n === 0n) [rest, fives] = [rest / 5n, fives + 1];
  if (rest !== 1n) return (Number(num) / Number(den)).toPrecision(15).replace(/\.?0+$/, '');
  const places = Math.max(twos, fives);
  const digits = String((n * 10n ** BigInt(places)) / d).padStart(places + 1, '0');
  const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
  return n === 0n ? '0' : `${sign}${text}`;
}

function abs(x: bigint): bigint {
  return x < 0n ? -x : x;
}

function gcd(a: bigint, b: bigint): bigint {
  while (b !== 0n) [a, b] = [b, a % b];
  return a === 0n ? 1n : a;
}
