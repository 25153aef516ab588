import { describe, expect, it } from 'vitest';
import type { EventRow } from '../store/events.ts';
import type { PlayerRow } from '../store/players.ts';
import { generatePopulation, populationMember, type PopulationOptions } from './population.ts';

const NOW = Date.parse('2026-03-15T12:00:00Z');
const DAY = 86_400_000;
const OPTS: PopulationOptions = { players: 3_000, seed: 11, now: NOW };

function collect(opts: PopulationOptions, batch?: number) {
  const players: PlayerRow[] = [];
  const events: EventRow[] = [];
  for (const b of generatePopulation(opts, batch)) {
    players.push(...b.players);
    events.push(...b.events);
  }
  return { players, events };
}

const { players, events } = collect(OPTS);
const share = (test: (p: PlayerRow) => boolean) => players.filter(test).length / players.length;

describe('generatePopulation: determinism', () => {
  it('gives identical players and events for the same options, whatever the batch size', () => {
    const small = { ...OPTS, players: 200 };
    expect(collect(small, 7)).toEqual(collect(small, 1_000));
  });

  it.each([
    ['another seed', { seed: 12 }],
    ['another now', { now: NOW + DAY }],
  ])('differs with %s', (_name, change) => {
    const small = { ...OPTS, players: 50 };
    expect(collect({ ...small, ...change })).not.toEqual(collect(small));
  });

  it('builds each player independently of the others', () => {
    const alone = populationMember(OPTS, 1_234);
    expect(alone.player.row).toEqual(players[1_233]);
    expect(alone.events).toEqual(events.filter((e) => e.player_id === 'p001234'));
  });
});

describe('generatePopulation: players', () => {
  it('numbers players p000001.. in registration order within the last two years', () => {
    expect(players.map((p) => p.player_id).slice(0, 3)).toEqual(['p000001', 'p000002', 'p000003']);
    expect(new Set(players.map((p) => p.player_id)).size).toBe(OPTS.players);
    const times = players.map((p) => p.registered_at as number);
    expect(Math.min(...times)).toBeGreaterThanOrEqual(NOW - 730 * DAY);
    expect(Math.max(...times)).toBeLessThanOrEqual(NOW);
    // Ids follow registration order up to a few hours of jitter.
    const late = times.filter((t, i) => i > 0 && t < (times[i - 1] as number) - 7 * 3_600_000);
    expect(late).toEqual([]);
  });

  it.each([
    ['DE', 'EUR', ['de']],
    ['AT', 'EUR', ['de']],
    ['CH', 'CHF', ['de', 'fr', 'it']],
    ['GB', 'GBP', ['en']],
    ['SE', 'SEK', ['sv', 'en']],
    ['FI', 'EUR', ['fi', 'sv']],
    ['NO', 'NOK', ['no']],
    ['ES', 'EUR', ['es']],
    ['IT', 'EUR', ['it']],
    ['BR', 'BRL', ['pt']],
    ['CA', 'CAD', ['en', 'fr']],
  ])('players from %s pay in %s and speak %j', (country, currency, languages) => {
    const from = players.filter((p) => p.country === country);
    expect(from.length).toBeGreaterThan(10);
    expect(new Set(from.map((p) => p.currency))).toEqual(new Set([currency]));
    expect(new Set(from.map((p) => p.language))).toEqual(new Set(languages));
  });

  it('weights countries: Germany is the largest market, Denmark a small one', () => {
    expect(share((p) => p.country === 'DE')).toBeGreaterThan(0.18);
    expect(share((p) => p.country === 'DK')).toBeLessThan(0.03);
  });

  it.each([
    ['self-excluded', (p: PlayerRow) => p.self_excluded === true, 0.01, 0.035],
    ['cooling off', (p: PlayerRow) => p.cooling_off_until != null, 0.005, 0.03],
    ['VIP level 0', (p: PlayerRow) => p.vip_level === 0, 0.55, 0.85],
    ['VIP level 4 or 5', (p: PlayerRow) => (p.vip_level ?? 0) >= 4, 0.005, 0.05],
    ['KYC verified', (p: PlayerRow) => p.kyc_status === 'verified', 0.6, 0.85],
    ['KYC rejected', (p: PlayerRow) => p.kyc_status === 'rejected', 0.03, 0.12],
    ['account active', (p: PlayerRow) => p.account_status === 'active', 0.85, 0.97],
    ['e-mail consent', (p: PlayerRow) => p.marketing_email === true, 0.5, 0.75],
    ['female', (p: PlayerRow) => p.gender === 'female', 0.18, 0.34],
    ['tagged', (p: PlayerRow) => (p.tags ?? []).length > 0, 0.1, 0.5],
  ])('share of %s players is realistic', (_name, test, low, high) => {
    expect(share(test)).toBeGreaterThanOrEqual(low);
    expect(share(test)).toBeLessThanOrEqual(high);
  });

  it.each([
    ['vip_level', (p: PlayerRow) => p.vip_level, [0, 1, 2, 3, 4, 5]],
    ['kyc_status', (p: PlayerRow) => p.kyc_status, ['pending', 'verified', 'rejected']],
    ['account_status', (p: PlayerRow) => p.account_status, ['active', 'suspended', 'closed']],
    ['gender', (p: PlayerRow) => p.gender, ['male', 'female', null]],
  ] as [string, (p: PlayerRow) => unknown, unknown[]][])(
    '%s takes only known values',
    (_name, get, allowed) => {
      expect(allowed).toEqual(expect.arrayContaining([...new Set(players.map(get))]));
    },
  );

  it('makes players 18 to 80 today and at least 18 when they registered', () => {
    const ages = players.map((p) => {
      const born = Date.parse(`${p.birth_date}T00:00:00Z`);
      return [yearsBetween(born, NOW), yearsBetween(born, p.registered_at as number)];
    });
    expect(Math.min(...ages.map(([now]) => now as number))).toBeGreaterThanOrEqual(18);
    expect(Math.max(...ages.map(([now]) => now as number))).toBe(80);
    expect(Math.min(...ages.map(([, atRegistration]) => atRegistration as number))).toBe(18);
  });

  it('withdraws every marketing consent of self-excluded players', () => {
    const excluded = players.filter((p) => p.self_excluded);
    expect(excluded.length).toBeGreaterThan(0);
    for (const p of excluded) {
      expect([p.marketing_email, p.marketing_sms, p.marketing_push]).toEqual([false, false, false]);
    }
  });

  it('gives fake contact details on reserved domains', () => {
    const email = /^[a-z]+\.[a-z]+\d+@example\.(com|net|org)$/;
    expect(players.filter((p) => !email.test(p.email ?? ''))).toEqual([]);
    expect(share((p) => p.phone === null)).toBeLessThan(0.2);
    expect(players.find((p) => p.country === 'DE' && p.phone)?.phone).toMatch(/^\+49 \d{3} \d{6}$/);
  });
});

function yearsBetween(from: number, to: number): number {
  const a = new Date(from);
  const b = new Date(to);
  const birthdayPassed =
    b.getUTCMonth() > a.getUTCMonth() ||
    (b.getUTCMonth() === a.getUTCMonth() && b.getUTCDate() >= a.getUTCDate());
  return b.getUTCFullYear() - a.getUTCFullYear() - (birthdayPassed ? 0 : 1);
}
