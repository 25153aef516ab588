// The last gate before a row is written: every imported player and event row, whatever the
// importer, must match these schemas. The field parsers give friendlier reasons first; this
// check guarantees the store never receives a row its columns cannot hold.
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Ajv, type ValidateFunction } from 'ajv';
import type { EventRow } from '../../store/events.ts';
import type { PlayerRow } from '../../store/players.ts';
import { rowInvalid } from './values.ts';

const maybe = <T extends TSchema>(schema: T) => Type.Optional(Type.Union([schema, Type.Null()]));
const text = (maxLength = 1024) => Type.String({ minLength: 1, maxLength });
/** DateTime('UTC') range in epoch milliseconds. */
const time = () => Type.Integer({ minimum: 0, maximum: 4_294_967_295_000 });
const bag = () => Type.Record(Type.String({ minLength: 1, maxLength: 256 }), Type.String());

export const PlayerRowSchema = Type.Object(
  {
    player_id: text(256),
    version: Type.Integer({ minimum: 0 }),
    email: maybe(text()),
    phone: maybe(text()),
    country: maybe(Type.String({ pattern: '^[A-Z]{2}$' })),
    currency: maybe(Type.String({ pattern: '^[A-Z]{3}$' })),
    language: maybe(text()),
    gender: maybe(text()),
    registered_at: maybe(time()),
    birth_date: maybe(Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$' })),
    vip_level: maybe(Type.Integer({ minimum: -2_147_483_648, maximum: 2_147_483_647 })),
    kyc_status: maybe(text()),
    account_status: maybe(text()),
    self_excluded: maybe(Type.Boolean()),
    cooling_off_until: maybe(time()),
    marketing_email: maybe(Type.Boolean()),
    marketing_sms: maybe(Type.Boolean()),
    marketing_push: maybe(Type.Boolean()),
    tags: Type.Optional(Type.Array(text())),
    attributes: Type.Optional(bag()),
  },
  { additionalProperties: false },
);

export const EventRowSchema = Type.Object(
  {
    event_id: text(256),
    player_id: text(256),
    type: Type.String({ pattern: '^[a-z][a-z0-9_]{0,63}$' }),
    event_time: time(),
    amount: maybe(Type.String({ pattern: '^-?\\d{1,14}(\\.\\d{1,4})?$' })),
    currency: maybe(Type.String({ pattern: '^[A-Z]{3}$' })),
    game_category: maybe(text()),
    product: maybe(text()),
    payment_method: maybe(text()),
    status: maybe(text()),
    quantity: maybe(Type.Integer({ minimum: -(2 ** 53 - 1), maximum: 2 ** 53 - 1 })),
    props: Type.Optional(bag()),
  },
  { additionalProperties: false },
);

// The schemas and the store's row types must describe the same rows.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const _playerTypes: Same<Static<typeof PlayerRowSchema>, Mutable<PlayerRow>> = true;
const _eventTypes: Same<Static<typeof EventRowSchema>, Mutable<EventRow>> = true;
type Mutable<T> = { -readonly [K in keyof T]: Writable<T[K]> };
type Writable<V> = V extends readonly (infer E)[] ? E[] : V;

const ajv = new Ajv({ allErrors: false });
const playerCheck = ajv.compile(PlayerRowSchema);
const eventCheck = ajv.compile(EventRowSchema);

export function checkPlayerRow(row: unknown): PlayerRow {
  if (playerCheck(row)) return row;
  throw schemaError(playerCheck);
}

export function checkEventRow(row: unknown): EventRow {
  if (eventCheck(row)) return row;
  throw schemaError(eventCheck);
}

function schemaError(check: ValidateFunction): Error {
  const first = check.errors?.[0];
  const missing = first?.params?.missingProperty as string | undefined;
  const field = missing ?? first?.instancePath.split('/').filter(Boolean).join('.') ?? 'row';
  return rowInvalid(field || 'row', missing ? 'missing' : (first?.message ?? 'invalid'));
}
