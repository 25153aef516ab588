// The hand-written baseline of the real-data sweep: ONE ClickHouse query computing the member
// count of every real-data starter segment (engine/demo/real/segments.ts) at the same as-of time,
// written from the segments' descriptions without the rule compiler. One GROUP BY player_id over
// events gives the aggregates, joined to the latest profile of every player. The bwin totals
// are read from the props arrays of each product's `first` anchor bet; they are whole euros, so
// Float64 sums are exact. Event ids are unique per player in the imported and replayed data.
import type { RealStarterSegmentId } from '../engine/demo/real/segments.ts';
import { sqlDateTime } from '../engine/sql/literal.ts';
import type { Store } from '../engine/store/clickhouse.ts';

const DAY_MS = 86_400_000;

const prop = (key: string) => `prop_values[indexOf(prop_keys, '${key}')]`;
const bet = (products: string) => `type = 'bet' AND ifNull(product IN (${products}), 0)`;
const firstAnchor = (product: string) => `${bet(`'${product}'`)} AND ${prop('anchor')} = 'first'`;
const SPORTS = "'fixed_odds', 'live_action'";

function monthsBefore(asOfMs: number, months: number): number {
  const d = new Date(asOfMs);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.getTime();
}

/** Every aggregate over a player's events, by alias. */
function aggregates(asOfMs: number): Record<string, string> {
  const after = (ms: number) => `event_time > ${sqlDateTime(ms)}`;
  const deposit = (since: number) => `type = 'deposit' AND ${after(since)}`;
  const months24 = monthsBefore(asOfMs, 24);
  const paid = (condition: string) =>
    `sumIf(assumeNotNull(amount), ${condition} AND isNotNull(amount))`;
  return {
    la_stakes: `sumIf(toFloat64OrZero(${prop('total_stakes')}), ${firstAnchor('live_action')})`,
    fo_days: `sumIf(toFloat64OrZero(${prop('days_active')}), ${firstAnchor('fixed_odds')})`,
    fo_winnings: `sumIf(toFloat64OrZero(${prop('total_winnings')}), ${firstAnchor('fixed_odds')})`,
    sports_n: `countIf(${bet(SPORTS)})`,
    sports_last: `maxIf(event_time, ${bet(SPORTS)})`,
    products: `uniqExactIf(product, ${bet("'sportsbook', 'casino', 'games', 'poker'")})`,
    poker_n: `countIf(${bet("'poker'")})`,
    live_n: `countIf(${bet("'live_action'")})`,
    dep_n: "countIf(type = 'deposit')",
    dep_first: "minIf(event_time, type = 'deposit')",
    dep_24m: `countIf(${deposit(months24)})`,
    days_24m: `uniqExactIf(toDate(event_time, 'UTC'), ${deposit(months24)})`,
    bulk_24m: `countIf(${deposit(months24)} AND ifNull(quantity >= 5, 0))`,
    dep_7d: `countIf(${deposit(asOfMs - 7 * DAY_MS)})`,
    dep_90d: `countIf(${deposit(asOfMs - 90 * DAY_MS)})`,
    sum_30d: paid(deposit(asOfMs - 30 * DAY_MS)),
    sum_march97: paid(
      `type = 'deposit' AND event_time >= toDateTime('1997-03-01 00:00:00', 'UTC')
        AND event_time < toDateTime('1997-04-01 00:00:00', 'UTC')`,
    ),
  };
}

const utc = (day: string) => `toDateTime('${day} 00:00:00', 'UTC')`;
const bwinAge = "toFloat64OrNull(attr_values[indexOf(attr_keys, 'age')])";

/** Each segment's predicate over the profile columns and the aggregates above. */
const PREDICATES: Record<RealStarterSegmentId, string> = {
  'bwin-live-high-stakes-de': "ifNull(country = 'DE', 0) AND la_stakes >= 1000",
  'bwin-loyal-sports': 'fo_days >= 60',
  'bwin-big-winners': 'fo_winnings >= 5000',
  'bwin-lapsed': `sports_n > 0 AND sports_last < ${utc('2005-07-01')}`,
  'bwin-cross-product': 'products >= 3',
  'bwin-female-poker': "ifNull(gender = 'F', 0) AND poker_n >= 1",
  'bwin-young-live': `ifNull(${bwinAge} >= 18 AND ${bwinAge} <= 25, 0) AND live_n >= 1`,
  'bwin-slow-converters':
    `ifNull(registered_at >= ${utc('2005-02-01')} AND registered_at < ${utc('2005-03-01')}, 0)` +
    ` AND dep_n > 0 AND dep_first > ${utc('2005-04-01')}`,
  'cdnow-buyers-2y': 'dep_24m >= 1',
  'cdnow-loyal': 'days_24m >= 4',
  'cdnow-this-week': 'dep_7d >= 1',
  'cdnow-big-spenders-30d': 'sum_30d >= 100',
  'cdnow-quiet-repeat': 'dep_24m >= 2 AND dep_90d = 0',
  'cdnow-bulk': 'bulk_24m >= 1',
  'cdnow-march-1997': 'sum_march97 >= 100',
};

export const REAL_HAND_IDS = Object.keys(PREDICATES) as RealStarterSegmentId[];

/** The member count of every starter segment, as columns named c_<n> in REAL_HAND_IDS order. */
export function realHandQuery(asOfMs: number): string {
  const columns = Object.entries(aggregates(asOfMs)).map(([alias, sql]) => `${sql} AS ${alias}`);
  const flags = REAL_HAND_IDS.map((id, i) => `toUInt8(${PREDICATES[id]}) AS s${i}`);
  const counts = REAL_HAND_IDS.map((_, i) => `sum(s${i}) AS c${i}`);
  return `SELECT ${counts.join(', ')}
FROM
(
  SELECT player_id, ${flags.join(',\n    ')}
  FROM players FINAL
  ANY LEFT JOIN
  (
    SELECT player_id, ${columns.join(',\n      ')}
    FROM events
    WHERE event_time <= ${sqlDateTime(asOfMs)}
    GROUP BY player_id
  ) USING player_id
)`;
}

export async function realHandCounts(
  store: Store,
  asOfMs: number,
): Promise<Map<RealStarterSegmentId, number>> {
  const [row] = await store.rows<Record<string, number>>(realHandQuery(asOfMs));
  return new Map(REAL_HAND_IDS.map((id, i) => [id, Number(row?.[`c${i}`] ?? Number.NaN)]));
}
