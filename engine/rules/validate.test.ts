import { describe, expect, it } from 'vitest';
import { isSegstreamError } from '../errors/errors.ts';
import { C, deposits, failure, rule, ruleFailure } from './validate-test-support.ts';
import { MAX_DEPTH } from './validate-rule.ts';
import { validateRule, validateSegmentDefinition } from './validate.ts';

const country = { field: 'country', op: 'eq', value: 'DE' };

function nested(depth: number): { input: unknown; path: string } {
  let item: unknown = country;
  let path = 'include';
  for (let i = 0; i < depth; i++) item = { all: [item] };
  for (let i = 0; i < MAX_DEPTH; i++) path += '.all[0]';
  return { input: { include: item }, path };
}

describe('validateRule refuses malformed structure with RULE_INVALID and the exact path', () => {
  const deep = nested(MAX_DEPTH + 5);
  it.each([
    ['a string', 'all of them', ''],
    ['an array', [country], ''],
    ['null', null, ''],
    ['no include', { exclude: { all: [country] } }, 'include'],
    ['an unknown top-level key', { include: { all: [country] }, limit: 10 }, 'limit'],
    ['a key that is not an identifier', { include: { all: [country] }, 'a.b': 1 }, '["a.b"]'],
    ['include that is a condition', { include: country }, 'include'],
    ['include that is a not', { include: { not: country } }, 'include'],
    ['an empty all', { include: { all: [] } }, 'include.all'],
    [
      'an empty any in exclude',
      { include: { all: [country] }, exclude: { any: [] } },
      'exclude.any',
    ],
    ['all that is not an array', { include: { all: country } }, 'include.all'],
    ['all and any together', { include: { all: [country], any: [country] } }, 'include'],
    ['a group with an extra key', { include: { all: [country], note: 'x' } }, 'include.note'],
    ['more than 200 items', { include: { any: Array(201).fill(country) } }, 'include.any'],
    ['a null item', rule(country, null), 'include.all[1]'],
    ['a string item', rule('country = DE'), 'include.all[0]'],
    ['an item with no kind', rule({ op: 'eq', value: 'DE' }), 'include.all[0]'],
    ['field and list together', rule({ ...deposits(), field: 'country' }), 'include.all[0]'],
    ['segment and field together', rule({ segment: 's', op: 'in', field: 'x' }), 'include.all[0]'],
    ['all and not together', rule({ all: [country], not: country }), 'include.all[0]'],
    ['an unknown key on a condition', rule({ ...country, extra: 1 }), 'include.all[0].extra'],
    ['a condition without op', rule({ field: 'country', value: 'DE' }), 'include.all[0].op'],
    ['an unknown operator', rule({ ...country, op: 'equals' }), 'include.all[0].op'],
    ['an empty field name', rule({ ...country, field: '' }), 'include.all[0].field'],
    ['a numeric field name', rule({ ...country, field: 7 }), 'include.all[0].field'],
    ['a not with an extra key', rule({ not: country, why: 'x' }), 'include.all[0].why'],
    ['a not of a string', rule({ not: 'country' }), 'include.all[0].not'],
    ['a not of an empty group', rule({ not: { any: [] } }), 'include.all[0].not.any'],
    [
      'a deep problem',
      rule(country, { any: [{ not: { field: 'country' } }] }),
      'include.all[1].any[0].not.op',
    ],
    [
      'the documented example',
      rule(country, country, deposits({ window: { last: 7, unit: 'days' } })),
      'include.all[2].window.unit',
    ],
    [
      'a zero window',
      rule(deposits({ window: { last: 0, unit: 'day' } })),
      'include.all[0].window.last',
    ],
    [
      'a fractional window',
      rule(deposits({ window: { last: 1.5, unit: 'day' } })),
      'include.all[0].window.last',
    ],
    [
      'a window without unit',
      rule(deposits({ window: { last: 7 } })),
      'include.all[0].window.unit',
    ],
    [
      'a window with an extra key',
      rule(deposits({ window: { calendar: 'today', tz: 'UTC' } })),
      'include.all[0].window.tz',
    ],
    [
      'an ambiguous window',
      rule(deposits({ window: { last: 7, unit: 'day', calendar: 'today' } })),
      'include.all[0].window',
    ],
    ['an empty window', rule(deposits({ window: {} })), 'include.all[0].window'],
    ['a window as text', rule(deposits({ window: '7d' })), 'include.all[0].window'],
    [
      'an unknown calendar period',
      rule(deposits({ window: { calendar: 'next_week' } })),
      'include.all[0].window.calendar',
    ],
    [
      'a range without to',
      rule(deposits({ window: { from: '2024-01-01' } })),
      'include.all[0].window.to',
    ],
    ['an unknown measure', rule(deposits({ measure: 'total' })), 'include.all[0].measure'],
    ['a bare field measure', rule(deposits({ measure: 'sum' })), 'include.all[0].measure'],
    [
      'a median measure',
      rule(deposits({ measure: { median: 'amount' } })),
      'include.all[0].measure',
    ],
    [
      'two measures at once',
      rule(deposits({ measure: { sum: 'amount', avg: 'amount' } })),
      'include.all[0].measure',
    ],
    [
      'a measure field that is a number',
      rule(deposits({ measure: { sum: 5 } })),
      'include.all[0].measure.sum',
    ],
    ['no measure', rule({ list: 'deposits', op: 'gte', value: 1 }), 'include.all[0].measure'],
    ['an unknown event key', rule(deposits({ filters: [] })), 'include.all[0].filters'],
    ['a string operator on events', rule(deposits({ op: 'contains' })), 'include.all[0].op'],
    ['where that is not an array', rule(deposits({ where: country })), 'include.all[0].where'],
    [
      'a where item with an unknown key',
      rule(deposits({ where: [{ ...country, field: 'currency', x: 1 }] })),
      'include.all[0].where[0].x',
    ],
    [
      'a where item without field',
      rule(deposits({ where: [{ op: 'eq', value: 'card' }] })),
      'include.all[0].where[0].field',
    ],
    ['a reference with a bad op', rule({ segment: 'vip', op: 'is' }), 'include.all[0].op'],
    ['a reference with an empty id', rule({ segment: '', op: 'in' }), 'include.all[0].segment'],
    ['a reference with an extra key', rule({ segment: 'vip', op: 'in', v: 2 }), 'include.all[0].v'],
    ['nesting deeper than the limit', deep.input, deep.path],
  ])('%s', (_name, input, path) => {
    expect(ruleFailure(input)).toEqual({ code: 'RULE_INVALID', path });
  });
});

describe('validateRule accepts well-formed rules and returns a normalized deep copy', () => {
  it('keeps the documented example unchanged', () => {
    const input = {
      include: {
        all: [
          deposits({ window: { last: 7, unit: 'day' }, value: 3 }),
          { field: 'country', op: 'in', value: ['DE', 'AT'] },
          { not: { field: 'self_excluded', op: 'is_true' } },
        ],
      },
      exclude: { any: [{ segment: 'vip-managed', op: 'in' }] },
    };
    const output = validateRule(input, C);
    expect(output).toEqual({
      include: {
        all: [
          {
            list: 'deposits',
            window: { last: 7, unit: 'day' },
            measure: 'count',
            op: 'gte',
            value: 3,
          },
          { field: 'country', op: 'in', value: ['DE', 'AT'] },
          { not: { field: 'self_excluded', op: 'is_true' } },
        ],
      },
      exclude: { any: [{ segment: 'vip-managed', op: 'in' }] },
    });
  });

  it('shares no object or array with the input', () => {
    const input = rule({ field: 'country', op: 'in', value: ['DE'] }, { not: { any: [country] } });
    const output = validateRule(input, C) as unknown as { include: { all: [{ value: string[] }] } };
    output.include.all[0].value.push('AT');
    expect(input.include.all[0]).toEqual({ field: 'country', op: 'in', value: ['DE'] });
    expect(output.include).not.toBe(input.include);
  });

  it('orders keys canonically and drops an empty where', () => {
    const input = rule({ value: 'DE', op: 'eq', field: 'country' }, { ...deposits(), where: [] });
    const output = validateRule(input, C) as { include: { all: object[] } };
    expect(output.include.all.map((item) => Object.keys(item))).toEqual([
      ['field', 'op', 'value'],
      ['list', 'measure', 'op', 'value'],
    ]);
  });

  it('accepts deep nesting up to the limit', () => {
    let item: unknown = country;
    for (let i = 1; i < MAX_DEPTH; i++) item = { any: [item] };
    expect(ruleFailure({ include: { all: [item] } })).toBe('valid');
  });

  it('prefixes every path with the given one', () => {
    const error = failure(() => validateRule(rule({ field: 'nope', op: 'eq', value: 1 }), C, 'r'));
    expect(error).toEqual({ code: 'RULE_UNKNOWN_FIELD', path: 'r.include.all[0].field' });
  });

  it('explains the problem and its path in the message', () => {
    try {
      validateRule(rule(country, country, deposits({ window: { last: 7, unit: 'days' } })), C);
      expect.unreachable();
    } catch (err) {
      expect(isSegstreamError(err, 'RULE_INVALID')).toBe(true);
      expect((err as Error).message).toBe(
        'The rule is not valid at include.all[2].window.unit: ' +
          'must be one of minute, hour, day, week, month',
      );
    }
  });
});

const segment = (extra: Record<string, unknown> = {}) => ({
  name: 'Active depositors',
  rule: rule(deposits()),
  ...extra,
});

describe('validateSegmentDefinition', () => {
  it('returns the definition with a trimmed name and the timezone spelled canonically', () => {
    const input = segment({ name: '  VIPs ', timezone: 'europe/berlin', tags: ['crm'] });
    expect(validateSegmentDefinition(input, C)).toEqual({
      name: 'VIPs',
      tags: ['crm'],
      timezone: 'Europe/Berlin',
      rule: { include: { all: [deposits()] } },
    });
  });

  it.each([
    ['UTC', 'UTC'],
    ['utc', 'UTC'],
    ['Etc/UTC', 'Etc/UTC'],
    ['Asia/Kolkata', 'Asia/Kolkata'],
    ['America/Argentina/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['Etc/GMT+5', 'Etc/GMT+5'],
  ])('accepts the timezone %s as %s', (timezone, expected) => {
    expect(validateSegmentDefinition(segment({ timezone }), C).timezone).toBe(expected);
  });

  it('keeps a static segment and drops repeated member ids', () => {
    const input = { name: 'Upload', static_members: ['p1', 'p2', 'p1'] };
    expect(validateSegmentDefinition(input, C)).toEqual({
      name: 'Upload',
      static_members: ['p1', 'p2'],
    });
  });

  it.each([
    ['not an object', [], 'VALIDATION_FAILED', ''],
    ['no name', { rule: rule(deposits()) }, 'VALIDATION_FAILED', 'name'],
    ['a blank name', segment({ name: '   ' }), 'VALIDATION_FAILED', 'name'],
    ['an unknown key', segment({ owner: 'me' }), 'VALIDATION_FAILED', 'owner'],
    ['an empty tag', segment({ tags: ['ok', ''] }), 'VALIDATION_FAILED', 'tags[1]'],
    ['active as text', segment({ active: 'yes' }), 'VALIDATION_FAILED', 'active'],
    [
      'rule and members together',
      segment({ static_members: ['p1'] }),
      'VALIDATION_FAILED',
      'static_members',
    ],
    ['neither rule nor members', { name: 'x' }, 'VALIDATION_FAILED', 'static_members'],
    [
      'an empty member id',
      { name: 'x', static_members: [''] },
      'VALIDATION_FAILED',
      'static_members[0]',
    ],
    [
      'an unknown timezone',
      segment({ timezone: 'Mars/Olympus_Mons' }),
      'TIMEZONE_INVALID',
      'timezone',
    ],
    ['an offset as timezone', segment({ timezone: '+01:00' }), 'TIMEZONE_INVALID', 'timezone'],
    [
      'a timezone with spaces',
      segment({ timezone: 'Europe/ Berlin' }),
      'TIMEZONE_INVALID',
      'timezone',
    ],
    ['an empty timezone', segment({ timezone: '' }), 'VALIDATION_FAILED', 'timezone'],
    [
      'a malformed rule',
      segment({ rule: { include: { all: [] } } }),
      'RULE_INVALID',
      'rule.include.all',
    ],
    [
      'an unknown list in the rule',
      segment({ rule: rule(deposits({ list: 'spins' })) }),
      'RULE_UNKNOWN_LIST',
      'rule.include.all[0].list',
    ],
  ])('refuses %s', (_name, input, code, path) => {
    expect(failure(() => validateSegmentDefinition(input, C))).toEqual({ code, path });
  });
});
