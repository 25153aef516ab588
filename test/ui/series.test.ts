// The UI's size series as live counts extend it (ui/src/lib/series.ts): the step a count lands
// in, the steps carried over a gap, late movers, and the span kept.
import { describe, expect, it } from 'vitest';
import { recordPoint, type SizePoint } from '../../ui/src/lib/series.ts';

const point = (t: number, count: number, entered = 0, exited = 0): SizePoint => ({
  t,
  count,
  entered,
  exited,
});
const seen = (at: number, count: number, entered = 0, exited = 0) => ({
  at,
  count,
  entered,
  exited,
});
const MINUTE = 60;
const HOUR = 3_600;
const base = [point(600, 5), point(660, 6, 1, 0)];

describe('recordPoint', () => {
  it.each<[string, readonly SizePoint[], ReturnType<typeof seen>, SizePoint[]]>([
    [
      'a count in the last step replaces its count and adds the movers',
      base,
      seen(700, 8, 3, 1),
      [point(600, 5), point(660, 8, 4, 1)],
    ],
    [
      'a count in the next step adds a step',
      base,
      seen(725.5, 7, 1, 0),
      [...base, point(720, 7, 1, 0)],
    ],
    [
      'a gap is filled with the count before, without movers',
      base,
      seen(845, 9, 3, 0),
      [...base, point(720, 6), point(780, 6), point(840, 9, 3, 0)],
    ],
    [
      'movers seen late go to their own step, the newer count stays',
      base,
      seen(610, 7, 2, 0),
      [point(600, 5, 2, 0), point(660, 6, 1, 0)],
    ],
    ['a late count for a step not in the series changes nothing', base, seen(100, 1, 1, 0), base],
    ['an empty series starts at the step seen', [], seen(125, 4, 0, 0), [point(120, 4)]],
  ])('%s', (_name, points, update, expected) => {
    expect(recordPoint(points, MINUTE, HOUR, update)).toEqual(expected);
  });

  it('keeps only the span behind the newest step', () => {
    const series = recordPoint(base, MINUTE, 2 * MINUTE, seen(900, 3));
    expect(series.map((p) => p.t)).toEqual([780, 840, 900]);
  });

  it('does not change the series it is given', () => {
    const before = structuredClone(base);
    recordPoint(base, MINUTE, HOUR, seen(700, 8, 3, 1));
    expect(base).toEqual(before);
  });

  it.each([
    ['minute', MINUTE, 3_725, 3_720],
    ['hour', HOUR, 7_300, 7_200],
  ])('puts a count in the %s it was seen in', (_step, step, at, start) => {
    expect(recordPoint([], step, 7 * 24 * HOUR, seen(at, 1))[0]?.t).toBe(start);
  });
});
