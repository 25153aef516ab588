// The built-in catalogue: the Players list and the usual iGaming event lists. Operators can
// add event lists and property fields (see loadCatalogue).
import type { Catalogue, EventList, Field, FieldSource, FieldType, PlayersList } from './types.ts';

interface FieldOptions {
  readonly usableInRules?: boolean;
  readonly shownInTables?: boolean;
  readonly anonymized?: boolean;
}

export function field(
  name: string,
  label: string,
  type: FieldType,
  source: FieldSource = { column: name },
  opts: FieldOptions = {},
): Field {
  return {
    name,
    label,
    type,
    source,
    usableInRules: opts.usableInRules ?? true,
    shownInTables: opts.shownInTables ?? true,
    anonymized: opts.anonymized ?? false,
  };
}

export const PLAYERS: PlayersList = {
  id: 'players',
  kind: 'players',
  label: 'Players',
  fields: [
    field('player_id', 'Player ID', 'string'),
    field('email', 'Email', 'string', undefined, { anonymized: true }),
    field('phone', 'Phone', 'string', undefined, { anonymized: true }),
    field('country', 'Country', 'string'),
    field('currency', 'Currency', 'string'),
    field('language', 'Language', 'string'),
    field('gender', 'Gender', 'string'),
    field('registered_at', 'Registered at', 'datetime'),
    field('birth_date', 'Birth date', 'datetime', undefined, { anonymized: true }),
    field('age', 'Age', 'number', { ageOf: 'birth_date' }, { anonymized: true }),
    field('vip_level', 'VIP level', 'number'),
    field('kyc_status', 'KYC status', 'string'),
    field('account_status', 'Account status', 'string'),
    field('self_excluded', 'Self-excluded', 'boolean'),
    field('cooling_off_until', 'Cooling off until', 'datetime'),
    field('marketing_email', 'Email marketing consent', 'boolean'),
    field('marketing_sms', 'SMS marketing consent', 'boolean'),
    field('marketing_push', 'Push marketing consent', 'boolean'),
    field('tags', 'Tags', 'string_list'),
  ],
};

/** Fields every event list has: its columns in the events table. */
export const EVENT_FIELDS: readonly Field[] = [
  field('event_id', 'Event ID', 'string', undefined, { usableInRules: false }),
  field('event_time', 'Event time', 'datetime'),
  field('amount', 'Amount', 'money'),
  field('currency', 'Currency', 'string'),
  field('status', 'Status', 'string'),
  field('quantity', 'Quantity', 'number'),
];

export function eventList(
  id: string,
  label: string,
  eventTypes: readonly string[],
  extra: readonly Field[],
): EventList {
  return { id, kind: 'events', label, eventTypes, fields: [...EVENT_FIELDS, ...extra] };
}

const paymentMethod = field('payment_method', 'Payment method', 'string');
const gameFields = [
  field('game_category', 'Game category', 'string'),
  field('product', 'Product', 'string'),
];

export const DEFAULT_CATALOGUE: Catalogue = {
  lists: [
    PLAYERS,
    eventList('deposits', 'Deposits', ['deposit'], [paymentMethod]),
    eventList('withdrawals', 'Withdrawals', ['withdrawal'], [paymentMethod]),
    eventList('bets', 'Bets', ['bet'], gameFields),
    eventList('wins', 'Wins', ['win'], gameFields),
    eventList('logins', 'Logins', ['login'], []),
    eventList('bonuses', 'Bonuses', ['bonus'], [field('product', 'Product', 'string')]),
    eventList('registrations', 'Registrations', ['registration'], []),
  ],
};
