// The Table View's columns (ui/src/lib/columns.ts), shared with the card's "Download CSV": the
// fields a table may show, the columns remembered per segment, else the first four.
import { describe, expect, it } from 'vitest';
import {
  chosenColumns,
  rememberColumns,
  tableFields,
  type ChoiceStore,
} from '../../ui/src/lib/columns.ts';

const field = (name: string, shown = true) => ({ name, shown_in_tables: shown });
type Field = ReturnType<typeof field>;
type List = { kind: string; fields: Field[] };
const list = (kind: 'players' | 'events', fields: Field[]): List => ({ kind, fields });

/** Choices remembered in memory, as localStorage keeps them. */
class MemoryStorage implements ChoiceStore {
  private items = new Map<string, string>();
  getItem = (key: string) => this.items.get(key) ?? null;
  setItem = (key: string, value: string) => void this.items.set(key, value);
}

const six = ['player_id', 'a', 'b', 'c', 'd', 'e'].map((n) => field(n));

describe('tableFields', () => {
  it.each<[string, List[], string[]]>([
    ['no lists, no fields', [], []],
    [
      'player fields shown in tables, player_id left out',
      [list('players', six)],
      ['a', 'b', 'c', 'd', 'e'],
    ],
    ['hidden fields left out', [list('players', [field('a'), field('secret', false)])], ['a']],
    ['event fields are not columns', [list('events', [field('amount')])], []],
  ])('%s', (_name, lists, expected) => {
    expect(tableFields(lists).map((f) => f.name)).toEqual(expected);
  });
});

describe('chosenColumns', () => {
  const fields = tableFields([list('players', six)]);
  it.each<[string, [string, string[]][], string, string[]]>([
    ['nothing remembered gives the first four', [], 's1', ['a', 'b', 'c', 'd']],
    ['the columns remembered for the segment', [['s1', ['e', 'a']]], 's1', ['e', 'a']],
    ['another segment keeps the defaults', [['s2', ['e']]], 's1', ['a', 'b', 'c', 'd']],
    ['no column at all is remembered as such', [['s1', []]], 's1', []],
  ])('%s', (_name, remembered, segment, expected) => {
    const storage = new MemoryStorage();
    for (const [id, columns] of remembered) rememberColumns(id, columns, storage);
    expect(chosenColumns(segment, fields, storage)).toEqual(expected);
  });
});
