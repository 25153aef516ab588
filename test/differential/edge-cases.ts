// The shape and builders of the hand-written edge cases (edge-cases-time.ts,
// edge-cases-values.ts and edge-cases-birth.ts, run by edge-cases.test.ts). Players a, b and c
// have empty profiles unless a case gives its own; times are ISO text; `expected` is what
// docs/rules.md asks for.
import type { Item, Rule } from '../../engine/rules/schema.ts';
import type { EventRow } from '../../engine/store/events.ts';
import type { PlayerRow } from '../../engine/store/players.ts';
import type { CaseSegment } from './cases.ts';

export interface EdgeCase {
  readonly name: string;
  readonly timezone?: string;
  readonly asOf: string;
  readonly rule: Item | Rule;
  readonly players?: PlayerRow[];
  readonly events?: EventRow[];
  readonly staticSegments?: Record<string, string[]>;
  readonly segments?: CaseSegment[];
  /** Members by the specification, sorted. */
  readonly expected: string[];
}

let nextId = 0;
export function deposit(player: string, time: string, amount = '1', extra: Partial<EventRow> = {}) {
  nextId += 1;
  return {
    event_id: `d${nextId}`,
    player_id: player,
    type: 'deposit',
    event_time: Date.parse(time),
    amount,
    ...extra,
  };
}

export const player = (player_id: string, fields: Partial<PlayerRow> = {}): PlayerRow => ({
  player_id,
  version: 1,
  ...fields,
});

/** "At least one deposit" in `window` (all time when absent). */
export const count = (window?: object): Item =>
  ({
    list: 'deposits',
    ...(window ? { window } : {}),
    measure: 'count',
    op: 'gte',
    value: 1,
  }) as Item;
