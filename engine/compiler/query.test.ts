// The shape of compiled SQL (it is shown to users in the preview) and the coded errors of input
// that did not come through validateRule.
import { describe, expect, it } from 'vitest';
import { isSegstreamError } from '../errors/errors.ts';
import type { Rule } from '../rules/schema.ts';
import { compileMembersQuery } from './query.ts';
import { contextFor, valid } from './test-support.ts';

describe('compileMembersQuery', () => {
  it('writes readable SQL: one scan, prefiltered, one condition per line', () => {
    const rule = valid({
      include: {
        all: [
          {
            list: 'deposits',
            window: { last: 30, unit: 'day' },
            measure: { sum: 'amount' },
            op: 'gte',
            value: 100,
          },
          {
            list: 'deposits',
            where: [{ field: 'payment_method', op: 'eq', value: 'card' }],
            window: { calendar: 'this_week' },
            measure: 'count',
            op: 'gte',
            value: 2,
          },
          { field: 'country', op: 'in', value: ['DE', 'AT'] },
          { not: { field: 'self_excluded', op: 'is_true' } },
        ],
      },
      exclude: { any: [{ field: 'tags', op: 'has_any', value: ['test'] }] },
    });
    expect(compileMembersQuery(rule, contextFor({ timezone: 'Europe/Berlin' }))).toBe(
      `SELECT player_id
FROM players FINAL
ANY LEFT JOIN
(
    SELECT
        player_id,
        sumIf(assumeNotNull(amount), isNotNull(amount)) AS m1_sum,
        countIf(
            ifNull(payment_method = 'card', 0)
            AND event_time >= toDateTime('2024-03-24 23:00:00', 'UTC')
        ) AS m2_count
    FROM events
    WHERE
        type IN ('deposit')
        AND event_time > toDateTime('2024-03-01 12:00:00', 'UTC')
        AND event_time <= toDateTime('2024-03-31 12:00:00', 'UTC')
    GROUP BY player_id
) USING player_id
WHERE
    (
        m1_sum >= toDecimal128('100', 4)
        AND m2_count >= 2
        AND ifNull(country IN ('DE', 'AT'), 0)
        AND NOT (ifNull(self_excluded = 1, 0))
    )
    AND NOT (hasAny(tags, ['test']))`,
    );
  });

  it('reads only profiles when the rule has no event condition', () => {
    const rule = valid({ include: { all: [{ field: 'country', op: 'eq', value: "D'E" }] } });
    expect(compileMembersQuery(rule, contextFor())).toBe(
      "SELECT player_id\nFROM players FINAL\nWHERE\n    ifNull(country = 'D\\'E', 0)",
    );
  });

  const deposits = { list: 'deposits', measure: 'count', op: 'gte', value: 1 };
  it.each([
    ['unknown list', { ...deposits, list: 'nope' }, 'RULE_UNKNOWN_LIST', 'include.all[0].list'],
    [
      'unknown field',
      { field: 'nope', op: 'is_set' },
      'RULE_UNKNOWN_FIELD',
      'include.all[0].field',
    ],
    [
      'unknown where field',
      { ...deposits, where: [{ field: 'nope', op: 'is_set' }] },
      'RULE_UNKNOWN_FIELD',
      'include.all[0].where[0].field',
    ],
    [
      'unknown measure field',
      { ...deposits, measure: { sum: 'nope' } },
      'RULE_UNKNOWN_FIELD',
      'include.all[0].measure.sum',
    ],
    [
      'operator of another type',
      { field: 'country', op: 'is_true' },
      'RULE_OPERATOR_MISMATCH',
      'include.all[0].op',
    ],
    [
      'value of the wrong type',
      { field: 'country', op: 'eq', value: 1 },
      'RULE_VALUE_INVALID',
      'include.all[0].value',
    ],
    [
      'money with 5 places',
      { ...deposits, measure: { sum: 'amount' }, value: '1.00001' },
      'RULE_VALUE_INVALID',
      'include.all[0].value',
    ],
    [
      'a bad time',
      { field: 'registered_at', op: 'before', value: 'soon' },
      'RULE_VALUE_INVALID',
      'include.all[0].value',
    ],
  ])('refuses an %s with a coded error naming the path', (_name, item, code, path) => {
    const rule = { include: { all: [item] } } as unknown as Rule;
    const error = captured(() => compileMembersQuery(rule, contextFor()));
    expect(error).toEqual({ code, path });
  });

  it('refuses an unknown timezone', () => {
    const rule = valid({ include: { all: [{ field: 'country', op: 'is_set' }] } });
    const error = captured(() =>
      compileMembersQuery(rule, contextFor({ timezone: 'Mars/Olympus' })),
    );
    expect(error).toEqual({ code: 'TIMEZONE_INVALID', path: undefined });
  });
});

function captured(run: () => unknown): { code: string; path: unknown } | undefined {
  try {
    run();
  } catch (err) {
    if (isSegstreamError(err)) return { code: err.code, path: err.details.path };
    throw err;
  }
  return undefined;
}
