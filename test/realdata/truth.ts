// The members of the real-data starter segments (engine/demo/real/segments.ts), computed a
// second way: plain TypeScript over the raw bwin CSV files and the CDNOW text file, with no
// importer, ClickHouse, compiler or reference evaluator in between. Each predicate below is the
// segment's description read directly against the files' columns
// (/work/shared/data/README.md), so a mistake in the import, the catalogue, the rule or the
// engine shows up as a difference.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { RealStarterSegmentId } from '../../engine/demo/real/segments.ts';

const DAY_MS = 86_400_000;

type Row = Record<string, string>;

interface Purchase {
  /** Epoch ms of the event (the day at 00:00 UTC, or its shifted time in the replay). */
  readonly time: number;
  /** Amount in cents; null for a bwin first deposit, whose amount is unknown. */
  readonly cents: number | null;
  readonly quantity: number | null;
}

interface Player {
  readonly id: string;
  readonly demographics?: Row;
  readonly aggregates?: Row;
  readonly purchases: Purchase[];
}

export interface RawData {
  readonly players: ReadonlyMap<string, Player>;
  /** The CDNOW rows as read: customer, epoch ms of the day, cents, quantity. */
  readonly cdnow: readonly { customer: string; day: number; cents: number; quantity: number }[];
}

function readCsv(file: string): Row[] {
  return parse(fs.readFileSync(file), { columns: true, skip_empty_lines: true }) as Row[];
}

/** `NULL` and empty fields are missing in the bwin files. */
function present(text: string | undefined): text is string {
  return text !== undefined && text.trim() !== '' && text.trim() !== 'NULL';
}

const ymd = (text: string) =>
  Date.UTC(Number(text.slice(0, 4)), Number(text.slice(4, 6)) - 1, Number(text.slice(6, 8)));

/** "12.50" -> 1250, exactly. */
function cents(text: string): number {
  const [whole = '0', fraction = ''] = text.split('.');
  return Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
}

export function readRawData(dir: string): RawData {
  const players = new Map<string, Player>();
  const player = (id: string) => {
    let p = players.get(id);
    if (!p) players.set(id, (p = { id, purchases: [] }));
    return p;
  };
  const aggregates = new Map<string, Row>();
  for (const row of readCsv(path.join(dir, 'bwin_2005_sportsbetting_user_aggregates.csv'))) {
    aggregates.set(row.USERID!, row);
  }
  for (const row of readCsv(path.join(dir, 'bwin_2005_demographics.csv'))) {
    const id = row.UserID!;
    const purchases = present(row.FirstPay)
      ? [{ time: ymd(row.FirstPay), cents: null, quantity: null }]
      : [];
    players.set(id, { id, demographics: row, aggregates: aggregates.get(id), purchases });
  }
  const cdnow: RawData['cdnow'][number][] = [];
  const lines = fs
    .readFileSync(path.join(dir, 'cdnow_master_transactions.txt'), 'utf8')
    .split('\n');
  for (const line of lines) {
    const [customer, day, quantity, dollars] = line.trim().split(/\s+/);
    if (customer === undefined || !/^\d+$/.test(customer)) continue;
    const row = { customer, day: ymd(day!), cents: cents(dollars!), quantity: Number(quantity) };
    cdnow.push(row);
    player(customer).purchases.push({ time: row.day, cents: row.cents, quantity: row.quantity });
  }
  return { players, cdnow };
}

/**
 * Adds the CDNOW rows again as the replay sends them: the first day maps to `startAt`, every
 * row keeps its distance from it.
 */
export function withReplay(data: RawData, startAt: number): RawData {
  const first = Math.min(...data.cdnow.map((r) => r.day));
  const players = new Map(
    [...data.players].map(([id, p]) => [id, { ...p, purchases: [...p.purchases] }]),
  );
  for (const r of data.cdnow) {
    const time = r.day - first + startAt;
    players.get(r.customer)!.purchases.push({ time, cents: r.cents, quantity: r.quantity });
  }
  return { players, cdnow: data.cdnow };
}

/** The span of the CDNOW file, first day to last day, in ms. */
export function cdnowSpan(data: RawData): number {
  const days = data.cdnow.map((r) => r.day);
  return Math.max(...days) - Math.min(...days);
}

/** as-of minus `months` calendar months in UTC (as-of is never at a month's end here). */
function monthsBefore(asOf: number, months: number): number {
  const d = new Date(asOf);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d.getTime();
}

type Predicate = (p: Player, asOf: number) => boolean;

const num = (text: string | undefined) => (present(text) ? Number(text) : 0);

/** The product's totals exist only when the player bet on it (its first active date is set). */
const uses = (a: Row | undefined, prefix: 'FO' | 'LA'): a is Row =>
  present(a?.[`${prefix}FirstActiveDate`]);

function inWindow(p: Player, from: number, asOf: number): Purchase[] {
  return p.purchases.filter((x) => x.time > from && x.time <= asOf);
}

const sumCents = (xs: readonly Purchase[]) => xs.reduce((s, x) => s + (x.cents ?? 0), 0);

const lastDays = (p: Player, asOf: number, days: number) => inWindow(p, asOf - days * DAY_MS, asOf);
const lastMonths = (p: Player, asOf: number, months: number) =>
  inWindow(p, monthsBefore(asOf, months), asOf);

export const PLAIN: Record<RealStarterSegmentId, Predicate> = {
  'bwin-live-high-stakes-de': (p) =>
    p.demographics?.Country === '276' &&
    uses(p.aggregates, 'LA') &&
    num(p.aggregates.LATotalStakes) >= 1000,
  'bwin-loyal-sports': (p) => uses(p.aggregates, 'FO') && num(p.aggregates.FOTotalDaysActive) >= 60,
  'bwin-big-winners': (p) => uses(p.aggregates, 'FO') && num(p.aggregates.FOTotalWinnings) >= 5000,
  'bwin-lapsed': (p) => {
    const a = p.aggregates;
    const lasts = (['FO', 'LA'] as const)
      .filter((x) => uses(a, x))
      .map((x) => a![`${x}LastActiveDate`]!);
    return lasts.length > 0 && lasts.every((d) => d < '2005-07-01');
  },
  'bwin-cross-product': (p) =>
    ['FirstSp', 'FirstCa', 'FirstGa', 'FirstPo'].filter((c) => present(p.demographics?.[c]))
      .length >= 3,
  'bwin-female-poker': (p) => p.demographics?.Gender === '0' && present(p.demographics.FirstPo),
  'bwin-young-live': (p) => {
    const age = p.aggregates?.AGE;
    return present(age) && Number(age) >= 18 && Number(age) <= 25 && uses(p.aggregates, 'LA');
  },
  'bwin-slow-converters': (p) => {
    const reg = p.demographics?.RegDate?.split('/') ?? [];
    const february2005 = reg[0] === '2' && reg[2] === '2005';
    const times = p.purchases.map((x) => x.time);
    return february2005 && times.length > 0 && Math.min(...times) > Date.UTC(2005, 3, 1);
  },
  'cdnow-buyers-2y': (p, asOf) => lastMonths(p, asOf, 24).length >= 1,
  'cdnow-loyal': (p, asOf) =>
    new Set(lastMonths(p, asOf, 24).map((x) => Math.floor(x.time / DAY_MS))).size >= 4,
  'cdnow-this-week': (p, asOf) => lastDays(p, asOf, 7).length >= 1,
  'cdnow-big-spenders-30d': (p, asOf) => sumCents(lastDays(p, asOf, 30)) >= 10_000,
  'cdnow-quiet-repeat': (p, asOf) =>
    lastMonths(p, asOf, 24).length >= 2 && lastDays(p, asOf, 90).length === 0,
  'cdnow-bulk': (p, asOf) => lastMonths(p, asOf, 24).some((x) => (x.quantity ?? 0) >= 5),
  'cdnow-march-1997': (p, asOf) => {
    const march = p.purchases.filter(
      (x) => x.time >= Date.UTC(1997, 2, 1) && x.time < Date.UTC(1997, 3, 1),
    );
    return sumCents(march.filter((x) => x.time <= asOf)) >= 10_000;
  },
};

/** The sorted member ids of one segment at `asOf`. */
export function plainMembers(data: RawData, segment: RealStarterSegmentId, asOf: number): string[] {
  const matches = PLAIN[segment];
  return [...data.players.values()]
    .filter((p) => matches(p, asOf))
    .map((p) => p.id)
    .sort();
}
