// The segments a demo starts with, so that a first look shows live counts at once: one of each
// kind of condition an iGaming CRM team writes first (market, recent deposits, lapsed players,
// new players, high stakes, VIPs). Created only when there is no segment at all.
import type { SegmentRepository } from '../segments/repository.ts';

const within = (last: number, unit: string) => ({ last, unit });

export const STARTER_SEGMENTS = [
  {
    id: 'dach-depositors',
    name: 'Frequent depositors DACH',
    tags: ['deposits', 'dach'],
    rule: {
      include: {
        all: [
          { field: 'country', op: 'in', value: ['DE', 'AT', 'CH'] },
          { list: 'deposits', window: within(7, 'day'), measure: 'count', op: 'gte', value: 3 },
        ],
      },
      exclude: { any: [{ field: 'self_excluded', op: 'is_true' }] },
    },
  },
  {
    id: 'lapsed',
    name: 'Lapsed players',
    tags: ['retention'],
    rule: {
      include: {
        all: [
          { list: 'logins', measure: 'count', op: 'gte', value: 1 },
          { list: 'logins', window: within(14, 'day'), measure: 'count', op: 'eq', value: 0 },
        ],
      },
    },
  },
  {
    id: 'new-this-week',
    name: 'Registered this week',
    tags: ['acquisition'],
    rule: {
      include: { all: [{ field: 'registered_at', op: 'within_last', value: within(7, 'day') }] },
    },
  },
  {
    id: 'high-stakes',
    name: 'High stakes, last 30 days',
    tags: ['vip'],
    rule: {
      include: {
        all: [
          {
            ...{ list: 'bets', window: within(30, 'day'), measure: { sum: 'amount' } },
            ...{ op: 'gte', value: 1000 },
          },
        ],
      },
    },
  },
  {
    id: 'vip',
    name: 'VIP level 3 and up',
    tags: ['vip'],
    rule: { include: { all: [{ field: 'vip_level', op: 'gte', value: 3 }] } },
  },
] as const;

/** Creates the starter segments when no segment exists; returns how many were created. */
export async function createStarterSegments(segments: SegmentRepository): Promise<number> {
  if ((await segments.listCurrent()).length > 0) return 0;
  for (const { id, ...definition } of STARTER_SEGMENTS) {
    await segments.create(definition, { createdBy: 'demo', id });
  }
  return STARTER_SEGMENTS.length;
}
