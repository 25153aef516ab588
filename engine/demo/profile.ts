// One demo player's profile (PlayerRow) and behaviour (traits), drawn from a seeded Rng. The
// profile fields are correlated the way CRM teams expect: currency and language follow the
// country, VIP level follows activity, self-excluded players get no marketing consent and stop
// playing when they exclude themselves.
import type { PlayerRow } from '../store/players.ts';
import { MARKET_WEIGHTS, marketOf, type Market } from './markets.ts';
import { EMAIL_DOMAINS, namePool } from './names.ts';
import type { Rng } from './random.ts';
import { makeTraits, type ActivityTier, type PlayerTraits } from './traits.ts';

export const DAY_MS = 86_400_000;
const YEAR_MS = 365.2425 * DAY_MS;

export interface DemoPlayer {
  readonly row: PlayerRow;
  readonly traits: PlayerTraits;
  /** The player plays no session after this time (self-exclusion, cooling-off, lapse, ...). */
  readonly activeUntil: number;
}

export function playerId(index: number): string {
  return `p${String(index).padStart(6, '0')}`;
}

/**
 * A player registered at `registeredAt` (whole seconds), profile as of `now`. Players who
 * registered less than a day ago are always active, unverified and not excluded.
 */
export function makePlayer(rng: Rng, index: number, registeredAt: number, now: number): DemoPlayer {
  const market = marketOf(rng.weighted(MARKET_WEIGHTS));
  const ageDays = (now - registeredAt) / DAY_MS;
  const tier = pickTier(rng, ageDays);
  const vip = pickVipLevel(rng, tier);
  const status = pickStatus(rng, ageDays, registeredAt, now);
  const language = rng.weighted(market.languages);
  const row: PlayerRow = {
    player_id: playerId(index),
    version: now,
    ...contact(rng, market, language),
    country: market.country,
    currency: market.currency,
    language,
    gender: nullIfUnknown(rng.weighted(GENDER_WEIGHTS)),
    registered_at: registeredAt,
    birth_date: birthDate(rng, registeredAt, now),
    vip_level: vip,
    kyc_status: pickKyc(rng, tier, ageDays),
    account_status: status.account,
    self_excluded: status.selfExcluded,
    cooling_off_until: status.coolingOffUntil,
    ...consents(rng, status.selfExcluded),
    tags: pickTags(rng, tier, vip),
    attributes: {
      acquisition_channel: rng.weighted(CHANNEL_WEIGHTS),
      device: rng.weighted(DEVICE_WEIGHTS),
    },
  };
  const traits = makeTraits(rng, row.player_id, market, tier);
  return { row, traits, activeUntil: Math.min(status.activeUntil, lapse(rng, tier, ageDays, now)) };
}

// A few players leave gender unset, so rules on "is not set" have members.
const GENDER_WEIGHTS = Object.entries({ male: 72, female: 26, unknown: 2 });
const nullIfUnknown = (value: string) => (value === 'unknown' ? null : value);
const CHANNEL_WEIGHTS = Object.entries({
  organic: 35,
  affiliate: 30,
  paid_search: 15,
  social: 12,
  referral: 8,
});
const DEVICE_WEIGHTS = Object.entries({ mobile: 60, desktop: 32, tablet: 8 });

function pickTier(rng: Rng, ageDays: number): ActivityTier {
  // Older accounts are more often dormant; brand-new ones have not had the time to lapse.
  const dormant = ageDays < 1 ? 0 : ageDays < 90 ? 8 : 30;
  return rng.weighted<ActivityTier>([
    ['dormant', dormant],
    ['casual', 46],
    ['regular', 16],
    ['high', 4],
    ['whale', 1],
  ]);
}

/** Weight of VIP levels 0 to 5 per tier: most players are level 0, whales 4 and 5. */
const VIP_WEIGHTS: Readonly<Record<ActivityTier, readonly number[]>> = {
  dormant: [85, 10, 4, 1, 0, 0],
  casual: [82, 14, 4, 0, 0, 0],
  regular: [35, 35, 20, 8, 2, 0],
  high: [0, 10, 30, 35, 20, 5],
  whale: [0, 0, 0, 10, 40, 50],
};

function pickVipLevel(rng: Rng, tier: ActivityTier): number {
  return rng.weighted(VIP_WEIGHTS[tier].map((weight, level) => [level, weight] as const));
}

function pickKyc(rng: Rng, tier: ActivityTier, ageDays: number): string {
  if (ageDays < 7) return rng.chance(0.7) ? 'pending' : 'verified';
  if (tier === 'high' || tier === 'whale') return rng.chance(0.97) ? 'verified' : 'pending';
  return rng.weighted(Object.entries({ verified: 70, pending: 22, rejected: 8 }));
}

interface AccountState {
  readonly account: string;
  readonly selfExcluded: boolean;
  readonly coolingOffUntil: number | null;
  readonly activeUntil: number;
}

/** Account status, self-exclusion (~2%) and cooling-off (~1.5%), and when they stop play. */
function pickStatus(rng: Rng, ageDays: number, registeredAt: number, now: number): AccountState {
  if (ageDays < 1) {
    return { account: 'active', selfExcluded: false, coolingOffUntil: null, activeUntil: now };
  }
  const since = (maxDays: number) => now - rng.between(0, Math.min(ageDays, maxDays)) * DAY_MS;
  const account = rng.weighted(Object.entries({ active: 92, suspended: 3, closed: 5 }));
  let activeUntil = account === 'active' ? now : since(120);
  const selfExcluded = rng.chance(0.02);
  if (selfExcluded) activeUntil = Math.min(activeUntil, since(365));
  let coolingOffUntil: number | null = null;
  if (!selfExcluded && rng.chance(0.015)) {
    const lengthDays = rng.pick([1, 7, 30, 42]);
    const started = since(lengthDays);
    coolingOffUntil = secondsOf(started + lengthDays * DAY_MS);
    activeUntil = Math.min(activeUntil, started);
  }
  return {
    account,
    selfExcluded,
    coolingOffUntil,
    activeUntil: Math.max(registeredAt, activeUntil),
  };
}

/** Lapsed players: a share of older accounts stops 30 to 85 days before `now`. */
function lapse(rng: Rng, tier: ActivityTier, ageDays: number, now: number): number {
  if (tier === 'dormant' || ageDays < 90 || !rng.chance(0.18)) return now;
  return now - rng.between(30, 85) * DAY_MS;
}

function contact(rng: Rng, market: Market, language: string) {
  const names = namePool(language);
  const local = `${rng.pick(names.first)}.${rng.pick(names.last)}${rng.int(1, 9999)}`;
  const email = `${local}@${rng.pick(EMAIL_DOMAINS)}`;
  const digits = String(rng.int(100_000_000, 999_999_999));
  const phone = rng.chance(0.9)
    ? `${market.phonePrefix} ${digits.slice(0, 3)} ${digits.slice(3)}`
    : null;
  return { email, phone };
}

function consents(rng: Rng, selfExcluded: boolean) {
  // Self-excluded players must not be marketed to; their consents are withdrawn.
  return {
    marketing_email: !selfExcluded && rng.chance(0.62),
    marketing_sms: !selfExcluded && rng.chance(0.38),
    marketing_push: !selfExcluded && rng.chance(0.48),
  };
}

const AGE_BANDS: readonly (readonly [readonly [number, number], number])[] = [
  [[18, 24], 18],
  [[25, 34], 32],
  [[35, 44], 24],
  [[45, 54], 14],
  [[55, 64], 8],
  [[65, 80], 4],
];

/** Age 18 to 80 today, and at least 18 on the day of registration. */
function birthDate(rng: Rng, registeredAt: number, now: number): string {
  // Age bands (lowest age, weight): iGaming players are mostly 25 to 44.
  const [low, high] = rng.weighted(AGE_BANDS);
  const minAge = 18 + (now - registeredAt) / YEAR_MS;
  const age = Math.min(80.99, Math.max(minAge + 0.01, rng.between(low, high + 1)));
  return new Date(now - age * YEAR_MS).toISOString().slice(0, 10);
}

function pickTags(rng: Rng, tier: ActivityTier, vip: number): string[] {
  const tags: string[] = [];
  if (rng.chance(0.05)) tags.push('bonus_hunter');
  if (rng.chance(0.03)) tags.push('high_risk');
  if ((tier === 'regular' || tier === 'high') && vip < 3 && rng.chance(0.2)) {
    tags.push('vip_candidate');
  }
  if (rng.chance(0.08)) tags.push('newsletter_bounced');
  if (rng.chance(0.1)) tags.push('spring_promo');
  return tags;
}

export function secondsOf(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}
