import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsText } from './money.ts';
import { MARKETS } from './markets.ts';
import { createRng } from './random.ts';
import { playSession, type Wallet } from './session.ts';
import { makeTraits, type ActivityTier } from './traits.ts';

const TIERS: ActivityTier[] = ['casual', 'regular', 'high', 'whale'];

describe('playSession', () => {
  it('keeps the wallet coherent over many sessions of any player', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 }),
        fc.constantFrom(...TIERS),
        fc.constantFrom(...MARKETS),
        (seed, tier, market) => {
          const rng = createRng(seed);
          const traits = makeTraits(rng, 'p000001', market, tier);
          const wallet: Wallet = { balanceCents: 0, deposits: 0 };
          for (let i = 0; i < 20; i++) {
            const drafts = playSession(rng, traits, wallet);
            expect(drafts[0]?.type).toBe('login');
            expect(drafts.filter((d) => d.type === 'win').length).toBeLessThanOrEqual(
              drafts.filter((d) => d.type === 'bet').length,
            );
            expect(wallet.balanceCents).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('starts a new player with a deposit and, usually, a welcome bonus', () => {
    let welcomed = 0;
    for (let seed = 1; seed <= 200; seed++) {
      const rng = createRng(seed);
      const traits = makeTraits(rng, 'p000001', MARKETS[0] as (typeof MARKETS)[0], 'regular');
      const drafts = playSession(rng, traits, { balanceCents: 0, deposits: 0 });
      const types = drafts.map((d) => d.type);
      // Nothing is staked before money arrives.
      const firstBet = types.indexOf('bet');
      if (firstBet >= 0) expect(types.slice(0, firstBet)).toContain('deposit');
      if (drafts.some((d) => d.type === 'bonus')) welcomed++;
    }
    expect(welcomed).toBeGreaterThan(80);
  });
});

describe('centsText', () => {
  it.each([
    [0, '0.00'],
    [5, '0.05'],
    [1234, '12.34'],
    [100_000_00, '100000.00'],
  ])('%i cents is %s', (cents, text) => {
    expect(centsText(cents)).toBe(text);
  });

  it.each([-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses %s', (cents) => {
    expect(() => centsText(cents)).toThrow(RangeError);
  });
});
