// How a demo player behaves, as opposed to what their profile says: activity tier, favourite
// product, typical stake and deposit. The population history and the live stream both play
// sessions from these traits, so a whale looks like a whale in both.
import type { Market } from './markets.ts';
import type { Rng } from './random.ts';

/** From no activity at all to the few players who move most of the money. */
export type ActivityTier = 'dormant' | 'casual' | 'regular' | 'high' | 'whale';

export type Product = 'casino' | 'sportsbook' | 'poker';

export const PAYMENT_METHODS = ['card', 'paypal', 'skrill', 'bank_transfer', 'crypto'] as const;
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface PlayerTraits {
  readonly player_id: string;
  readonly currency: string;
  readonly tier: ActivityTier;
  /** Local currency units per euro (see Market.moneyScale). */
  readonly moneyScale: number;
  readonly product: Product;
  readonly paymentMethod: PaymentMethod;
  /** Mean sessions per day while the player is active. */
  readonly sessionsPerDay: number;
  /** Mean bets per session. */
  readonly betsPerSession: number;
  /** Typical casino stake, cents of the local currency. */
  readonly stakeCents: number;
  /** Typical deposit, currency units. */
  readonly depositUnits: number;
}

interface TierProfile {
  readonly sessionsPerDay: number;
  readonly betsPerSession: number;
  /** Euro cents. */
  readonly stakeCents: number;
  /** Euros. */
  readonly depositUnits: number;
}

// Chosen so that 20k players give roughly 1M events over 90 days: heavy-tailed money
// (whales stake 40x a casual player) but few events per session. One bet event stands for a
// run of rounds, so stakes are about an eighth of a deposit.
const TIERS: Readonly<Record<ActivityTier, TierProfile>> = {
  dormant: { sessionsPerDay: 0, betsPerSession: 0, stakeCents: 300, depositUnits: 20 },
  casual: { sessionsPerDay: 0.08, betsPerSession: 3, stakeCents: 300, depositUnits: 25 },
  regular: { sessionsPerDay: 0.22, betsPerSession: 4, stakeCents: 600, depositUnits: 50 },
  high: { sessionsPerDay: 0.45, betsPerSession: 5, stakeCents: 2500, depositUnits: 200 },
  whale: { sessionsPerDay: 0.8, betsPerSession: 7, stakeCents: 12500, depositUnits: 1000 },
};

const METHOD_WEIGHTS: readonly (readonly [PaymentMethod, number])[] = [
  ['card', 50],
  ['paypal', 18],
  ['skrill', 12],
  ['bank_transfer', 14],
  ['crypto', 6],
];

export function makeTraits(
  rng: Rng,
  player_id: string,
  market: Pick<Market, 'currency' | 'moneyScale' | 'sportsShare'>,
  tier: ActivityTier,
): PlayerTraits {
  const base = TIERS[tier];
  // Individual spread around the tier's typical values, so no two players look identical.
  const spread = () => rng.logNormal(0, 0.35);
  return {
    player_id,
    currency: market.currency,
    tier,
    moneyScale: market.moneyScale,
    product: pickProduct(rng, market.sportsShare),
    paymentMethod: rng.weighted(METHOD_WEIGHTS),
    sessionsPerDay: base.sessionsPerDay * spread(),
    betsPerSession: Math.max(1, base.betsPerSession * spread()),
    stakeCents: Math.max(10, Math.round(base.stakeCents * spread() * market.moneyScale)),
    depositUnits: base.depositUnits * spread(),
  };
}

function pickProduct(rng: Rng, sportsShare: number): Product {
  if (rng.chance(sportsShare)) return 'sportsbook';
  return rng.chance(0.1) ? 'poker' : 'casino';
}

export function otherPaymentMethod(rng: Rng, method: PaymentMethod): PaymentMethod {
  const others = PAYMENT_METHODS.filter((m) => m !== method);
  return rng.pick(others);
}

/** The tier a stored player most likely has, from their VIP level (used by the live stream). */
export function tierOfVipLevel(vipLevel: number | null): ActivityTier {
  if (vipLevel === null || vipLevel <= 0) return 'casual';
  if (vipLevel <= 2) return 'regular';
  return vipLevel === 3 ? 'high' : 'whale';
}
