// A small seeded PRNG for the demo data. The same seed gives the same sequence on every machine
// and Node version, which Math.random cannot promise. mulberry32: 32-bit state, fast, and good
// enough for synthetic data (not for anything secret).

export interface Rng {
  /** Uniform in [0, 1). */
  next(): number;
  /** Uniform integer in [min, max], both ends included. */
  int(min: number, max: number): number;
  /** Uniform float in [min, max). */
  between(min: number, max: number): number;
  chance(probability: number): boolean;
  pick<T>(items: readonly T[]): T;
  /** One of the keys, chosen with probability proportional to its weight. */
  weighted<K>(weights: readonly (readonly [K, number])[]): K;
  /** Exponentially distributed with the given mean. */
  exponential(mean: number): number;
  /** Log-normal: exp of a normal with parameters mu and sigma (heavy right tail). */
  logNormal(mu: number, sigma: number): number;
  /** Poisson-distributed count with the given mean (Knuth's method; means stay small here). */
  poisson(mean: number): number;
}

export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const normal = (): number => {
    // Box-Muller; 1 - next() keeps the logarithm's argument above zero.
    const u = 1 - next();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * next());
  };

  return {
    next,
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    between: (min, max) => min + next() * (max - min),
    chance: (p) => next() < p,
    pick: (items) => {
      if (items.length === 0) throw new RangeError('pick from an empty list');
      return items[Math.floor(next() * items.length)] as (typeof items)[number];
    },
    weighted: (weights) => pickWeighted(weights, next()),
    exponential: (mean) => -mean * Math.log(1 - next()),
    logNormal: (mu, sigma) => Math.exp(mu + sigma * normal()),
    poisson: (mean) => {
      const limit = Math.exp(-mean);
      let k = 0;
      for (let p = next(); p > limit; p *= next()) k++;
      return k;
    },
  };
}

function pickWeighted<K>(weights: readonly (readonly [K, number])[], u: number): K {
  let total = 0;
  for (const [, w] of weights) total += w;
  let target = u * total;
  for (const [key, w] of weights) {
    target -= w;
    if (target < 0) return key;
  }
  const last = weights[weights.length - 1];
  if (!last) throw new RangeError('weighted pick from an empty list');
  return last[0];
}

/**
 * Derives an independent 32-bit seed from a base seed and labels (FNV-1a over their text), so
 * each player's data depends only on (seed, player index) and not on how many players came
 * before it.
 */
export function deriveSeed(seed: number, ...labels: readonly (string | number)[]): number {
  let hash = 0x811c9dc5 ^ (seed >>> 0);
  for (const ch of labels.join('\u0000')) {
    hash ^= ch.charCodeAt(0);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}
