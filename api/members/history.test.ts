import { describe, expect, it } from 'vitest';
import { isSegstreamError } from '../../engine/errors/errors.ts';
import { seriesRange, sizeSeries, type Step } from './history.ts';

const M = 60_000;
const H = 60 * M;
const T = Date.parse('2026-12-03T10:00:00Z');

describe('seriesRange', () => {
  it.each<[string, number, number, Step, number, number]>([
    ['whole minutes stay', T, T + 3 * M, 'minute', T, T + 3 * M],
    ['rounded out to minutes', T + 10_000, T + 2 * M + 1, 'minute', T, T + 3 * M],
    ['rounded out to hours', T + 5 * M, T + H + 1, 'hour', T, T + 2 * H],
    ['a week of minutes', T, T + 10_080 * M, 'minute', T, T + 10_080 * M],
  ])('%s', (_name, from, to, step, wantFrom, wantTo) => {
    expect(seriesRange(from, to, step)).toEqual({ from: wantFrom, to: wantTo });
  });

  it.each<[string, number, number, Step, string]>([
    ['to before from', T, T - M, 'minute', 'query.to'],
    ['to equal to from', T, T, 'hour', 'query.to'],
    ['more than a week of minutes', T, T + 10_081 * M, 'minute', 'query.from'],
    ['more than 366 days of hours', T, T + 8_785 * H, 'hour', 'query.from'],
  ])('refuses %s', (_name, from, to, step, path) => {
    try {
      seriesRange(from, to, step);
      expect.unreachable();
    } catch (err) {
      expect(isSegstreamError(err, 'VALIDATION_FAILED') && err.details.path).toBe(path);
    }
  });
});

describe('sizeSeries', () => {
  const point = (at: number, count: number, entered: number, exited: number) => ({
    at,
    count,
    entered,
    exited,
  });

  it('carries the count forward through steps without changes', () => {
    const history = { countBefore: 7, points: [point(T + 2 * M, 9, 3, 1)] };
    expect(sizeSeries(history, { from: T, to: T + 4 * M }, 'minute')).toEqual([
      point(T, 7, 0, 0),
      point(T + M, 7, 0, 0),
      point(T + 2 * M, 9, 3, 1),
      point(T + 3 * M, 9, 0, 0),
    ]);
  });

  it('sums an hour of minutes and keeps its last count', () => {
    const history = {
      countBefore: 0,
      points: [point(T + M, 2, 2, 0), point(T + 30 * M, 5, 4, 1), point(T + H + M, 4, 0, 1)],
    };
    expect(sizeSeries(history, { from: T, to: T + 3 * H }, 'hour')).toEqual([
      point(T, 5, 6, 1),
      point(T + H, 4, 0, 1),
      point(T + 2 * H, 4, 0, 0),
    ]);
  });

  it('puts a stored hour at its first minute in a minute series', () => {
    const history = { countBefore: 1, points: [point(T, 3, 5, 3)] };
    expect(sizeSeries(history, { from: T, to: T + 2 * M }, 'minute')).toEqual([
      point(T, 3, 5, 3),
      point(T + M, 3, 0, 0),
    ]);
  });

  it('answers a series without any rows with the count before', () => {
    const history = { countBefore: 0, points: [] };
    expect(sizeSeries(history, { from: T, to: T + H }, 'hour')).toEqual([point(T, 0, 0, 0)]);
  });
});
