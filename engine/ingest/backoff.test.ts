import { describe, expect, it } from 'vitest';
import { backoffDelay, sleep } from './backoff.ts';

const opts = { baseMs: 100, maxMs: 1_000 };

describe('backoffDelay', () => {
  it.each([
    [0, 0, 50],
    [0, 1, 100],
    [1, 0, 100],
    [2, 1, 400],
    [3, 0.5, 600],
    [4, 1, 1_000],
    [50, 0, 500],
    [50, 1, 1_000],
  ])('attempt %i with random %f waits %i ms', (attempt, random, expected) => {
    expect(backoffDelay(attempt, opts, () => random)).toBe(expected);
  });
});

describe('sleep', () => {
  it('ends early when its signal aborts', async () => {
    const abort = new AbortController();
    const started = Date.now();
    setTimeout(() => abort.abort(), 20);
    await sleep(5_000, abort.signal);
    expect(Date.now() - started).toBeLessThan(1_000);
  });

  it('returns at once when already aborted', async () => {
    const started = Date.now();
    await sleep(5_000, AbortSignal.abort());
    expect(Date.now() - started).toBeLessThan(100);
  });
});
