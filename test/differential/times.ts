// Times in generated cases are specs relative to the case's as-of time and timezone (start of a
// day, week or month, a window's lower bound, a DST change), resolved once both are known. That
// puts event times and rule values on window edges far more often than random instants would,
// and specs shrink to readable values.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { AS_OF_ANCHORS, DURATIONS, FIXED_TIMES } from './pools.ts';

export type Anchor = 'as_of' | 'day' | 'week' | 'month' | 'rolling' | 'fixed';

export interface TimeSpec {
  readonly anchor: Anchor;
  /** Days / weeks / months from the as-of period, or an index into DURATIONS / FIXED_TIMES. */
  readonly step: number;
  readonly deltaMs: number;
}

/** How a time value appears in a rule: UTC, another offset, or a date alone. */
export type TimeForm = 'Z' | '+01:00' | '-05:00' | '+05:30' | 'local' | 'date';

export interface TimeMarker {
  readonly $time: TimeSpec;
  readonly form: TimeForm;
}

const UNIT_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000, week: 604_800_000 };

const EDGE_DELTAS = [0, 0, 0, -1000, 1000, -1, 1, 999, -999, 500, -3_600_000, 3_600_000];

export const deltaArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...EDGE_DELTAS) },
  { weight: 1, arbitrary: fc.integer({ min: -3 * 86_400_000, max: 86_400_000 }) },
);

const spec = (anchor: Anchor, step: fc.Arbitrary<number>) =>
  fc.record({ anchor: fc.constant(anchor), step, deltaMs: deltaArb });

/** Mostly near the as-of time, where windows are; now and then a fixed far-away instant. */
export const timeSpecArb: fc.Arbitrary<TimeSpec> = fc.oneof(
  { weight: 3, arbitrary: spec('as_of', fc.constant(0)) },
  { weight: 3, arbitrary: spec('day', fc.integer({ min: -8, max: 1 })) },
  { weight: 1, arbitrary: spec('week', fc.integer({ min: -2, max: 0 })) },
  { weight: 1, arbitrary: spec('month', fc.integer({ min: -2, max: 0 })) },
  { weight: 3, arbitrary: spec('rolling', fc.nat({ max: DURATIONS.length - 1 })) },
  { weight: 1, arbitrary: spec('fixed', fc.nat({ max: FIXED_TIMES.length - 1 })) },
);

export const timeMarkerArb: fc.Arbitrary<TimeMarker> = fc.record({
  $time: timeSpecArb,
  form: fc.constantFrom<TimeForm>('Z', '+01:00', '-05:00', '+05:30', 'local', 'date', 'date'),
});

export interface AsOfSpec {
  readonly anchor: number;
  readonly days: number;
  readonly secondOfDay: number;
  readonly ms: number;
}

const SPECIAL_SECONDS = [0, 1, 1_800, 3_600, 5_400, 7_200, 9_000, 79_200, 82_800, 86_399];

export const asOfSpecArb: fc.Arbitrary<AsOfSpec> = fc.record({
  anchor: fc.nat({ max: AS_OF_ANCHORS.length - 1 }),
  days: fc.oneof(fc.constant(0), fc.integer({ min: -2, max: 35 })),
  secondOfDay: fc.oneof(fc.constantFrom(...SPECIAL_SECONDS), fc.nat({ max: 86_399 })),
  ms: fc.oneof(
    { weight: 5, arbitrary: fc.constant(0) },
    { weight: 1, arbitrary: fc.nat({ max: 999 }) },
  ),
});

export function resolveAsOf(spec: AsOfSpec): number {
  return AS_OF_ANCHORS[spec.anchor]! + spec.days * 86_400_000 + spec.secondOfDay * 1000 + spec.ms;
}

/** Epoch milliseconds of a spec at `asOf` in `tz`. */
export function resolveTime(spec: TimeSpec, asOf: number, tz: string): number {
  const local = DateTime.fromMillis(asOf, { zone: tz });
  let base: number;
  switch (spec.anchor) {
    case 'as_of':
      base = asOf;
      break;
    case 'day':
      base = local.startOf('day').plus({ days: spec.step }).toMillis();
      break;
    case 'week':
      base = local.startOf('week').plus({ weeks: spec.step }).toMillis();
      break;
    case 'month':
      base = local.startOf('month').plus({ months: spec.step }).toMillis();
      break;
    case 'rolling': {
      const d = DURATIONS[spec.step]!;
      base =
        d.unit === 'month'
          ? local.minus({ months: d.last }).toMillis()
          : asOf - d.last * UNIT_MS[d.unit];
      break;
    }
    case 'fixed':
      base = FIXED_TIMES[spec.step]!;
  }
  // Stays after 1970-01-02 in every timezone: DateTime (and validateRule) start at 1970.
  return Math.max(2 * 86_400_000, base + spec.deltaMs);
}

/** The marker as rule text, e.g. "2024-03-31T02:59:59+01:00" or "2024-03-31". */
export function timeText(marker: TimeMarker, asOf: number, tz: string): string {
  const ms = resolveTime(marker.$time, asOf, tz);
  const zone = { local: tz, Z: 'UTC', date: tz }[marker.form as string] ?? `UTC${marker.form}`;
  const t = DateTime.fromMillis(ms, { zone });
  if (marker.form === 'date') return t.toISODate()!;
  const fraction = t.millisecond === 0 ? '' : `.${String(t.millisecond).padStart(3, '0')}`;
  const offset = marker.form === 'Z' ? 'Z' : t.toFormat('ZZ');
  return `${t.toFormat("yyyy-MM-dd'T'HH:mm:ss")}${fraction}${offset}`;
}
