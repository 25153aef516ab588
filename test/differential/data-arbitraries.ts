// Random players, events and static segment uploads. Every optional field is either absent,
// null or drawn from the shared pools; times are TimeSpecs resolved against the as-of time.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { EventRow } from '../../engine/store/events.ts';
import type { PlayerRow } from '../../engine/store/players.ts';
import {
  AGES,
  AMOUNTS,
  BIRTH_DATES,
  EVENT_TYPES,
  NUMBERS,
  PLAYER_IDS,
  TAGS,
  playerIdArb,
  stringArb,
} from './pools.ts';
import { resolveTime, timeSpecArb, type TimeSpec } from './times.ts';

const maybe = <T>(arb: fc.Arbitrary<T>) =>
  fc.oneof(
    { weight: 3, arbitrary: arb },
    { weight: 1, arbitrary: fc.constant(null) },
    { weight: 1, arbitrary: fc.constant(undefined) },
  );

const boolArb = maybe(fc.boolean());

const amountArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...AMOUNTS) },
  {
    weight: 1,
    arbitrary: fc
      .integer({ min: -10_000_000, max: 100_000_000 })
      .map((units) => (units / 10_000).toFixed(4)),
  },
);

/**
 * A birth date: a fixed one, or `years` before the as-of date (in the case's timezone) moved by
 * `days`, which puts birthdays on, just before and just after the as-of date.
 */
export type BirthSpec = string | { readonly years: number; readonly days: number };

const birthDateArb: fc.Arbitrary<BirthSpec> = fc.oneof(
  fc.constantFrom(...BIRTH_DATES),
  fc.record({ years: fc.constantFrom(...AGES), days: fc.integer({ min: -2, max: 2 }) }),
);

export interface PlayerSpec extends Omit<
  PlayerRow,
  'registered_at' | 'cooling_off_until' | 'birth_date'
> {
  readonly registered_at?: TimeSpec | null;
  readonly cooling_off_until?: TimeSpec | null;
  readonly birth_date?: BirthSpec | null;
}

export const playerSpecArb: fc.Arbitrary<PlayerSpec> = fc.record(
  {
    player_id: playerIdArb,
    version: fc.nat({ max: 20 }),
    email: maybe(stringArb),
    country: maybe(stringArb),
    currency: maybe(fc.constantFrom('EUR', 'USD', '')),
    language: maybe(stringArb),
    gender: maybe(fc.constantFrom('m', 'f', '')),
    registered_at: maybe(timeSpecArb),
    birth_date: maybe(birthDateArb),
    vip_level: maybe(fc.constantFrom(...NUMBERS)),
    kyc_status: maybe(fc.constantFrom('verified', 'pending', '')),
    self_excluded: boolArb,
    cooling_off_until: maybe(timeSpecArb),
    marketing_email: boolArb,
    tags: fc.option(fc.uniqueArray(fc.constantFrom(...TAGS), { maxLength: 3 }), { nil: undefined }),
    attributes: fc.option(fc.record({ affiliate: stringArb }, { requiredKeys: [] }), {
      nil: undefined,
    }),
  },
  { requiredKeys: ['player_id', 'version'] },
) as fc.Arbitrary<PlayerSpec>;

/** Mostly one profile per player; now and then more versions of the same player. */
export const playersArb: fc.Arbitrary<PlayerSpec[]> = fc
  .tuple(
    fc.uniqueArray(playerSpecArb, { minLength: 1, maxLength: 7, selector: (p) => p.player_id }),
    fc.array(playerSpecArb, { maxLength: 2 }),
  )
  .map(([profiles, versions]) => [...profiles, ...versions]);

export interface EventSpec extends Omit<EventRow, 'event_time'> {
  readonly event_time: TimeSpec;
}

export const eventSpecArb: fc.Arbitrary<EventSpec> = fc.record(
  {
    event_id: fc.oneof(
      fc.integer({ min: 1, max: 30 }).map((n) => `e${n}`),
      fc.constantFrom("ev'1", 'ev,2', 'ëv"3'),
    ),
    player_id: playerIdArb,
    type: fc.constantFrom(...EVENT_TYPES),
    event_time: timeSpecArb,
    amount: fc.oneof(
      { weight: 4, arbitrary: amountArb },
      { weight: 1, arbitrary: maybe(amountArb) },
    ),
    currency: maybe(fc.constantFrom('EUR', 'USD')),
    game_category: maybe(stringArb),
    product: maybe(stringArb),
    payment_method: maybe(stringArb),
    status: maybe(stringArb),
    quantity: maybe(fc.constantFrom(...NUMBERS)),
    props: fc.option(fc.record({ bonus_code: stringArb }, { requiredKeys: [] }), {
      nil: undefined,
    }),
  },
  { requiredKeys: ['event_id', 'player_id', 'type', 'event_time'] },
) as fc.Arbitrary<EventSpec>;

/** Uploaded ids for one static segment, including ids that have no profile. */
export const staticMembersArb = fc.uniqueArray(
  fc.oneof(fc.constantFrom(...PLAYER_IDS), fc.constant('ghost')),
  { maxLength: 6 },
);

export function resolvePlayers(
  specs: readonly PlayerSpec[],
  asOf: number,
  tz: string,
): PlayerRow[] {
  const time = (t: TimeSpec | null | undefined) => (t ? resolveTime(t, asOf, tz) : t);
  // Versions are unique so that "the latest profile" never depends on insertion order.
  return specs.map((p, i) => ({
    ...p,
    version: p.version * 100 + i + 1,
    registered_at: time(p.registered_at),
    cooling_off_until: time(p.cooling_off_until),
    birth_date: p.birth_date && resolveBirthDate(p.birth_date, asOf, tz),
  }));
}

/** 29 February minus a number of years that lands in a common year is 28 February. */
function resolveBirthDate(spec: BirthSpec, asOf: number, tz: string): string {
  if (typeof spec === 'string') return spec;
  const date = DateTime.fromMillis(asOf, { zone: tz }).minus({ years: spec.years });
  return date.plus({ days: spec.days }).toISODate()!;
}

export function resolveEvents(specs: readonly EventSpec[], asOf: number, tz: string): EventRow[] {
  return specs.map((e) => ({ ...e, event_time: resolveTime(e.event_time, asOf, tz) }));
}
