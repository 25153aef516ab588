// One playing session of a demo player: log in, deposit when the wallet is low, a run of bets
// with their wins, maybe a withdrawal. A wallet balance carried from session to session keeps
// the money coherent: players deposit when they run dry and withdraw after a good run.
import { centsText, roundCents, roundDeposit } from './money.ts';
import type { Rng } from './random.ts';
import { chooseGame, gameProps } from './games.ts';
import { otherPaymentMethod, type PlayerTraits } from './traits.ts';

/** An event before it has an id and a time: `offsetS` seconds after the session started. */
export interface EventDraft {
  readonly type: string;
  readonly offsetS: number;
  readonly amount: string | null;
  readonly game_category: string | null;
  readonly product: string | null;
  readonly payment_method: string | null;
  readonly status: string | null;
  readonly props: Readonly<Record<string, string>> | undefined;
}

export type DraftFields = Partial<Omit<EventDraft, 'type' | 'offsetS'>>;

/**
 * Drafts always have every field, in one order: hundreds of thousands of them are made per
 * second when seeding, and objects of one shape keep that fast.
 */
export function makeDraft(type: string, offsetS: number, f: DraftFields = {}): EventDraft {
  return {
    type,
    offsetS,
    amount: f.amount ?? null,
    game_category: f.game_category ?? null,
    product: f.product ?? null,
    payment_method: f.payment_method ?? null,
    status: f.status ?? null,
    props: f.props,
  };
}

export interface Wallet {
  balanceCents: number;
  /** Approved deposits so far; the first one earns the welcome bonus. */
  deposits: number;
}

interface Play {
  readonly rng: Rng;
  readonly traits: PlayerTraits;
  readonly wallet: Wallet;
  readonly drafts: EventDraft[];
  clock: number;
}

export function playSession(rng: Rng, traits: PlayerTraits, wallet: Wallet): EventDraft[] {
  const play: Play = { rng, traits, wallet, drafts: [], clock: 0 };
  emit(play, 'login');
  // Cashback returns part of past losses, so only players who have deposited get it.
  if (wallet.deposits > 0 && rng.chance(0.03)) grantBonus(play, 'cashback');

  const bets = 1 + rng.poisson(traits.betsPerSession - 1);
  for (let i = 0; i < bets; i++) {
    if (!fund(play, i === 0 ? 0.75 : 0.3)) break;
    placeBet(play);
  }

  if (wallet.balanceCents > 2.5 * traits.depositUnits * 100 * traits.moneyScale) {
    if (rng.chance(0.5)) withdraw(play);
  }
  return play.drafts;
}

function emit(play: Play, type: string, fields?: DraftFields, offsetS = play.clock): void {
  play.drafts.push(makeDraft(type, offsetS, fields));
}

/** Makes sure one stake is affordable, depositing if the player is willing. */
function fund(play: Play, willingness: number): boolean {
  if (play.wallet.balanceCents >= play.traits.stakeCents) return true;
  // Bigger players top up more readily, which is what makes them bigger.
  const eager = play.traits.tier === 'high' || play.traits.tier === 'whale';
  if (!play.rng.chance(eager ? Math.min(0.95, willingness + 0.3) : willingness)) return false;
  return deposit(play);
}

function deposit(play: Play): boolean {
  const { rng, traits, wallet } = play;
  const units = traits.depositUnits * rng.logNormal(0, 0.6);
  const cents = rng.chance(0.85)
    ? roundDeposit(units) * traits.moneyScale * 100
    : Math.max(1000, Math.round(units * traits.moneyScale * 100));
  let method = traits.paymentMethod;
  for (let attempt = 0; attempt < 2; attempt++) {
    play.clock += rng.int(20, 90);
    const approved = rng.chance(0.92);
    emit(play, 'deposit', {
      amount: centsText(cents),
      payment_method: method,
      status: approved ? 'approved' : 'declined',
    });
    if (approved) {
      wallet.balanceCents += cents;
      wallet.deposits += 1;
      if (wallet.deposits === 1 && rng.chance(0.7)) grantBonus(play, 'deposit_match', cents);
      else if (rng.chance(0.08)) grantBonus(play, 'reload', cents);
      return true;
    }
    if (!rng.chance(0.5)) return false;
    method = otherPaymentMethod(rng, method);
  }
  return false;
}

/** Bonus value: a share of the deposit that earned it, or a small fixed amount. */
function grantBonus(play: Play, bonusType: string, depositCents = 0): void {
  const { rng, traits, wallet } = play;
  const cap = 200 * traits.moneyScale * 100;
  const cents =
    bonusType === 'deposit_match'
      ? Math.min(depositCents, cap)
      : bonusType === 'reload'
        ? Math.min(Math.round(depositCents / 2), cap)
        : roundCents(rng.int(5, 50) * traits.moneyScale * 100, 100);
  play.clock += rng.int(1, 10);
  wallet.balanceCents += cents;
  emit(play, 'bonus', {
    amount: centsText(cents),
    status: 'granted',
    props: { bonus_type: bonusType },
  });
}

function withdraw(play: Play): void {
  const { rng, wallet } = play;
  const cents = roundCents(Math.round(wallet.balanceCents * rng.between(0.6, 1)), 100);
  const status = rng.weighted(
    Object.entries({ approved: 85, pending: 8, rejected: 4, cancelled: 3 }),
  );
  play.clock += rng.int(30, 300);
  if (status === 'approved' || status === 'pending') wallet.balanceCents -= cents;
  emit(play, 'withdrawal', {
    amount: centsText(cents),
    // Card payouts are rare in the market; winnings usually go out by bank transfer.
    payment_method:
      play.traits.paymentMethod === 'card' ? 'bank_transfer' : play.traits.paymentMethod,
    status,
  });
}

function placeBet(play: Play): void {
  const { rng, traits, wallet } = play;
  const g = chooseGame(rng, traits.product);
  const wanted = roundCents(
    Math.round(traits.stakeCents * g.stakeFactor * rng.logNormal(0, 0.5)),
    10,
  );
  const stake = Math.min(wanted, roundCents(wallet.balanceCents, 10));
  const props = gameProps(rng, g);
  play.clock += rng.int(g.secondsPerRound[0], g.secondsPerRound[1]);
  wallet.balanceCents -= stake;
  // Plain literals rather than spreads: tsx compiles object spread into a slow helper, and this
  // runs for every bet when seeding.
  const { product, category: game_category } = g;
  emit(play, 'bet', { amount: centsText(stake), product, game_category, props });
  if (!rng.chance(g.winChance)) return;

  // logNormal(-0.32, 0.8) has mean 1, so the average win is stake * payout.
  const won = Math.max(10, Math.round(stake * g.payout * rng.logNormal(-0.32, 0.8)));
  wallet.balanceCents += won;
  const settle = rng.int(g.settleS[0], g.settleS[1]);
  emit(play, 'win', { amount: centsText(won), product, game_category, props }, play.clock + settle);
}
