// The 50 bench segments, each as its rule (what the engine evaluates) beside its predicate in the
// hand-written query (hand-query.ts), so a reader can check one against the other line by line.
// The mix follows what CRM teams build: event counts and sums over rolling and calendar windows,
// "did not" segments that include players without events, averages, distinct days, first/last
// times, attribute conditions with missing values, combinations and references to other
// segments. A segment only references segments listed before it, so any prefix of the list is
// a closed set (--segments N takes the first N).
//
// Hand predicates use the aggregate aliases of hand-query.ts and the players columns; a positive
// condition on a Nullable column is wrapped in ifNull(…, 0) (missing never matches) and a negative
// one is its complement (missing matches), as docs/rules.md specifies.

export interface BenchSegment {
  readonly id: string;
  readonly rule: unknown;
  /** The membership predicate in the hand query; may name earlier segments' ids. */
  readonly hand: string;
}

const all = (...items: unknown[]) => ({ include: { all: items } });
const any = (...items: unknown[]) => ({ include: { any: items } });
const last = (days: number) => ({ last: days, unit: 'day' });
const ev = (list: string, measure: unknown, op: string, value: unknown, window?: unknown) => ({
  list,
  measure,
  op,
  value,
  ...(window === undefined ? {} : { window }),
});
const attr = (field: string, op: string, value?: unknown) => ({
  field,
  op,
  ...(value === undefined ? {} : { value }),
});
const ref = (segment: string, op: 'in' | 'not_in' = 'in') => ({ segment, op });

const count = (list: string, op: string, value: number, window?: unknown) =>
  ev(list, 'count', op, value, window);

export const BENCH_SEGMENTS: readonly BenchSegment[] = [
  { id: 'dep_7d_1', rule: all(count('deposits', 'gte', 1, last(7))), hand: 'dep7 >= 1' },
  { id: 'dep_7d_3', rule: all(count('deposits', 'gte', 3, last(7))), hand: 'dep7 >= 3' },
  { id: 'dep_30d_5', rule: all(count('deposits', 'gte', 5, last(30))), hand: 'dep30 >= 5' },
  { id: 'dep_90d_10', rule: all(count('deposits', 'gte', 10, last(90))), hand: 'dep90 >= 10' },
  { id: 'no_dep_14d', rule: all(count('deposits', 'eq', 0, last(14))), hand: 'dep14 = 0' },
  { id: 'no_dep_30d', rule: all(count('deposits', 'eq', 0, last(30))), hand: 'dep30 = 0' },
  {
    id: 'dep_sum_30d_500',
    rule: all(ev('deposits', { sum: 'amount' }, 'gte', 500, last(30))),
    hand: 'dep_sum30 >= 500',
  },
  {
    id: 'dep_sum_90d_2k',
    rule: all(ev('deposits', { sum: 'amount' }, 'gte', 2000, last(90))),
    hand: 'dep_sum90 >= 2000',
  },
  {
    id: 'dep_sum_90d_5k',
    rule: all(ev('deposits', { sum: 'amount' }, 'gte', 5000, last(90))),
    hand: 'dep_sum90 >= 5000',
  },
  {
    id: 'dep_sum_7d_mid',
    rule: all(ev('deposits', { sum: 'amount' }, 'between', [100, 1000], last(7))),
    hand: 'dep_sum7 >= 100 AND dep_sum7 <= 1000',
  },
  {
    id: 'dep_today',
    rule: all(count('deposits', 'gte', 1, { calendar: 'today' })),
    hand: 'dep_today >= 1',
  },
  {
    id: 'dep_yesterday',
    rule: all(count('deposits', 'gte', 1, { calendar: 'yesterday' })),
    hand: 'dep_yday >= 1',
  },
  {
    id: 'dep_avg_30d_500',
    rule: all(ev('deposits', { avg: 'amount' }, 'gte', 500, last(30))),
    hand: 'dep_amt30 > 0 AND dep_sum30 >= 500 * dep_amt30',
  },
  {
    id: 'dep_days_30d_3',
    rule: all(ev('deposits', 'count_days', 'gte', 3, last(30))),
    hand: 'dep_days30 >= 3',
  },
  {
    id: 'dep_recent',
    rule: all(ev('deposits', 'last_time', 'within_last', last(3))),
    hand: 'dep_all > 0 AND dep_last > ago3',
  },
  {
    id: 'dep_new_30d',
    rule: all(ev('deposits', 'first_time', 'within_last', last(30))),
    hand: 'dep_all > 0 AND dep_first > ago30',
  },
  {
    id: 'dep_card_30d',
    rule: all({
      ...count('deposits', 'gte', 2, last(30)),
      where: [attr('payment_method', 'eq', 'card')],
    }),
    hand: 'dep_card30 >= 2',
  },
  { id: 'bet_30d_10', rule: all(count('bets', 'gte', 10, last(30))), hand: 'bet30 >= 10' },
  { id: 'bet_7d_2', rule: all(count('bets', 'gte', 2, last(7))), hand: 'bet7 >= 2' },
  { id: 'bet_90d_30', rule: all(count('bets', 'gte', 30, last(90))), hand: 'bet90 >= 30' },
  { id: 'bet_1d', rule: all(count('bets', 'gte', 1, last(1))), hand: 'bet1 >= 1' },
  {
    id: 'bet_max_30d',
    rule: all(ev('bets', { max: 'amount' }, 'gte', 900, last(30))),
    hand: 'bet_amt30 > 0 AND bet_max30 >= 900',
  },
  {
    id: 'slots_30d_3',
    rule: all({
      ...count('bets', 'gte', 3, last(30)),
      where: [attr('game_category', 'eq', 'slots')],
    }),
    hand: 'slots30 >= 3',
  },
  { id: 'login_1d', rule: all(count('logins', 'gte', 1, last(1))), hand: 'login1 >= 1' },
  { id: 'no_login_30d', rule: all(count('logins', 'eq', 0, last(30))), hand: 'login30 = 0' },
  {
    id: 'login_days_30d',
    rule: all(ev('logins', 'count_days', 'gte', 5, last(30))),
    hand: 'login_days30 >= 5',
  },
  {
    id: 'wd_this_month',
    rule: all(count('withdrawals', 'gte', 1, { calendar: 'this_month' })),
    hand: 'wd_month >= 1',
  },
  {
    id: 'wd_last_month',
    rule: all(count('withdrawals', 'gte', 1, { calendar: 'last_month' })),
    hand: 'wd_last_month >= 1',
  },
  {
    id: 'wd_sum_90d',
    rule: all(ev('withdrawals', { sum: 'amount' }, 'gte', 1000, last(90))),
    hand: 'wd_sum90 >= 1000',
  },
  { id: 'wins_5', rule: all(count('wins', 'gte', 5)), hand: 'win_all >= 5' },
  {
    id: 'win_sum_30d',
    rule: all(ev('wins', { sum: 'amount' }, 'gte', 3000, last(30))),
    hand: 'win_sum30 >= 3000',
  },
  { id: 'bonus_30d', rule: all(count('bonuses', 'gte', 1, last(30))), hand: 'bonus30 >= 1' },
  {
    id: 'dach',
    rule: all(attr('country', 'in', ['DE', 'AT'])),
    hand: "ifNull(country IN ('DE', 'AT'), 0)",
  },
  { id: 'vip_3', rule: all(attr('vip_level', 'gte', 3)), hand: 'ifNull(vip_level >= 3, 0)' },
  {
    id: 'not_se',
    rule: all(attr('country', 'neq', 'SE')),
    hand: "NOT ifNull(country = 'SE', 0)",
  },
  {
    id: 'excluded',
    rule: all(attr('self_excluded', 'is_true')),
    hand: 'ifNull(self_excluded = 1, 0)',
  },
  {
    id: 'no_email',
    rule: all(attr('marketing_email', 'is_false')),
    hand: 'ifNull(marketing_email = 0, 0)',
  },
  {
    id: 'registered_30d',
    rule: all(attr('registered_at', 'within_last', last(30))),
    hand: 'ifNull(registered_at > ago30 AND registered_at <= as_of, 0)',
  },
  {
    id: 'not_dach',
    rule: all(attr('country', 'not_in', ['DE', 'AT', 'CH'])),
    hand: "NOT ifNull(country IN ('DE', 'AT', 'CH'), 0)",
  },
  {
    id: 'high_value',
    rule: all(ref('dep_sum_30d_500'), ref('vip_3')),
    hand: 'dep_sum_30d_500 AND vip_3',
  },
  {
    id: 'dach_inactive',
    rule: { include: { all: [ref('dach')] }, exclude: { any: [ref('login_1d')] } },
    hand: 'dach AND NOT login_1d',
  },
  {
    id: 'engaged',
    rule: any(ref('dep_7d_3'), ref('bet_90d_30')),
    hand: 'dep_7d_3 OR bet_90d_30',
  },
  {
    id: 'lapsing',
    rule: all(ref('not_se'), ref('no_dep_14d', 'not_in')),
    hand: 'not_se AND NOT no_dep_14d',
  },
  {
    id: 'de_bettor',
    rule: all(attr('country', 'eq', 'DE'), count('bets', 'gte', 2, last(7))),
    hand: "ifNull(country = 'DE', 0) AND bet7 >= 2",
  },
  {
    id: 'vip_depositor',
    rule: all(attr('vip_level', 'gte', 3), ev('deposits', { sum: 'amount' }, 'gte', 500, last(30))),
    hand: 'ifNull(vip_level >= 3, 0) AND dep_sum30 >= 500',
  },
  {
    id: 'burst_or_vip5',
    rule: any(count('deposits', 'gte', 2, last(3)), attr('vip_level', 'eq', 5)),
    hand: 'dep3 >= 2 OR ifNull(vip_level = 5, 0)',
  },
  {
    id: 'winback',
    rule: all(attr('marketing_email', 'is_true'), count('logins', 'eq', 0, last(30))),
    hand: 'ifNull(marketing_email = 1, 0) AND login30 = 0',
  },
  {
    id: 'safe_high_dep',
    rule: {
      include: all(ev('deposits', { sum: 'amount' }, 'gte', 500, last(30))).include,
      exclude: { any: [attr('self_excluded', 'is_true')] },
    },
    hand: 'dep_sum30 >= 500 AND NOT ifNull(self_excluded = 1, 0)',
  },
  {
    id: 'dep_no_wd_90d',
    rule: all(count('deposits', 'gte', 1, last(90)), {
      not: count('withdrawals', 'gte', 1, last(90)),
    }),
    hand: 'dep90 >= 1 AND NOT (wd90 >= 1)',
  },
  {
    id: 'vip_1_2',
    rule: all(attr('vip_level', 'between', [1, 2])),
    hand: 'ifNull(vip_level >= 1 AND vip_level <= 2, 0)',
  },
];

/** A probe segment of the freshness figure: players with a bonus event of that probe slot. */
export function probeSegment(slot: number): { id: string; rule: unknown } {
  return {
    id: probeSegmentId(slot),
    rule: all({
      ...count('bonuses', 'gte', 1),
      where: [attr('product', 'eq', probeProduct(slot))],
    }),
  };
}

export function probeSegmentId(slot: number): string {
  return `probe_${slot}`;
}

export function probeProduct(slot: number): string {
  return `probe-${slot}`;
}

/** The first `n` bench segments (a closed set: references point only backwards). */
export function benchSegments(n: number): readonly BenchSegment[] {
  if (n > BENCH_SEGMENTS.length) {
    throw new Error(`bench: at most ${BENCH_SEGMENTS.length} segments are defined, asked ${n}`);
  }
  return BENCH_SEGMENTS.slice(0, n);
}
