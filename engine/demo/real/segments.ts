// The starter segments of the real-data demo (`segstream demo --data real`). Two populations
// share the database:
// - the bwin 2005 cohort (ids like 1324354): a finished history from February to September
//   2005, so its segments use fixed dates and all-time totals (the aggregates file's totals sit
//   on the `anchor = first` bet of each product, see docs/importing.md);
// - the CDNOW customers (ids like 00001): their imported 1997-98 purchases, plus the same
//   purchases replayed as a live stream shifted to the present. The live segments use rolling
//   windows of at most 24 months, which hold only replayed purchases (the imported ones are
//   decades older), so their counts move while the replay runs and as its events age out.
// Every segment is in UTC, the timezone the files' dates are written in.
import type { SegmentRepository } from '../../segments/repository.ts';

const within = (last: number, unit: string) => ({ last, unit });
const eq = (field: string, value: string) => ({ field, op: 'eq', value });
/**
 * "The player's total of one bwin sports product is at least `value`": the totals sit on the
 * product's `first` anchor event only, so the sum over those events is the total itself.
 */
const totalAtLeast = (product: string, total: string, value: number) => ({
  ...{ list: 'bets', where: [eq('product', product), eq('anchor', 'first')] },
  ...{ measure: { sum: total }, op: 'gte', value },
});
/** The CDNOW replay: every purchase of the last 24 months (the file spans 18). */
const REPLAYED = within(24, 'month');

export const REAL_STARTER_SEGMENTS = [
  {
    id: 'bwin-live-high-stakes-de',
    name: 'High-stakes live bettors, Germany',
    description:
      'bwin players from Germany who staked at least 1,000 EUR on live-action bets in 2005.',
    tags: ['bwin', 'live-action', 'vip', 'de'],
    rule: {
      include: {
        all: [
          { field: 'country', op: 'eq', value: 'DE' },
          totalAtLeast('live_action', 'total_stakes', 1000),
        ],
      },
    },
  },
  {
    id: 'bwin-loyal-sports',
    name: 'Loyal fixed-odds bettors',
    description: 'bwin players who bet fixed odds on at least 60 different days in 2005.',
    tags: ['bwin', 'fixed-odds', 'loyalty'],
    rule: { include: { all: [totalAtLeast('fixed_odds', 'days_active', 60)] } },
  },
  {
    id: 'bwin-big-winners',
    name: 'Big fixed-odds winners',
    description: 'bwin players whose fixed-odds winnings reached 5,000 EUR in 2005.',
    tags: ['bwin', 'fixed-odds', 'risk'],
    rule: { include: { all: [totalAtLeast('fixed_odds', 'total_winnings', 5000)] } },
  },
  {
    id: 'bwin-lapsed',
    name: 'Lapsed sports bettors',
    description: 'bwin sports bettors whose last fixed-odds or live bet was before July 2005.',
    tags: ['bwin', 'retention'],
    rule: {
      include: {
        all: [
          {
            ...{
              list: 'bets',
              where: [{ field: 'product', op: 'in', value: ['fixed_odds', 'live_action'] }],
            },
            ...{ measure: 'last_time', op: 'before', value: '2005-07-01' },
          },
        ],
      },
    },
  },
  {
    id: 'bwin-cross-product',
    name: 'Cross-product players',
    description: 'bwin players who tried at least three of sportsbook, casino, games and poker.',
    tags: ['bwin', 'cross-sell'],
    rule: {
      include: {
        all: [
          {
            ...{
              list: 'bets',
              where: [
                { field: 'product', op: 'in', value: ['sportsbook', 'casino', 'games', 'poker'] },
              ],
            },
            ...{ measure: { distinct: 'product' }, op: 'gte', value: 3 },
          },
        ],
      },
    },
  },
  {
    id: 'bwin-female-poker',
    name: 'Women playing poker',
    description: 'Female bwin players with at least one poker session.',
    tags: ['bwin', 'poker'],
    rule: {
      include: {
        all: [
          eq('gender', 'F'),
          { list: 'bets', where: [eq('product', 'poker')], measure: 'count', op: 'gte', value: 1 },
        ],
      },
    },
  },
  {
    id: 'bwin-young-live',
    name: 'Young live bettors (18-25)',
    description: 'bwin players aged 18 to 25 in 2005 who bet live action.',
    tags: ['bwin', 'live-action', 'age'],
    rule: {
      include: {
        all: [
          { field: 'bwin_age', op: 'between', value: [18, 25] },
          {
            list: 'bets',
            where: [eq('product', 'live_action')],
            measure: 'count',
            op: 'gte',
            value: 1,
          },
        ],
      },
    },
  },
  {
    id: 'bwin-slow-converters',
    name: 'Slow converters',
    description:
      'Players who registered in February 2005 and made their first deposit after 1 April 2005.',
    tags: ['bwin', 'acquisition'],
    rule: {
      include: {
        all: [
          { field: 'registered_at', op: 'between', value: ['2005-02-01', '2005-03-01'] },
          { list: 'deposits', measure: 'first_time', op: 'after', value: '2005-04-01T00:00:00Z' },
        ],
      },
    },
  },
  {
    id: 'cdnow-buyers-2y',
    name: 'CDNOW buyers, last 2 years',
    description: 'CDNOW customers with a purchase in the last 24 months (the live replay).',
    tags: ['cdnow', 'live'],
    rule: {
      include: {
        all: [{ list: 'deposits', window: REPLAYED, measure: 'count', op: 'gte', value: 1 }],
      },
    },
  },
  {
    id: 'cdnow-loyal',
    name: 'Loyal CDNOW buyers',
    description: 'CDNOW customers who bought on at least 4 different days in the last 24 months.',
    tags: ['cdnow', 'live', 'loyalty'],
    rule: {
      include: {
        all: [{ list: 'deposits', window: REPLAYED, measure: 'count_days', op: 'gte', value: 4 }],
      },
    },
  },
  {
    id: 'cdnow-this-week',
    name: 'Bought this week',
    description: 'CDNOW customers with a purchase in the last 7 days.',
    tags: ['cdnow', 'live'],
    rule: {
      include: {
        all: [
          { list: 'deposits', window: within(7, 'day'), measure: 'count', op: 'gte', value: 1 },
        ],
      },
    },
  },
  {
    id: 'cdnow-big-spenders-30d',
    name: 'Big spenders, last 30 days',
    description: 'CDNOW customers who spent at least 100 USD in the last 30 days.',
    tags: ['cdnow', 'live', 'vip'],
    rule: {
      include: {
        all: [
          {
            ...{ list: 'deposits', window: within(30, 'day') },
            ...{ measure: { sum: 'amount' }, op: 'gte', value: 100 },
          },
        ],
      },
    },
  },
  {
    id: 'cdnow-quiet-repeat',
    name: 'Repeat buyers gone quiet',
    description:
      'CDNOW customers with 2 or more purchases in 24 months but none in the last 90 days.',
    tags: ['cdnow', 'live', 'retention'],
    rule: {
      include: {
        all: [
          { list: 'deposits', window: REPLAYED, measure: 'count', op: 'gte', value: 2 },
          { list: 'deposits', window: within(90, 'day'), measure: 'count', op: 'eq', value: 0 },
        ],
      },
    },
  },
  {
    id: 'cdnow-bulk',
    name: 'Bulk buyers',
    description: 'CDNOW customers who bought 5 or more CDs in one order in the last 24 months.',
    tags: ['cdnow', 'live'],
    rule: {
      include: {
        all: [
          {
            ...{
              list: 'deposits',
              window: REPLAYED,
              where: [{ field: 'quantity', op: 'gte', value: 5 }],
            },
            ...{ measure: 'count', op: 'gte', value: 1 },
          },
        ],
      },
    },
  },
  {
    id: 'cdnow-march-1997',
    name: 'Big spenders in March 1997',
    description:
      'CDNOW customers whose imported purchases of March 1997 add up to 100 USD or more.',
    tags: ['cdnow', 'history'],
    rule: {
      include: {
        all: [
          {
            ...{ list: 'deposits', window: { from: '1997-03-01', to: '1997-04-01' } },
            ...{ measure: { sum: 'amount' }, op: 'gte', value: 100 },
          },
        ],
      },
    },
  },
] as const;

export type RealStarterSegmentId = (typeof REAL_STARTER_SEGMENTS)[number]['id'];

/** Creates the real-data starter segments when no segment exists; returns how many. */
export async function createRealStarterSegments(segments: SegmentRepository): Promise<number> {
  if ((await segments.listCurrent()).length > 0) return 0;
  for (const { id, ...definition } of REAL_STARTER_SEGMENTS) {
    await segments.create({ ...definition, timezone: 'UTC' }, { createdBy: 'demo', id });
  }
  return REAL_STARTER_SEGMENTS.length;
}
