// What `POST /v1/events` and `POST /v1/players` accept, item by item: JSON Schema (TypeBox) with
// the TypeScript types derived from it. The schema checks shape and text patterns; convert.ts
// then checks what a pattern cannot (calendar days, time range, exact amounts) and turns an
// item into the row the batch writer stores. Unknown fields are refused so a typo ("ammount")
// is reported instead of silently dropped.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { DAY_RANGE } from '../store/day.ts';

/** DateTime('UTC') holds whole seconds from 1970-01-01 up to 2106-02-07 06:28:15. */
export const MAX_TIME_MS = 4_294_967_295_000;

/** ISO 8601 with an explicit offset: a time without one would be ambiguous. */
export const ISO_TIME =
  '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d{1,9})?)?(Z|[+-]\\d{2}:\\d{2})$';

/** Decimal(18, 4): at most 14 integer digits and 4 decimal places. */
export const DECIMAL_TEXT = '^-?\\d{1,14}(\\.\\d{1,4})?$';

const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

/** Ids: no control characters, no surrounding blanks (which would make "p1 " differ from "p1"). */
const Id = Type.String({
  minLength: 1,
  maxLength: 200,
  pattern: '^[^\\s\\u0000-\\u001f](?:[^\\u0000-\\u001f]*[^\\s\\u0000-\\u001f])?$',
});
const Label = Type.String({ maxLength: 200 });
const Time = Type.Union([
  Type.String({ pattern: ISO_TIME }),
  Type.Integer({ minimum: 0, maximum: MAX_TIME_MS }),
]);
const Amount = Type.Union([Type.String({ pattern: DECIMAL_TEXT }), Type.Number()]);
/** ISO 4217 codes, and the longer tickers crypto casinos use (USDT). */
const Currency = Type.String({ pattern: '^[A-Z][A-Z0-9]{2,9}$' });
const Quantity = Type.Integer({
  minimum: Number.MIN_SAFE_INTEGER,
  maximum: Number.MAX_SAFE_INTEGER,
});
/** Operator-defined key/value pairs: stored as parallel key and value arrays. */
const TextMap = Type.Record(Type.String(), Type.String({ maxLength: 1_000 }), {
  maxProperties: 100,
  propertyNames: { minLength: 1, maxLength: 100, pattern: '^[^\\u0000-\\u001f]+$' },
});

const optional = <T extends TSchema>(schema: T) => Type.Optional(Nullable(schema));

export const EventInput = Type.Object(
  {
    event_id: Id,
    player_id: Id,
    /** Lower-case words as in the catalogue's event lists: deposit, bet, login... */
    type: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }),
    /** ISO 8601 with offset or Z, or epoch milliseconds. */
    event_time: Time,
    /** Decimal text ("12.50") or a JSON number, at most 4 decimal places. */
    amount: optional(Amount),
    currency: optional(Currency),
    game_category: optional(Label),
    product: optional(Label),
    payment_method: optional(Label),
    status: optional(Label),
    quantity: optional(Quantity),
    props: Type.Optional(TextMap),
  },
  { additionalProperties: false },
);
export type EventInput = Static<typeof EventInput>;

/**
 * A partial profile: fields left out keep their stored value, `null` clears one. `version` (or
 * else `updated_at`) orders updates of a player; an update not newer than the stored profile
 * is ignored, which also makes a replayed update harmless.
 */
export const PlayerUpsertInput = Type.Object(
  {
    player_id: Id,
    version: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
    updated_at: Type.Optional(Time),
    email: optional(Type.String({ maxLength: 320 })),
    phone: optional(Type.String({ maxLength: 50 })),
    country: optional(Type.String({ pattern: '^[A-Z]{2}$' })),
    currency: optional(Currency),
    language: optional(Type.String({ maxLength: 35 })),
    gender: optional(Label),
    registered_at: optional(Time),
    birth_date: optional(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    vip_level: optional(Type.Integer({ minimum: -2_147_483_648, maximum: 2_147_483_647 })),
    kyc_status: optional(Label),
    account_status: optional(Label),
    self_excluded: optional(Type.Boolean()),
    cooling_off_until: optional(Time),
    marketing_email: optional(Type.Boolean()),
    marketing_sms: optional(Type.Boolean()),
    marketing_push: optional(Type.Boolean()),
    tags: optional(Type.Array(Label, { maxItems: 100 })),
    attributes: optional(TextMap),
  },
  { additionalProperties: false },
);
export type PlayerUpsertInput = Static<typeof PlayerUpsertInput>;

/** What a field must look like, for rejections whose schema message would show a raw pattern. */
export const FIELD_HINTS: Readonly<Record<string, string>> = {
  event_id: 'text of 1 to 200 characters, no control characters or surrounding blanks',
  player_id: 'text of 1 to 200 characters, no control characters or surrounding blanks',
  type: 'a lower-case word like deposit or casino_bet (letters, digits, _; up to 64)',
  event_time: 'ISO 8601 with offset (2026-01-05T10:00:00Z) or epoch milliseconds',
  updated_at: 'ISO 8601 with offset (2026-01-05T10:00:00Z) or epoch milliseconds',
  registered_at: 'ISO 8601 with offset (2026-01-05T10:00:00Z) or epoch milliseconds',
  cooling_off_until: 'ISO 8601 with offset (2026-01-05T10:00:00Z) or epoch milliseconds',
  amount: 'a decimal with at most 4 places, as text ("12.50") or a number',
  currency: 'an upper-case currency code like EUR or USDT',
  country: 'an ISO 3166-1 alpha-2 code like DE',
  birth_date: `a calendar date YYYY-MM-DD from ${DAY_RANGE.first} to ${DAY_RANGE.last}`,
};
