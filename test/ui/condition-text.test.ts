// How the segment detail names each condition of an explanation (ui/src/lib/condition-text.ts):
// catalogue labels for lists and fields, operator signs, the measure and the window.
import { describe, expect, it } from 'vitest';
import { conditionText, type LabelledList } from '../../ui/src/lib/condition-text.ts';

const LISTS: LabelledList[] = [
  { id: 'players', label: 'Players', fields: [{ name: 'country', label: 'Country' }] },
  { id: 'deposits', label: 'Deposits', fields: [{ name: 'amount', label: 'Amount' }] },
];

describe('conditionText', () => {
  it.each<[Record<string, unknown>, string]>([
    [{ field: 'country', op: 'eq', value: 'DE' }, 'Country = DE'],
    [{ field: 'country', op: 'in', value: ['DE', 'AT'] }, 'Country is one of DE, AT'],
    [{ field: 'country', op: 'is_empty' }, 'Country is empty'],
    [{ field: 'unknown_field', op: 'neq', value: 'x' }, 'unknown_field ≠ x'],
    [
      { list: 'deposits', measure: 'count', op: 'gte', value: 3, window: { last: 7, unit: 'day' } },
      'Deposits: count ≥ 3, last 7 day(s)',
    ],
    [
      {
        list: 'deposits',
        measure: { sum: 'amount' },
        op: 'gt',
        value: '100',
        window: { calendar: 'this_month' },
      },
      'Deposits: sum of Amount > 100, this_month',
    ],
    [
      {
        list: 'deposits',
        measure: 'count',
        op: 'lt',
        value: 1,
        where: [{ field: 'amount', op: 'gt', value: 5 }],
        window: { from: '2026-01-01', to: '2026-02-01' },
      },
      'Deposits (1 filter(s)): count < 1, 2026-01-01 to 2026-02-01',
    ],
    [{ list: 'bets', measure: { max: 'stake' }, op: 'lte', value: 2 }, 'bets: max of stake ≤ 2'],
  ])('%j reads %s', (condition, expected) => {
    expect(conditionText(condition, LISTS)).toBe(expected);
  });
});
