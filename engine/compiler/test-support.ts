// Shared helpers of the compiler tests: a catalogue with key-based fields of every type, a
// context builder, and evaluation of a (validated) rule against a test database.
import { DEFAULT_CATALOGUE, field, PLAYERS } from '../catalogue/default.ts';
import type { Catalogue, EventList, List } from '../catalogue/types.ts';
import type { Rule } from '../rules/schema.ts';
import { validateRule } from '../rules/validate.ts';
import type { Store } from '../store/clickhouse.ts';
import type { CompileContext, ResolvedSegment } from './context.ts';
import { evaluateRule } from './evaluate.ts';

export const AS_OF = Date.parse('2024-03-31T12:00:00Z');
export const SECOND = 1_000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Epoch milliseconds of an ISO time. */
export const at = (iso: string): number => {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new Error(`bad test time ${iso}`);
  return ms;
};

/** Operator-configured fields stored in attr_keys/attr_values and prop_keys/prop_values. */
const PLAYER_KEYS = [
  field('nickname', 'Nickname', 'string', { key: 'nickname' }),
  field('score', 'Score', 'number', { key: 'score' }),
  field('ltv', 'Lifetime value', 'money', { key: 'ltv' }),
  field('last_seen', 'Last seen', 'datetime', { key: 'last_seen' }),
  field('newsletter', 'Newsletter', 'boolean', { key: 'newsletter' }),
  field('interest', 'Interest', 'string_list', { key: 'interest' }),
];

const EVENT_KEYS = [
  field('bonus_code', 'Bonus code', 'string', { key: 'bonus_code' }),
  field('fee', 'Fee', 'money', { key: 'fee' }),
];

function withKeys(list: List): List {
  if (list.kind === 'players') return { ...PLAYERS, fields: [...list.fields, ...PLAYER_KEYS] };
  return { ...list, fields: [...list.fields, ...EVENT_KEYS] } satisfies EventList;
}

export const TEST_CATALOGUE: Catalogue = { lists: DEFAULT_CATALOGUE.lists.map(withKeys) };

export interface ContextOptions {
  readonly timezone?: string;
  readonly asOf?: number;
  readonly segments?: Readonly<Record<string, ResolvedSegment>>;
}

export function contextFor(opts: ContextOptions = {}): CompileContext {
  return {
    catalogue: TEST_CATALOGUE,
    timezone: opts.timezone ?? 'UTC',
    asOf: opts.asOf ?? AS_OF,
    resolveSegment: (id) => opts.segments?.[id],
  };
}

/** A rule whose include group is `all` of the given items. */
export const allOf = (...items: unknown[]): unknown => ({ include: { all: items } });

/** A rule as the engine gets it: validated first, so tests only ever use valid rules. */
export function valid(rule: unknown): Rule {
  return validateRule(rule, TEST_CATALOGUE);
}

export async function members(
  store: Store,
  rule: unknown,
  opts: ContextOptions = {},
): Promise<string[]> {
  return evaluateRule(store, valid(rule), contextFor(opts));
}
