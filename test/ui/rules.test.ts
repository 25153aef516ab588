// The rule builder's model (ui/src/lib/rules.ts) against the engine's own validator and catalogue:
// every rule shape the API accepts that rows can show comes back from rows unchanged (so Edit
// loads it row by row and saves the same rule), shapes rows cannot show are reported as such (so
// Edit keeps them as JSON), new rows make valid rules on every list, and errors find their row.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../engine/catalogue/default.ts';
import { operatorsFor } from '../../engine/rules/validate-conditions.ts';
import { validateRule } from '../../engine/rules/validate.ts';
import {
  blocksRule,
  changeOp,
  newGroup,
  newRow,
  pathWithin,
  references,
  ruleBlocks,
  rowPaths,
  type Condition,
  type RuleList,
} from '../../ui/src/lib/rules.ts';

/** The catalogue as GET /v1/lists gives it. */
const LISTS: RuleList[] = DEFAULT_CATALOGUE.lists.map((list) => ({
  ...{ id: list.id, kind: list.kind },
  fields: list.fields.map((f) => ({
    ...{ name: f.name, type: f.type, usable_in_rules: f.usableInRules },
    operators: operatorsFor(f),
  })),
}));

const all = (...items: unknown[]) => ({ include: { all: items } });
const deposits = (extra: object) => ({
  list: 'deposits',
  measure: 'count',
  op: 'gte',
  value: 1,
  ...extra,
});

const SHOWN_AS_ROWS: [string, unknown][] = [
  ['one-of chips', all({ field: 'country', op: 'in', value: ['DE', 'AT'] })],
  ['a number between', all({ field: 'vip_level', op: 'between', value: [2, 5] })],
  ['no value', all({ field: 'self_excluded', op: 'is_false' })],
  ['a list field', all({ field: 'tags', op: 'has_all', value: ['vip', 'whale'] })],
  [
    'a relative date window',
    all({ field: 'registered_at', op: 'within_last', value: { last: 30, unit: 'day' } }),
  ],
  ['a date before', all({ field: 'registered_at', op: 'before', value: '2026-01-01' })],
  [
    'nested groups with NOT on a group and on a row, and an Exclude block',
    {
      include: {
        any: [
          { not: { field: 'country', op: 'eq', value: 'FR' } },
          {
            not: {
              all: [
                { field: 'vip_level', op: 'gte', value: 3 },
                {
                  any: [
                    { field: 'gender', op: 'eq', value: 'f' },
                    { segment: 'vip', op: 'in' },
                  ],
                },
              ],
            },
          },
        ],
      },
      exclude: { all: [{ field: 'self_excluded', op: 'is_true' }] },
    },
  ],
  ['a rolling window', all(deposits({ window: { last: 7, unit: 'day' } }))],
  ['a calendar window', all(deposits({ window: { calendar: 'last_month' } }))],
  ['a date range window', all(deposits({ window: { from: '2026-11-01', to: '2026-11-30' } }))],
  ['all time', all(deposits({}))],
  [
    'criteria on the event and a money sum',
    all(
      deposits({
        where: [
          { field: 'amount', op: 'gte', value: '5.50' },
          { field: 'payment_method', op: 'in', value: ['card', 'paypal'] },
        ],
        measure: { sum: 'amount' },
        op: 'between',
        value: ['10', '100.5'],
      }),
    ),
  ],
  ['distinct values', all(deposits({ measure: { distinct: 'payment_method' }, value: 2 }))],
  [
    'a time measure',
    all(deposits({ measure: 'last_time', op: 'within_last', value: { last: 2, unit: 'week' } })),
  ],
  ['a reference left out', all({ segment: 'vip', op: 'not_in' })],
];

describe('saved rules shown as rows', () => {
  it.each(SHOWN_AS_ROWS)('gives back %s unchanged', (_name, rule) => {
    validateRule(rule, DEFAULT_CATALOGUE, 'rule');
    const blocks = ruleBlocks(rule, LISTS);
    expect(blocks).toBeDefined();
    const back = blocksRule(blocks!.include, blocks!.exclude, LISTS);
    expect(validateRule(back, DEFAULT_CATALOGUE, 'rule')).toEqual(
      validateRule(rule, DEFAULT_CATALOGUE, 'rule'),
    );
  });

  it.each<[string, unknown]>([
    ['a NOT of a NOT', all({ not: { not: { field: 'country', op: 'eq', value: 'DE' } } })],
    ['a list the catalogue lacks', all(deposits({ list: 'spins' }))],
    ['no rule at all', undefined],
  ])('reports %s as not shown by rows', (_name, rule) => {
    expect(ruleBlocks(rule, LISTS)).toBeUndefined();
  });

  it('finds the segments a rule references, nested too', () => {
    const blocks = ruleBlocks(SHOWN_AS_ROWS[6]![1], LISTS)!;
    expect(references(blocks.include)).toEqual(['vip']);
  });
});

describe('new rows', () => {
  it.each(LISTS.map((l) => [l.id]))('make a valid rule on the %s list', (id) => {
    const rule = blocksRule(newGroup([newRow(LISTS, id)]), newGroup(), LISTS);
    expect(() => validateRule(rule, DEFAULT_CATALOGUE, 'rule')).not.toThrow();
  });
});

describe('errors placed at their row', () => {
  const blocks = ruleBlocks(SHOWN_AS_ROWS[6]![1], LISTS)!;
  const paths = rowPaths(blocks.include, 'rule.include');

  it('lists each row by the path the API names it with', () => {
    expect(paths).toEqual([
      'rule.include.any[0]',
      'rule.include.any[1].not.all[0]',
      'rule.include.any[1].not.all[1].any[0]',
      'rule.include.any[1].not.all[1].any[1]',
    ]);
  });

  it.each<[string, string, boolean]>([
    ['rule.include.any[0].not.value', 'rule.include.any[0]', true],
    ['rule.include.any[1].not.all[0].op', 'rule.include.any[1].not.all[0]', true],
    ['rule.include.any[10].op', 'rule.include.any[1]', false],
    ['rule.include.any', 'rule.include.any[0]', false],
  ])('an error at %s is within %s: %s', (error, row, within) => {
    expect(pathWithin(error, row)).toBe(within);
  });
});

describe('changing the operator', () => {
  it.each<[string, object, string, object]>([
    ['typed text becomes chips', { op: 'eq', value: 'DE, AT' }, 'in', { chips: ['DE', 'AT'] }],
    ['chips become typed text', { op: 'in', chips: ['DE', 'AT'] }, 'eq', { value: 'DE' }],
    ['chips already there stay', { op: 'eq', value: 'FR', chips: ['DE'] }, 'in', { chips: ['DE'] }],
    ['a blank stays blank', { op: 'eq', value: '' }, 'in', { chips: [] }],
    ['between keeps its bounds', { op: 'gte', value: '3', to: '' }, 'between', { value: '3' }],
  ])('keeps what was typed: %s', (_name, before, op, after) => {
    const condition: Condition = {
      ...{ field: 'country', op: 'eq', value: '', to: '', unit: 'day', chips: [] },
      ...before,
    };
    changeOp(condition, op);
    expect(condition).toMatchObject({ op, ...after });
  });
});
