// The rule builder's model (ui/src/lib/rules.ts) against the engine's own validator and catalogue:
// every rule shape the API accepts that rows can show comes back from rows unchanged (so Edit
// loads it row by row and saves the same rule), shapes rows cannot show are reported as such (so
// Edit keeps them as JSON), new rows start incomplete on every list and are left out of the
// preview until complete, errors find their row (also past left-out rows) without the path in the
// words, and measures read as words with the catalogue's labels.
import { describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../engine/catalogue/default.ts';
import { operatorsFor } from '../../engine/rules/validate-conditions.ts';
import { validateRule } from '../../engine/rules/validate.ts';
import {
  blocksRule,
  builderPath,
  changeOp,
  completeGroup,
  incomplete,
  measureLabel,
  measuresOf,
  reasonOnly,
  unfinished,
  newGroup,
  newRow,
  pathWithin,
  references,
  ruleBlocks,
  rowPaths,
  type Condition,
  type Group,
  type Row,
  type RuleList,
} from '../../ui/src/lib/rules.ts';

/** The catalogue as GET /v1/lists gives it. */
const LISTS: RuleList[] = DEFAULT_CATALOGUE.lists.map((list) => ({
  ...{ id: list.id, kind: list.kind },
  fields: list.fields.map((f) => ({
    ...{ name: f.name, label: f.label, type: f.type, usable_in_rules: f.usableInRules },
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

/** A row of `list` with `changes` made to a new one. */
const row = (list: string, changes: Partial<Row> = {}): Row => ({
  ...newRow(LISTS, list),
  ...changes,
});
const where = (field: string, op: string, value = '', chips: string[] = []): Condition => ({
  ...{ field, op, value, to: '', unit: 'day', chips },
});
const group = (join: 'all' | 'any', ...items: Group['items']): Group => ({
  ...newGroup(items),
  join,
});

describe('new rows', () => {
  it.each(LISTS.map((l) => [l.id]))('start incomplete on the %s list', (id) => {
    expect(incomplete(newRow(LISTS, id), LISTS)).not.toBe('');
    expect(completeGroup(newGroup([newRow(LISTS, id)]), LISTS).items).toEqual([]);
  });

  it.each(LISTS.map((l) => [l.id]))('on the %s list make a valid rule once complete', (id) => {
    const kind = LISTS.find((l) => l.id === id)!.kind;
    const done =
      kind === 'events' ? row(id, { value: '1' }) : row(id, where('country', 'eq', 'DE'));
    expect(incomplete(done, LISTS)).toBe('');
    const rule = blocksRule(newGroup([done]), newGroup(), LISTS);
    expect(() => validateRule(rule, DEFAULT_CATALOGUE, 'rule')).not.toThrow();
  });
});

describe('incomplete rows', () => {
  const dep = (changes: Partial<Row>) => row('deposits', { value: '1', ...changes });
  it.each<[string, Row, string]>([
    ['no field chosen', row('players'), 'choose a field'],
    ['a field without a value', row('players', where('email', 'eq')), 'enter a value'],
    ['a blank value', row('players', where('email', 'eq', '  ')), 'enter a value'],
    ['one-of without chips', row('players', where('country', 'in')), 'add a value'],
    [
      'between with one bound',
      row('players', where('vip_level', 'between', '2')),
      'enter both bounds',
    ],
    [
      'within the last without a length',
      row('players', where('registered_at', 'within_last')),
      'enter a value',
    ],
    ['an event count without a value', row('deposits'), 'enter a value'],
    ['an empty window length', dep({ windowLast: '' }), 'enter the window length'],
    [
      'a window range without its end',
      dep({ window: 'range', windowFrom: '2026-11-01' }),
      'enter both window dates',
    ],
    ['a criterion without a field', dep({ where: [where('', 'eq')] }), 'criterion: choose a field'],
    [
      'a criterion without a value',
      dep({ where: [where('amount', 'gte')] }),
      'criterion: enter a value',
    ],
    [
      'a reference without a segment',
      row('players', { list: '@segment', op: 'in', segment: '' }),
      'choose a segment',
    ],
  ])('%s is incomplete: %s', (_name, r, missing) => {
    expect(incomplete(r, LISTS)).toBe(missing);
  });

  it.each<[string, Row]>([
    ['a value', row('players', where('email', 'eq', 'a@b.c'))],
    ['no value needed', row('players', where('self_excluded', 'is_true'))],
    ['chips', row('players', where('country', 'in', '', ['DE']))],
    ['both bounds', row('players', { ...where('vip_level', 'between', '2'), to: '5' })],
    ['an event count over all time', dep({ window: 'all', windowLast: '' })],
    ['a criterion with its value', dep({ where: [where('amount', 'gte', '5')] })],
    ['a reference', row('players', { list: '@segment', op: 'in', segment: 'vip' })],
  ])('%s is complete', (_name, r) => {
    expect(incomplete(r, LISTS)).toBe('');
  });

  it.each(SHOWN_AS_ROWS)('a saved rule loads complete: %s', (_name, rule) => {
    const blocks = ruleBlocks(rule, LISTS)!;
    expect([
      ...unfinished(blocks.include, 'Include', LISTS),
      ...unfinished(blocks.exclude, 'Exclude', LISTS),
    ]).toEqual([]);
  });

  const de = row('players', where('country', 'eq', 'DE'));
  const blocks = group(
    'all',
    row('players'),
    de,
    group('any', row('deposits'), { ...dep({}), negated: true }),
    group('all', row('players')),
  );

  it('are left out of the preview, and so are the groups they leave empty', () => {
    const rule = blocksRule(completeGroup(blocks, LISTS), newGroup(), LISTS);
    expect(rule).toEqual(
      all(
        { field: 'country', op: 'eq', value: 'DE' },
        { any: [{ not: expect.objectContaining({ list: 'deposits' }) }] },
      ),
    );
  });

  it('are said where they are and what they lack', () => {
    expect(unfinished(blocks, 'Include', LISTS)).toEqual([
      { where: 'Include, rule 1', missing: 'choose a field' },
      { where: 'Include, group 1, rule 1', missing: 'enter a value' },
      { where: 'Include, group 2, rule 1', missing: 'choose a field' },
    ]);
  });

  it.each<[string, string]>([
    ['rule.include.all[0].value', 'rule.include.all[1].value'],
    ['rule.include.all[1].any[0].not.value', 'rule.include.all[2].any[1].not.value'],
    ['rule.include.all[1]', 'rule.include.all[2]'],
    ['rule.include.all', 'rule.include.all'],
    ['rule.include.all[7].value', 'rule.include.all[7].value'],
    ['rule.exclude.all[0]', 'rule.exclude.all[0]'],
  ])('an error at %s of the preview is at %s of the rows', (preview, rows) => {
    expect(builderPath(preview, blocks, 'rule.include', LISTS)).toBe(rows);
  });
});

describe('words the builder shows', () => {
  const events = (id: string) => LISTS.find((l) => l.id === id);
  it.each<[string, string, string]>([
    ['count', 'deposits', 'number of events'],
    ['count_days', 'deposits', 'number of days with an event'],
    ['first_time', 'deposits', 'first time'],
    ['last_time', 'deposits', 'last time'],
    ['sum:amount', 'deposits', 'sum of Amount'],
    ['distinct:payment_method', 'deposits', 'distinct values of Payment method'],
  ])('the measure %s of %s reads "%s"', (measure, list, words) => {
    expect(measureLabel(measure, events(list))).toBe(words);
  });

  it.each(LISTS.filter((l) => l.kind === 'events').map((l) => [l.id]))(
    'no measure of %s shows an internal name',
    (id) => {
      for (const m of measuresOf(events(id)))
        expect(measureLabel(m, events(id))).not.toMatch(/_|:/);
    },
  );

  it.each<[string, string, string]>([
    [
      'The value does not fit the operator at rule.include.all[1].value: must be a finite number',
      'rule.include.all[1].value',
      'The value does not fit the operator: must be a finite number',
    ],
    ['Unknown segment', '', 'Unknown segment'],
    ['Bad at rule.include.all[0]: no', 'rule.include.all[0]', 'Bad: no'],
  ])('beside the row, "%s" reads without its path', (message, path, shown) => {
    expect(reasonOnly(message, path)).toBe(shown);
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
