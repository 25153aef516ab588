import { describe, expect, it } from 'vitest';
import type { EventRow } from '../store/events.ts';
import type { PlayerRow } from '../store/players.ts';
import { generatePopulation } from './population.ts';

const NOW = Date.parse('2026-03-15T12:00:00Z');
const DAY = 86_400_000;
const FROM = NOW - 90 * DAY;

const players: PlayerRow[] = [];
const events: EventRow[] = [];
for (const b of generatePopulation({ players: 3_000, seed: 5, now: NOW })) {
  players.push(...b.players);
  events.push(...b.events);
}
const byId = new Map(players.map((p) => [p.player_id, p]));
const ofType = (type: string) => events.filter((e) => e.type === type);

const MONEY = /^\d+\.\d{2}$/;
const METHODS: (string | null)[] = ['card', 'paypal', 'skrill', 'bank_transfer', 'crypto'];
const GAMES: Record<string, string> = {
  slots: 'casino',
  live_casino: 'casino',
  table: 'casino',
  sports: 'sportsbook',
  poker: 'poker',
};

describe('population history: every event', () => {
  it('has a unique, deterministic id naming seed and player', () => {
    expect(new Set(events.map((e) => e.event_id)).size).toBe(events.length);
    expect(events.filter((e) => !e.event_id.startsWith(`h5-${e.player_id}-`))).toEqual([]);
  });

  it('happens inside the 90-day window, on whole seconds, not before registration', () => {
    const outside = events.filter(
      (e) =>
        e.event_time < FROM ||
        e.event_time > NOW ||
        e.event_time % 1000 !== 0 ||
        e.event_time < (byId.get(e.player_id)?.registered_at as number),
    );
    expect(outside).toEqual([]);
  });

  it('comes in a realistic volume (about 70 per player)', () => {
    expect(events.length / players.length).toBeGreaterThan(30);
    expect(events.length / players.length).toBeLessThan(120);
  });
});

describe('population history: by type', () => {
  it.each([
    ['registration', false, [null], [null]],
    ['login', false, [null], [null]],
    ['deposit', true, METHODS, ['approved', 'declined']],
    ['withdrawal', true, METHODS, ['approved', 'pending', 'rejected', 'cancelled']],
    ['bet', true, [null], [null]],
    ['win', true, [null], [null]],
    ['bonus', true, [null], ['granted']],
  ] as [string, boolean, (string | null)[], (string | null)[]][])(
    '%s: money %s, payment methods and statuses known',
    (type, money, methods, statuses) => {
      const rows = ofType(type);
      expect(rows.length).toBeGreaterThan(0);
      const moneyOk = (e: EventRow) =>
        money
          ? MONEY.test(e.amount ?? '') && e.currency === byId.get(e.player_id)?.currency
          : e.amount === null && e.currency === null;
      const bad = rows.filter(
        (e) =>
          !moneyOk(e) ||
          !methods.includes(e.payment_method ?? null) ||
          !statuses.includes(e.status ?? null),
      );
      expect(bad).toEqual([]);
      expect(new Set(rows.map((e) => e.status))).toEqual(new Set(statuses));
    },
  );

  it.each(['bet', 'win'])('%s names a known game category and its product', (type) => {
    const mismatched = ofType(type).filter((e) => GAMES[e.game_category as string] !== e.product);
    expect(mismatched).toEqual([]);
    const categories = new Set(ofType(type).map((e) => e.game_category));
    expect([...categories].sort()).toEqual(Object.keys(GAMES).sort());
  });

  it('has no more wins than bets, and mostly approved deposits', () => {
    expect(ofType('win').length).toBeLessThan(ofType('bet').length);
    const approved = ofType('deposit').filter((e) => e.status === 'approved').length;
    expect(approved / ofType('deposit').length).toBeGreaterThan(0.85);
  });

  it('registers each player who joined inside the window exactly once, when they joined', () => {
    const joined = players.filter((p) => (p.registered_at as number) >= FROM);
    expect(joined.length).toBeGreaterThan(100);
    const registrations = ofType('registration');
    expect(registrations.map((e) => [e.player_id, e.event_time])).toEqual(
      joined.map((p) => [p.player_id, p.registered_at]),
    );
  });
});

describe('population history: activity is heavy-tailed', () => {
  const turnover = new Map<string, number>();
  for (const e of ofType('bet')) {
    turnover.set(e.player_id, (turnover.get(e.player_id) ?? 0) + Number(e.amount));
  }

  it('has whales: the top 1% of players place over a quarter of all stakes', () => {
    const sorted = [...turnover.values()].sort((a, b) => b - a);
    const total = sorted.reduce((a, b) => a + b, 0);
    const top = sorted.slice(0, players.length / 100).reduce((a, b) => a + b, 0);
    expect(top / total).toBeGreaterThan(0.25);
  });

  it('has lapsed players: a third of older accounts did nothing in the last 30 days', () => {
    const older = players.filter((p) => (p.registered_at as number) < FROM);
    const recent = new Set(
      events.filter((e) => e.event_time > NOW - 30 * DAY).map((e) => e.player_id),
    );
    const quiet = older.filter((p) => !recent.has(p.player_id)).length / older.length;
    expect(quiet).toBeGreaterThan(0.3);
    expect(quiet).toBeLessThan(0.8);
  });

  it.each([
    ['self-excluded', (p: PlayerRow) => p.self_excluded === true],
    ['closed', (p: PlayerRow) => p.account_status === 'closed'],
  ])('%s players stopped playing: most have been quiet for 30 days', (_name, test) => {
    const stopped = players.filter(test).map((p) => p.player_id);
    const active = new Set(
      events.filter((e) => e.event_time > NOW - 30 * DAY).map((e) => e.player_id),
    );
    expect(stopped.length).toBeGreaterThan(20);
    expect(stopped.filter((id) => active.has(id)).length / stopped.length).toBeLessThan(0.2);
  });
});
