// Random rules drawn from the catalogue: every operator of every field type, every measure and
// window kind, nested all / any / not, segment references. Time values are TimeMarkers (see
// times.ts) that resolveRuleTimes turns into rule text once the as-of time is known.
import fc from 'fast-check';
import type { Catalogue, Field, FieldType } from '../../engine/catalogue/types.ts';
import { CALENDAR_PERIODS } from '../../engine/rules/schema.ts';
import {
  AGE_VALUES,
  COUNT_VALUES,
  DURATIONS,
  FRAGMENTS,
  LONG_DURATIONS,
  MONEY_VALUES,
  NUMBER_VALUES,
  REGEXES,
  stringArb,
  TAGS,
} from './pools.ts';
import { timeMarkerArb } from './times.ts';

/** A rule item before its time values are resolved (they are TimeMarker objects). */
export type ItemSpec = Record<string, unknown>;

const pick = <T>(values: readonly T[]) => fc.constantFrom(...values);
const op = (ops: readonly string[]) => pick(ops);
const cond = (field: string, o: fc.Arbitrary<string>, value?: fc.Arbitrary<unknown>) =>
  value
    ? fc.record({ field: fc.constant(field), op: o, value })
    : fc.record({ field: fc.constant(field), op: o });

const stringsArb = fc.uniqueArray(stringArb, { minLength: 1, maxLength: 3 });
const durationArb = fc
  .oneof({ weight: 4, arbitrary: pick(DURATIONS) }, { weight: 1, arbitrary: pick(LONG_DURATIONS) })
  .map((d) => ({ ...d }));
const betweenTimes = fc.tuple(timeMarkerArb, timeMarkerArb).map((pair) => ({ $between: pair }));

/** Number values; money may be written as text. lo ≤ hi for between. */
function numberValues(type: FieldType, pool: readonly (number | string)[]) {
  const single =
    type === 'money'
      ? fc.oneof(pick(pool).map(Number), pick(pool).map(String))
      : pick(pool).map(Number);
  const pair = fc
    .tuple(pick(pool).map(Number), pick(pool).map(Number))
    .map(([a, b]) => (a <= b ? [a, b] : [b, a]));
  return {
    single,
    pair,
    list: fc.uniqueArray(pick(pool).map(Number), { minLength: 1, maxLength: 3 }),
  };
}

function numberCondition(name: string, type: FieldType, pool: readonly (number | string)[]) {
  const v = numberValues(type, pool);
  return fc.oneof(
    cond(name, op(['eq', 'neq', 'gt', 'gte', 'lt', 'lte']), v.single),
    cond(name, op(['between', 'not_between']), v.pair),
    cond(name, op(['in', 'not_in']), v.list),
    cond(name, op(['is_set', 'is_not_set'])),
  );
}

function timeCondition(name: string) {
  return fc.oneof(
    cond(name, op(['before', 'after']), timeMarkerArb),
    cond(name, fc.constant('between'), betweenTimes),
    cond(name, op(['within_last', 'not_within_last']), durationArb),
    cond(name, op(['is_set', 'is_not_set'])),
  );
}

export function conditionArb(field: Field): fc.Arbitrary<ItemSpec> {
  const name = field.name;
  switch (field.type) {
    case 'string': {
      const always = [
        cond(name, op(['eq', 'neq']), stringArb),
        cond(name, op(['in', 'not_in']), stringsArb),
        cond(name, op(['is_set', 'is_not_set', 'is_empty', 'is_not_empty'])),
      ];
      // Pattern operators are refused on anonymized fields (docs/rules.md).
      if (field.anonymized) return fc.oneof(...always);
      return fc.oneof(
        ...always,
        cond(
          name,
          op(['contains', 'not_contains', 'starts_with', 'ends_with']),
          fc.oneof(stringArb, pick(FRAGMENTS)),
        ),
        cond(name, fc.constant('matches'), pick(REGEXES)),
      );
    }
    case 'number':
      return numberCondition(name, 'number', 'ageOf' in field.source ? AGE_VALUES : NUMBER_VALUES);
    case 'money':
      return numberCondition(name, 'money', MONEY_VALUES);
    case 'datetime':
      return timeCondition(name);
    case 'boolean':
      return cond(name, op(['is_true', 'is_false', 'is_set', 'is_not_set']));
    case 'string_list':
      return fc.oneof(
        cond(
          name,
          op(['has_any', 'has_all', 'has_none']),
          fc.uniqueArray(pick(TAGS), { minLength: 1, maxLength: 3 }),
        ),
        cond(name, op(['is_empty', 'is_not_empty'])),
      );
  }
}

const windowArb = fc.oneof(
  durationArb,
  pick(CALENDAR_PERIODS).map((calendar) => ({ calendar })),
  fc.tuple(timeMarkerArb, timeMarkerArb).map(([from, to]) => ({ $range: [from, to] })),
);

/** Measure, operator and value of an event condition on `fields` (the list's usable fields). */
function measureArb(fields: readonly Field[]): fc.Arbitrary<ItemSpec> {
  const numeric = fields.filter((f) => f.type === 'number' || f.type === 'money');
  const distinctable = fields.filter((f) => f.type !== 'string_list');
  const counted = (measure: fc.Arbitrary<unknown>) =>
    fc.tuple(measure, numberCondition('_', 'number', COUNT_VALUES));
  const valued = fc.constantFrom(...numeric).chain((f) =>
    fc.tuple(
      pick(['sum', 'avg', 'min', 'max']).map((kind) => ({ [kind]: f.name })),
      numberCondition('_', f.type, f.type === 'money' ? MONEY_VALUES : NUMBER_VALUES),
    ),
  );
  const timed = fc.tuple(pick(['first_time', 'last_time']), timeCondition('_'));
  return fc
    .oneof(
      counted(pick(['count', 'count', 'count_days'])),
      counted(pick(distinctable).map((f) => ({ distinct: f.name }))),
      valued,
      timed,
    )
    .map(([measure, c]) => {
      const { field: _field, ...opValue } = c as ItemSpec;
      return { measure, ...opValue };
    });
}

export interface RuleGenOptions {
  readonly catalogue: Catalogue;
  /** Segment ids a reference may name. */
  readonly segments: readonly string[];
}

function eventConditionArb(opts: RuleGenOptions): fc.Arbitrary<ItemSpec> {
  const lists = opts.catalogue.lists.filter((l) => l.kind === 'events');
  const usual = lists.filter((l) => l.id === 'deposits');
  const listArb = fc.oneof(
    { weight: 4, arbitrary: pick(usual) },
    { weight: 1, arbitrary: pick(lists) },
  );
  return listArb.chain((list) => {
    const fields = list.fields.filter((f) => f.usableInRules);
    return fc
      .record(
        {
          where: fc.array(fc.constantFrom(...fields).chain(conditionArb), {
            maxLength: 2,
            size: 'xsmall',
          }),
          window: windowArb,
          measured: measureArb(fields),
        },
        { requiredKeys: ['measured'] },
      )
      .map(({ measured, where, window }) => ({
        list: list.id,
        ...(where && where.length > 0 ? { where } : {}),
        ...(window ? { window } : {}),
        ...measured,
      }));
  });
}

function leafArb(opts: RuleGenOptions): fc.Arbitrary<ItemSpec> {
  const players = opts.catalogue.lists.find((l) => l.kind === 'players')!;
  const fields = players.fields.filter((f) => f.usableInRules);
  const leaves = [
    { weight: 3, arbitrary: fc.constantFrom(...fields).chain(conditionArb) },
    { weight: 4, arbitrary: eventConditionArb(opts) },
  ];
  if (opts.segments.length > 0) {
    const ref = fc.record({ segment: pick(opts.segments), op: pick(['in', 'not_in']) });
    leaves.push({ weight: 1, arbitrary: ref });
  }
  return fc.oneof(...leaves);
}

export function itemArb(opts: RuleGenOptions, depth: number): fc.Arbitrary<ItemSpec> {
  if (depth <= 0) return leafArb(opts);
  const inner = itemArb(opts, depth - 1);
  return fc.oneof(
    { weight: 4, arbitrary: leafArb(opts) },
    { weight: 1, arbitrary: groupArb(inner) },
    { weight: 1, arbitrary: inner.map((item) => ({ not: item })) },
  );
}

function groupArb(item: fc.Arbitrary<ItemSpec>): fc.Arbitrary<ItemSpec> {
  const items = fc.array(item, { minLength: 1, maxLength: 3 });
  return fc.oneof(
    items.map((all) => ({ all })),
    items.map((any) => ({ any })),
  );
}

/** Rules with one top-level item are common: long conjunctions of random items rarely match. */
export function ruleArb(opts: RuleGenOptions, depth = 2): fc.Arbitrary<ItemSpec> {
  const item = itemArb(opts, depth);
  const include = fc.oneof(
    item.map((one) => ({ all: [one] })),
    groupArb(item),
  );
  const exclude = fc.oneof(
    { weight: 3, arbitrary: fc.constant(undefined) },
    { weight: 1, arbitrary: groupArb(itemArb(opts, 1)) },
  );
  return fc
    .record({ include, exclude })
    .map(({ include, exclude }) => (exclude ? { include, exclude } : { include }));
}
