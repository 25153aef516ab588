// The fields an import can fill: every column of PlayerRow (engine/store/players.ts) and
// EventRow (engine/store/events.ts), each with the kind of text it accepts. Keys of the
// free-form attributes (players) and props (events) are filled through "attributes.<key>" /
// "props.<key>" targets.

export type FieldKind =
  | 'text'
  | 'country'
  | 'currency'
  | 'event_type'
  | 'time'
  | 'day'
  | 'amount'
  | 'integer'
  | 'int32'
  | 'version'
  | 'boolean'
  | 'list';

export interface TargetField {
  readonly name: string;
  readonly kind: FieldKind;
  readonly required?: boolean;
}

export interface TargetTable {
  readonly table: 'players' | 'events';
  readonly fields: readonly TargetField[];
  /** Name of the key/value bag: "attributes" for players, "props" for events. */
  readonly bag: 'attributes' | 'props';
}

const f = (name: string, kind: FieldKind, required = false): TargetField => ({
  name,
  kind,
  required,
});

export const PLAYER_TARGET: TargetTable = {
  table: 'players',
  bag: 'attributes',
  fields: [
    f('player_id', 'text', true),
    f('version', 'version'),
    f('email', 'text'),
    f('phone', 'text'),
    f('country', 'country'),
    f('currency', 'currency'),
    f('language', 'text'),
    f('gender', 'text'),
    f('registered_at', 'time'),
    f('birth_date', 'day'),
    f('vip_level', 'int32'),
    f('kyc_status', 'text'),
    f('account_status', 'text'),
    f('self_excluded', 'boolean'),
    f('cooling_off_until', 'time'),
    f('marketing_email', 'boolean'),
    f('marketing_sms', 'boolean'),
    f('marketing_push', 'boolean'),
    f('tags', 'list'),
  ],
};

export const EVENT_TARGET: TargetTable = {
  table: 'events',
  bag: 'props',
  fields: [
    f('event_id', 'text'),
    f('player_id', 'text', true),
    f('type', 'event_type', true),
    f('event_time', 'time', true),
    f('amount', 'amount'),
    f('currency', 'currency'),
    f('game_category', 'text'),
    f('product', 'text'),
    f('payment_method', 'text'),
    f('status', 'text'),
    f('quantity', 'integer'),
  ],
};

export const isDateKind = (kind: FieldKind): boolean => kind === 'time' || kind === 'day';
