// One differential case: an as-of time and timezone, players, events, two static segments, two
// rule segments (the second may reference the first) and the rule under test, which may
// reference all four. Generated as specs, resolved to plain rows and rule JSON.
import fc from 'fast-check';
import { DateTime } from 'luxon';
import type { Catalogue } from '../../engine/catalogue/types.ts';
import type { Rule } from '../../engine/rules/schema.ts';
import type { EventRow } from '../../engine/store/events.ts';
import type { PlayerRow } from '../../engine/store/players.ts';
import {
  eventSpecArb,
  playersArb,
  resolveEvents,
  resolvePlayers,
  staticMembersArb,
} from './data-arbitraries.ts';
import { TIMEZONES } from './pools.ts';
import { ruleArb, type ItemSpec } from './rule-arbitraries.ts';
import { asOfSpecArb, resolveAsOf, timeText, type TimeMarker } from './times.ts';

export interface CaseSegment {
  readonly id: string;
  readonly rule: Rule;
  readonly timezone: string;
}

export interface DifferentialCase {
  readonly timezone: string;
  /** Epoch milliseconds. */
  readonly asOf: number;
  readonly rule: Rule;
  readonly players: PlayerRow[];
  readonly events: EventRow[];
  readonly staticSegments: Record<string, string[]>;
  readonly segments: CaseSegment[];
}

export const STATIC_IDS = ['static-a', 'static-b'] as const;
export const RULE_SEGMENT_IDS = ['seg-a', 'seg-b'] as const;

const tzArb = fc.constantFrom(...TIMEZONES);

export function caseArb(catalogue: Catalogue): fc.Arbitrary<DifferentialCase> {
  const statics = [...STATIC_IDS];
  const segA = { catalogue, segments: statics };
  const segB = { catalogue, segments: [...statics, RULE_SEGMENT_IDS[0]] };
  const main = { catalogue, segments: [...statics, ...RULE_SEGMENT_IDS] };
  return fc
    .record({
      asOf: asOfSpecArb,
      timezone: tzArb,
      rule: ruleArb(main),
      players: playersArb,
      // Unbiased lengths: about 25 events on average, yet a failure still shrinks to a few.
      events: fc.noBias(fc.array(eventSpecArb, { maxLength: 50, size: 'max' })),
      staticMembers: fc.tuple(staticMembersArb, staticMembersArb),
      segmentRules: fc.tuple(ruleArb(segA, 1), ruleArb(segB, 1)),
      segmentZones: fc.tuple(tzArb, tzArb),
    })
    .map((spec) => {
      const asOf = resolveAsOf(spec.asOf);
      const tz = spec.timezone;
      const segments = RULE_SEGMENT_IDS.map((id, i) => ({
        id,
        timezone: spec.segmentZones[i]!,
        rule: resolveRuleTimes(spec.segmentRules[i]!, asOf, spec.segmentZones[i]!) as Rule,
      }));
      return {
        timezone: tz,
        asOf,
        rule: resolveRuleTimes(spec.rule, asOf, tz) as Rule,
        players: resolvePlayers(spec.players, asOf, tz),
        events: resolveEvents(spec.events, asOf, tz),
        staticSegments: Object.fromEntries(STATIC_IDS.map((id, i) => [id, spec.staticMembers[i]!])),
        segments,
      };
    });
}

/** Replaces TimeMarkers with rule text; `between` pairs and ranges are put in order. */
export function resolveRuleTimes(value: unknown, asOf: number, tz: string): unknown {
  if (Array.isArray(value)) return value.map((v) => resolveRuleTimes(v, asOf, tz));
  if (value === null || typeof value !== 'object') return value;
  const spec = value as ItemSpec;
  if ('$time' in spec) return timeText(spec as unknown as TimeMarker, asOf, tz);
  if ('$between' in spec) return orderedTimes(spec.$between as TimeMarker[], asOf, tz);
  if ('$range' in spec) {
    const [from, to] = orderedTimes(spec.$range as TimeMarker[], asOf, tz);
    return { from, to };
  }
  return Object.fromEntries(
    Object.entries(spec).map(([k, v]) => [k, resolveRuleTimes(v, asOf, tz)]),
  );
}

function orderedTimes(markers: readonly TimeMarker[], asOf: number, tz: string): string[] {
  const texts = markers.map((m) => timeText(m, asOf, tz));
  const instant = (text: string) => DateTime.fromISO(text, { zone: tz }).toMillis();
  return texts.sort((a, b) => instant(a) - instant(b));
}
