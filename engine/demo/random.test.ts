import { describe, expect, it } from 'vitest';
import { createRng, deriveSeed } from './random.ts';

describe('createRng', () => {
  it('gives the same sequence for the same seed on every run (golden values)', () => {
    const rng = createRng(42);
    expect([rng.next(), rng.next(), rng.next()]).toEqual([
      0.6011037519201636, 0.44829055899754167, 0.8524657934904099,
    ]);
  });

  it.each([
    ['same seed', 7, 7, true],
    ['different seed', 7, 8, false],
  ])('%s gives %s sequences', (_name, a, b, same) => {
    const draw = (seed: number) => JSON.stringify(Array.from({ length: 20 }, createRng(seed).next));
    expect(draw(a) === draw(b)).toBe(same);
  });

  it.each([
    [0, 0],
    [1, 6],
    [-3, 3],
  ])('int(%i, %i) stays inside both ends and reaches them', (min, max) => {
    const rng = createRng(1);
    const seen = new Set(Array.from({ length: 2_000 }, () => rng.int(min, max)));
    expect(Math.min(...seen)).toBe(min);
    expect(Math.max(...seen)).toBe(max);
    expect(seen.size).toBe(max - min + 1);
  });

  it('picks weighted keys in proportion and never a zero-weight key', () => {
    const rng = createRng(3);
    const counts = { a: 0, b: 0, never: 0 };
    const weights = [
      ['a', 3],
      ['b', 1],
      ['never', 0],
    ] as const;
    for (let i = 0; i < 8_000; i++) counts[rng.weighted(weights)]++;
    expect(counts.never).toBe(0);
    expect(counts.a / counts.b).toBeGreaterThan(2.5);
    expect(counts.a / counts.b).toBeLessThan(3.5);
  });

  it.each([
    ['exponential', (seed: number) => createRng(seed).exponential(5), 5],
    ['poisson', (seed: number) => createRng(seed).poisson(3), 3],
    ['logNormal(0, 0.5)', (seed: number) => createRng(seed).logNormal(0, 0.5), Math.exp(0.125)],
  ])('%s has the expected mean', (_name, draw, mean) => {
    const values = Array.from({ length: 5_000 }, (_, i) => draw(i + 1));
    const avg = values.reduce((a, b) => a + b, 0) / values.length;
    expect(avg).toBeGreaterThan(mean * 0.9);
    expect(avg).toBeLessThan(mean * 1.1);
  });

  it.each([
    ['pick', () => createRng(1).pick([])],
    ['weighted', () => createRng(1).weighted([])],
  ])('%s refuses an empty list', (_name, call) => {
    expect(call).toThrow(RangeError);
  });
});

describe('deriveSeed', () => {
  it.each([
    ['another label', [1, 'player', 2]],
    ['another base seed', [2, 'player', 1]],
    ['labels joined differently', [1, 'player1']],
  ] as const)('changes with %s', (_name, [seed, ...labels]) => {
    expect(deriveSeed(seed, ...labels)).not.toBe(deriveSeed(1, 'player', 1));
  });

  it('is stable', () => {
    expect(deriveSeed(1, 'player', 1)).toBe(2701992030);
  });
});
