// The UI's size series as live counts extend it (ui/src/lib/series.ts): the step a count lands
// in, the steps carried over a gap, late movers, and the span kept; the movers of a minute
// joined from the history, the transitions and live updates without counting a change twice.
import { describe, expect, it } from 'vitest';
import {
  addMovers,
  fromStep,
  mergeMovers,
  moversByStep,
  recordPoint,
  sizeChange,
  type Move,
  type Movers,
  type SizePoint,
} from '../../ui/src/lib/series.ts';

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

const move = (at: number, seq: number, entered: number, exited: number): Move => ({
  at,
  seq,
  entered,
  exited,
});
const movers = (entries: [number, number, number][]) =>
  new Map<number, Movers>(entries.map(([t, entered, exited]) => [t, { entered, exited }]));

describe('moversByStep', () => {
  it.each<[string, Move[], number, Map<number, Movers>]>([
    ['nothing moved', [], -1, movers([])],
    [
      'changes are summed in the minute they were applied in',
      [move(60, 1, 2, 0), move(119.5, 2, 0, 1), move(120, 3, 1, 1)],
      -1,
      movers([
        [60, 2, 1],
        [120, 1, 1],
      ]),
    ],
    [
      'changes at or below the covered sequence are left out',
      [move(60, 4, 2, 0), move(70, 5, 0, 3), move(80, 6, 1, 0)],
      5,
      movers([[60, 1, 0]]),
    ],
    ['all covered leaves nothing', [move(60, 1, 2, 0)], 1, movers([])],
  ])('%s', (_name, moves, covered, expected) => {
    expect(moversByStep(moves, MINUTE, covered)).toEqual(expected);
  });
});

describe('addMovers', () => {
  it.each<[string, Map<number, Movers>, Map<number, Movers>, Map<number, Movers>]>([
    ['empty and empty', movers([]), movers([]), movers([])],
    [
      'the same minute adds, others are kept',
      movers([[60, 1, 2]]),
      movers([
        [60, 3, 0],
        [120, 0, 4],
      ]),
      movers([
        [60, 4, 2],
        [120, 0, 4],
      ]),
    ],
  ])('%s', (_name, a, b, expected) => {
    expect(addMovers(a, b)).toEqual(expected);
  });
});

describe('mergeMovers', () => {
  const history = [point(60, 10, 5, 2), point(120, 12, 0, 0)];
  it.each<[string, Map<number, Movers>, SizePoint[]]>([
    ['nothing else known keeps the history', movers([]), history],
    [
      'a minute not written yet takes the movers seen',
      movers([[120, 3, 1]]),
      [point(60, 10, 5, 2), point(120, 12, 3, 1)],
    ],
    [
      'a written minute keeps its larger counts (the screen saw only part of it)',
      movers([[60, 2, 2]]),
      history,
    ],
    [
      'each count takes the larger of both',
      movers([[60, 4, 7]]),
      [point(60, 10, 5, 7), point(120, 12)],
    ],
    ['a minute outside the series is ignored', movers([[600, 9, 9]]), history],
  ])('%s', (_name, known, expected) => {
    expect(mergeMovers(history, known)).toEqual(expected);
  });
});

describe('sizeChange', () => {
  it.each<[string, SizePoint[], number | null, ReturnType<typeof sizeChange>]>([
    ['no series yet', [], 5, undefined],
    ['no count yet', [point(60, 3)], null, undefined],
    [
      'a size an hour ago: the change since',
      [point(60, 10), point(120, 12, 2, 0)],
      15,
      { change: 5 },
    ],
    ['shrunk', [point(60, 10), point(120, 8, 0, 2)], 7, { change: -3 }],
    [
      'computed within the hour: its first size is no growth',
      [point(60, 0), point(120, 0), point(180, 40, 40, 0), point(240, 42, 2, 0)],
      43,
      { change: 3, since: 180 },
    ],
    [
      'computed this minute: no change told yet',
      [point(60, 0), point(120, 40, 40, 0)],
      42,
      { change: 0, since: 120 },
    ],
    ['empty all along', [point(60, 0), point(120, 0)], 0, { change: 0 }],
    [
      'empty, then grown by moves that already showed at the start',
      [point(60, 0, 1, 1)],
      2,
      { change: 2 },
    ],
  ])('%s', (_name, points, count, expected) => {
    expect(sizeChange(points, count)).toEqual(expected);
  });
});

describe('fromStep', () => {
  const week = [point(0, 0), point(HOUR, 0), point(2 * HOUR, 5, 5, 0), point(3 * HOUR, 6, 1, 0)];
  it.each<[string, number | undefined, SizePoint[]]>([
    ['no start keeps all', undefined, week],
    ['starts at the step holding the start', 2 * HOUR + 1_200, week.slice(2)],
    ['a start on a step boundary keeps that step', HOUR, week.slice(1)],
    ['a start before the series keeps all', -HOUR, week],
    ['a start after the series keeps nothing', 9 * HOUR, []],
  ])('%s', (_name, start, expected) => {
    expect(fromStep(week, HOUR, start)).toEqual(expected);
  });
});
