// The players online right now, for the live stream. A handful of sessions run at once; each
// event comes from one of them in order (login, deposit, bets and wins, withdrawal), so a
// player's stream reads like a real visit. Now and then a new player registers and starts a
// first session, usually with a first deposit.
import type { EventRow } from '../store/events.ts';
import type { PlayerRow } from '../store/players.ts';
import { findMarket } from './markets.ts';
import { makePlayer, secondsOf } from './profile.ts';
import type { Rng } from './random.ts';
import type { RosterPlayer } from './roster.ts';
import { makeDraft, playSession, type EventDraft, type Wallet } from './session.ts';
import { makeTraits, tierOfVipLevel, type ActivityTier, type PlayerTraits } from './traits.ts';

export interface CrowdOptions {
  readonly rng: Rng;
  readonly roster: readonly RosterPlayer[];
  /** Index of the first player the crowd registers (ids p000123). */
  readonly firstNewIndex: number;
  /** Prefix of every event id; a counter follows it. */
  readonly idPrefix: string;
  /** Sessions open at the same time. */
  readonly concurrentSessions: number;
}

export interface CrowdBatch {
  readonly events: EventRow[];
  readonly players: PlayerRow[];
}

interface Member {
  readonly player_id: string;
  readonly country: string | null;
  readonly currency: string | null;
  readonly tier: ActivityTier;
  traits?: PlayerTraits;
  readonly wallet: Wallet;
  /** In a session right now; a player never plays two sessions at once. */
  online: boolean;
}

interface Session {
  readonly member: Member;
  readonly drafts: EventDraft[];
  next: number;
}

/** Share of events that are registrations of new players. */
const REGISTRATION_SHARE = 0.02;

/** How much more often each tier is online than a casual player. */
const TIER_WEIGHT: Readonly<Record<ActivityTier, number>> = {
  dormant: 0.5,
  casual: 1,
  regular: 4,
  high: 10,
  whale: 20,
};

export interface Crowd {
  /** The next `count` events, stamped `now`, and the players registered among them. */
  take(count: number, now: number): CrowdBatch;
}

export function createCrowd(opts: CrowdOptions): Crowd {
  const { rng } = opts;
  const members: Member[] = [];
  const cumulative: number[] = [];
  const sessions: Session[] = [];
  let nextIndex = opts.firstNewIndex;
  let counter = 0;

  const join = (member: Member) => {
    members.push(member);
    const total = cumulative[cumulative.length - 1] ?? 0;
    cumulative.push(total + TIER_WEIGHT[member.tier]);
  };
  for (const p of opts.roster) join(rosterMember(p));

  const open = (member: Member) => {
    if (member.online) return;
    member.traits ??= traitsOf(rng, member);
    member.online = true;
    sessions.push({ member, drafts: playSession(rng, member.traits, member.wallet), next: 0 });
  };

  const toEvent = (member: Member, draft: EventDraft, now: number): EventRow => ({
    event_id: `${opts.idPrefix}${++counter}`,
    player_id: member.player_id,
    type: draft.type,
    event_time: now,
    amount: draft.amount,
    currency: draft.amount === null ? null : (member.traits?.currency ?? null),
    game_category: draft.game_category,
    product: draft.product,
    payment_method: draft.payment_method,
    status: draft.status,
    quantity: null,
    props: draft.props,
  });

  const register = (now: number, batch: CrowdBatch) => {
    const demo = makePlayer(rng, nextIndex++, secondsOf(now), now);
    const { row, traits } = demo;
    const member: Member = {
      player_id: row.player_id,
      country: row.country ?? null,
      currency: row.currency ?? null,
      tier: traits.tier,
      traits,
      wallet: { balanceCents: 0, deposits: 0 },
      online: false,
    };
    batch.players.push(row);
    batch.events.push(toEvent(member, makeDraft('registration', 0), now));
    join(member);
    open(member);
  };

  const step = (now: number, batch: CrowdBatch) => {
    if (members.length === 0 || rng.chance(REGISTRATION_SHARE)) return register(now, batch);
    if (sessions.length < opts.concurrentSessions) open(pickMember(rng, members, cumulative));
    const i = rng.int(0, sessions.length - 1);
    const session = sessions[i] as Session;
    const draft = session.drafts[session.next++] as EventDraft;
    if (session.next >= session.drafts.length) {
      sessions.splice(i, 1);
      session.member.online = false;
    }
    batch.events.push(toEvent(session.member, draft, now));
  };

  return {
    take: (count, now) => {
      const batch: CrowdBatch = { events: [], players: [] };
      while (batch.events.length < count) step(now, batch);
      return batch;
    },
  };
}

function rosterMember(p: RosterPlayer): Member {
  return {
    player_id: p.player_id,
    country: p.country,
    currency: p.currency,
    tier: tierOfVipLevel(p.vip_level),
    // Stored players are taken to have deposited before (no welcome bonus) and to start with
    // an empty wallet (so sessions often begin with a deposit).
    wallet: { balanceCents: 0, deposits: 1 },
    online: false,
  };
}

function traitsOf(rng: Rng, member: Member): PlayerTraits {
  // Players imported from elsewhere may come from markets the demo does not know; they play in
  // their stored currency at a neutral money scale.
  const market = findMarket(member.country) ?? {
    currency: member.currency ?? 'EUR',
    moneyScale: 1,
    sportsShare: 0.35,
  };
  return makeTraits(rng, member.player_id, market, member.tier);
}

function pickMember(rng: Rng, members: readonly Member[], cumulative: readonly number[]): Member {
  const target = rng.next() * (cumulative[cumulative.length - 1] ?? 0);
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const mid = (low + high) >> 1;
    if ((cumulative[mid] as number) > target) high = mid;
    else low = mid + 1;
  }
  return members[low] as Member;
}
