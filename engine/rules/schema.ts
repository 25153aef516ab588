// The rule language: the public contract of a segment's rule, as JSON Schema (TypeBox) with the
// TypeScript types derived from it. docs/rules.md explains what each part means. Structure is
// checked here; whether a field exists and an operator fits its type is checked against the
// catalogue in validate.ts.
import { Type, type Static, type TSchema } from '@sinclair/typebox';

export const TIME_UNITS = ['minute', 'hour', 'day', 'week', 'month'] as const;
export const CALENDAR_PERIODS = [
  'today',
  'yesterday',
  'this_week',
  'last_week',
  'this_month',
  'last_month',
] as const;

export const STRING_OPS = [
  'eq',
  'neq',
  'in',
  'not_in',
  'contains',
  'not_contains',
  'starts_with',
  'ends_with',
  'matches',
  'is_set',
  'is_not_set',
  'is_empty',
  'is_not_empty',
] as const;
export const NUMBER_OPS = [
  'eq',
  'neq',
  'gt',
  'gte',
  'lt',
  'lte',
  'between',
  'not_between',
  'in',
  'not_in',
  'is_set',
  'is_not_set',
] as const;
export const DATETIME_OPS = [
  'before',
  'after',
  'between',
  'within_last',
  'not_within_last',
  'is_set',
  'is_not_set',
] as const;
export const BOOLEAN_OPS = ['is_true', 'is_false', 'is_set', 'is_not_set'] as const;
export const STRING_LIST_OPS = [
  'has_any',
  'has_all',
  'has_none',
  'is_empty',
  'is_not_empty',
] as const;

const ALL_OPS = [
  ...new Set([...STRING_OPS, ...NUMBER_OPS, ...DATETIME_OPS, ...BOOLEAN_OPS, ...STRING_LIST_OPS]),
];

const literals = <T extends readonly string[]>(values: T) =>
  Type.Union(values.map((v) => Type.Literal(v)));

const Duration = Type.Object(
  { last: Type.Integer({ minimum: 1, maximum: 100_000 }), unit: literals(TIME_UNITS) },
  { additionalProperties: false },
);

/** A condition on one field of a list: the Players list, or an event's properties in `where`. */
export const AttributeCondition = Type.Object(
  {
    field: Type.String({ minLength: 1, maxLength: 200 }),
    op: literals(ALL_OPS),
    value: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

export const RollingWindow = Duration;
export const CalendarWindow = Type.Object(
  { calendar: literals(CALENDAR_PERIODS) },
  { additionalProperties: false },
);
export const RangeWindow = Type.Object(
  { from: Type.String({ minLength: 1 }), to: Type.String({ minLength: 1 }) },
  { additionalProperties: false },
);
export const Window = Type.Union([RollingWindow, CalendarWindow, RangeWindow]);

const FieldRef = Type.String({ minLength: 1, maxLength: 200 });
export const Measure = Type.Union([
  Type.Literal('count'),
  Type.Literal('count_days'),
  Type.Literal('first_time'),
  Type.Literal('last_time'),
  Type.Object({ sum: FieldRef }, { additionalProperties: false }),
  Type.Object({ avg: FieldRef }, { additionalProperties: false }),
  Type.Object({ min: FieldRef }, { additionalProperties: false }),
  Type.Object({ max: FieldRef }, { additionalProperties: false }),
  Type.Object({ distinct: FieldRef }, { additionalProperties: false }),
]);

/** An aggregate over a player's events on one event list, compared with a value. */
export const EventCondition = Type.Object(
  {
    list: Type.String({ minLength: 1, maxLength: 200 }),
    where: Type.Optional(Type.Array(AttributeCondition, { maxItems: 50 })),
    window: Type.Optional(Window),
    measure: Measure,
    op: literals([...new Set([...NUMBER_OPS, ...DATETIME_OPS])]),
    value: Type.Optional(Type.Unknown()),
  },
  { additionalProperties: false },
);

export const SegmentReference = Type.Object(
  {
    segment: Type.String({ minLength: 1, maxLength: 200 }),
    op: literals(['in', 'not_in'] as const),
  },
  { additionalProperties: false },
);

const ItemRef = Type.Unsafe<Item>(Type.Ref('Item'));

export const AllGroup = Type.Object(
  { all: Type.Array(ItemRef, { minItems: 1, maxItems: 200 }) },
  { additionalProperties: false },
);
export const AnyGroup = Type.Object(
  { any: Type.Array(ItemRef, { minItems: 1, maxItems: 200 }) },
  { additionalProperties: false },
);
export const NotItem = Type.Object({ not: ItemRef }, { additionalProperties: false });

export const Item: TSchema = Type.Union(
  [AllGroup, AnyGroup, NotItem, AttributeCondition, EventCondition, SegmentReference],
  { $id: 'Item' },
);

export const Group = Type.Union([AllGroup, AnyGroup]);

export const Rule = Type.Object(
  { include: Group, exclude: Type.Optional(Group) },
  { additionalProperties: false, $id: 'Rule' },
);

export type TimeUnit = (typeof TIME_UNITS)[number];
export type CalendarPeriod = (typeof CALENDAR_PERIODS)[number];
export type AttributeCondition = Static<typeof AttributeCondition>;
export type Window = Static<typeof Window>;
export type Measure = Static<typeof Measure>;
export type EventCondition = Static<typeof EventCondition>;
export type SegmentReference = Static<typeof SegmentReference>;
export type Group = { all: Item[] } | { any: Item[] };
export type Item = Group | { not: Item } | AttributeCondition | EventCondition | SegmentReference;
export interface Rule {
  include: Group;
  exclude?: Group;
}

/** A segment as users write it: either a rule, or a static list of uploaded player ids. */
export const SegmentDefinition = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    description: Type.Optional(Type.String({ maxLength: 5_000 })),
    tags: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 100 }), { maxItems: 50 }),
    ),
    /** IANA timezone for calendar windows and day counting; the configured default when absent. */
    timezone: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })),
    active: Type.Optional(Type.Boolean()),
    retention_lists: Type.Optional(Type.Array(Type.String({ minLength: 1 }), { maxItems: 100 })),
    rule: Type.Optional(Rule),
    /** Player ids of a static segment (uploaded as CSV); exclusive with `rule`. */
    static_members: Type.Optional(Type.Array(Type.String({ minLength: 1, maxLength: 200 }))),
  },
  { additionalProperties: false },
);
export type SegmentDefinition = Static<typeof SegmentDefinition> & { rule?: Rule };
