// The hand-written baseline of the sweep figure: ONE ClickHouse query that computes the member
// count of every bench segment over the same data at the same as-of time, written without the
// rule compiler. One GROUP BY player_id over events computes the aggregates the predicates need
// (countIf / sumIf / uniqExactIf / minIf / maxIf), joined to the latest profile of every player;
// each segment is its predicate from segments.ts, and the outer level sums them.
//
// Rolling windows are (as-of - N days, as-of]; calendar days and months start at midnight UTC
// (the bench segments' timezone). Event ids are unique in the generated data, so no event is
// counted twice here either.
import { sqlDateTime } from '../engine/sql/literal.ts';
import type { Store } from '../engine/store/clickhouse.ts';
import type { BenchSegment } from './segments.ts';

const DAY_MS = 86_400_000;

interface Times {
  readonly asOf: string;
  ago(days: number): string;
  readonly today: string;
  readonly yesterday: string;
  readonly month: string;
  readonly lastMonth: string;
}

function times(asOfMs: number): Times {
  const d = new Date(asOfMs);
  const today = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate());
  return {
    asOf: sqlDateTime(asOfMs),
    ago: (days) => sqlDateTime(asOfMs - days * DAY_MS),
    today: sqlDateTime(today),
    yesterday: sqlDateTime(today - DAY_MS),
    month: sqlDateTime(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)),
    lastMonth: sqlDateTime(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - 1, 1)),
  };
}

/** Every aggregate a hand predicate may use, by alias. */
function aggregates(t: Times): Record<string, string> {
  const recent = (type: string, days: number) =>
    `countIf(type = '${type}' AND event_time > ${t.ago(days)})`;
  const amount = (type: string, days: number) =>
    `type = '${type}' AND isNotNull(amount) AND event_time > ${t.ago(days)}`;
  const day = "toDate(event_time, 'UTC')";
  return {
    dep3: recent('deposit', 3),
    dep7: recent('deposit', 7),
    dep14: recent('deposit', 14),
    dep30: recent('deposit', 30),
    dep90: recent('deposit', 90),
    dep_all: "countIf(type = 'deposit')",
    dep_today: `countIf(type = 'deposit' AND event_time >= ${t.today})`,
    dep_yday: `countIf(type = 'deposit' AND event_time >= ${t.yesterday} AND event_time < ${t.today})`,
    dep_sum7: `sumIf(assumeNotNull(amount), ${amount('deposit', 7)})`,
    dep_sum30: `sumIf(assumeNotNull(amount), ${amount('deposit', 30)})`,
    dep_sum90: `sumIf(assumeNotNull(amount), ${amount('deposit', 90)})`,
    dep_amt30: `countIf(${amount('deposit', 30)})`,
    dep_days30: `uniqExactIf(${day}, type = 'deposit' AND event_time > ${t.ago(30)})`,
    dep_first: "minIf(event_time, type = 'deposit')",
    dep_last: "maxIf(event_time, type = 'deposit')",
    dep_card30: `countIf(type = 'deposit' AND ifNull(payment_method = 'card', 0) AND event_time > ${t.ago(30)})`,
    bet1: recent('bet', 1),
    bet7: recent('bet', 7),
    bet30: recent('bet', 30),
    bet90: recent('bet', 90),
    bet_max30: `maxIf(assumeNotNull(amount), ${amount('bet', 30)})`,
    bet_amt30: `countIf(${amount('bet', 30)})`,
    slots30: `countIf(type = 'bet' AND ifNull(game_category = 'slots', 0) AND event_time > ${t.ago(30)})`,
    login1: recent('login', 1),
    login30: recent('login', 30),
    login_days30: `uniqExactIf(${day}, type = 'login' AND event_time > ${t.ago(30)})`,
    wd_month: `countIf(type = 'withdrawal' AND event_time >= ${t.month})`,
    wd_last_month: `countIf(type = 'withdrawal' AND event_time >= ${t.lastMonth} AND event_time < ${t.month})`,
    wd90: recent('withdrawal', 90),
    wd_sum90: `sumIf(assumeNotNull(amount), ${amount('withdrawal', 90)})`,
    win_all: "countIf(type = 'win')",
    win_sum30: `sumIf(assumeNotNull(amount), ${amount('win', 30)})`,
    bonus30: recent('bonus', 30),
  };
}

/** One row per player with a 0/1 column per segment, named by the segment id. */
function perPlayer(segments: readonly BenchSegment[], asOfMs: number): string {
  const t = times(asOfMs);
  const uses = (alias: string) => segments.some((s) => new RegExp(`\\b${alias}\\b`).test(s.hand));
  const columns = Object.entries(aggregates(t))
    .filter(([alias]) => uses(alias))
    .map(([alias, sql]) => `${sql} AS ${alias}`);
  const predicates = segments.map((s) => `toUInt8(${s.hand}) AS ${s.id}`);
  return `WITH ${t.asOf} AS as_of, ${t.ago(3)} AS ago3, ${t.ago(30)} AS ago30
SELECT
  player_id,
  ${predicates.join(',\n  ')}
FROM players FINAL
ANY LEFT JOIN
(
  SELECT
    player_id,
    ${columns.join(',\n    ')}
  FROM events
  WHERE event_time <= ${t.asOf}
  GROUP BY player_id
) USING player_id`;
}

/** The hand query: the member count of every segment, as columns c_<segment id>. */
export function handQuery(segments: readonly BenchSegment[], asOfMs: number): string {
  const counts = segments.map((s) => `sum(${s.id}) AS c_${s.id}`);
  return `SELECT\n  ${counts.join(',\n  ')}\nFROM\n(\n${perPlayer(segments, asOfMs)}\n)`;
}

/** The members of one segment by the hand predicates (to show a difference). */
export function handMembersQuery(
  segments: readonly BenchSegment[],
  asOfMs: number,
  id: string,
): string {
  return `SELECT player_id FROM\n(\n${perPlayer(segments, asOfMs)}\n)\nWHERE ${id} = 1`;
}

/** Member count of every segment by the hand query. */
export async function handCounts(
  store: Store,
  segments: readonly BenchSegment[],
  asOfMs: number,
): Promise<Map<string, number>> {
  const [row] = await store.rows<Record<string, number>>(handQuery(segments, asOfMs));
  return new Map(segments.map((s) => [s.id, Number(row?.[`c_${s.id}`] ?? Number.NaN)]));
}
