// Which rows make a player "touched" again in the watermark overlap (no ClickHouse needed).
import { describe, expect, it } from 'vitest';
import { TouchedLedger, type TouchedRow } from './touched.ts';

const row = (source: string, player: string, s: number, n: number, v = 0): TouchedRow => ({
  ...{ source, player_id: player, s, n, v },
});

describe('TouchedLedger', () => {
  it.each<[string, TouchedRow[], TouchedRow[], string[]]>([
    ['rows seen before', [row('e', 'a', 10, 2)], [row('e', 'a', 10, 2)], []],
    ['more events in the same second', [row('e', 'a', 10, 1)], [row('e', 'a', 10, 2)], ['a']],
    ['a row in a new second', [row('e', 'a', 10, 1)], [row('e', 'a', 11, 1)], ['a']],
    [
      'a newer profile merged into an older one of the same second (count unchanged)',
      [row('p', 'a', 10, 1, 5)],
      [row('p', 'a', 10, 1, 6)],
      ['a'],
    ],
    ['a merge that lowered the count', [row('p', 'a', 10, 2, 6)], [row('p', 'a', 10, 1, 6)], []],
    ['events and profiles kept apart', [row('e', 'a', 10, 1)], [row('p', 'a', 10, 1, 1)], ['a']],
  ])('%s', (_name, first, second, touched) => {
    const ledger = new TouchedLedger();
    ledger.update(first, 0);
    expect(ledger.update(second, 0).players).toEqual(touched);
  });
});
