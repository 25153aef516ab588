// Running a differential case on ClickHouse: the case's rows replace the tables' contents, then
// the compiler evaluates the rule with the same timezone, as-of time and segments.
import type { Catalogue } from '../../engine/catalogue/types.ts';
import type { CompileContext, ResolvedSegment } from '../../engine/compiler/index.ts';
import { evaluateRule } from '../../engine/compiler/evaluate.ts';
import type { Store } from '../../engine/store/clickhouse.ts';
import { insertEvents } from '../../engine/store/events.ts';
import { insertPlayers } from '../../engine/store/players.ts';
import type { DifferentialCase } from './cases.ts';
import { STATIC_VERSION } from './contexts.ts';
import { PLAYER_IDS } from './pools.ts';

const TABLES = ['players', 'events', 'static_segment_members'] as const;

export async function loadCase(store: Store, c: DifferentialCase): Promise<void> {
  await Promise.all(TABLES.map((table) => store.exec(`TRUNCATE TABLE ${table}`)));
  await insertPlayers(store, c.players);
  await insertEvents(store, c.events);
  await store.insert(
    'static_segment_members',
    ['segment_id', 'version', 'player_id'],
    staticRows(c),
  );
}

/**
 * The current version's members, plus an older version listing every other id: a query that
 * ignores the version would count those too.
 */
function staticRows(c: DifferentialCase): (string | number)[][] {
  return Object.entries(c.staticSegments).flatMap(([id, members]) => [
    ...members.map((player) => [id, STATIC_VERSION, player]),
    ...PLAYER_IDS.filter((p) => !members.includes(p)).map((player) => [id, 1, player]),
  ]);
}

export function compileContext(c: DifferentialCase, catalogue: Catalogue): CompileContext {
  return {
    catalogue,
    timezone: c.timezone,
    asOf: c.asOf,
    resolveSegment: (id): ResolvedSegment | undefined => {
      if (id in c.staticSegments) return { kind: 'static', id, version: STATIC_VERSION };
      const segment = c.segments.find((s) => s.id === id);
      return segment && { kind: 'rule', id, rule: segment.rule, timezone: segment.timezone };
    },
  };
}

export async function clickhouseMembers(
  store: Store,
  c: DifferentialCase,
  catalogue: Catalogue,
): Promise<string[]> {
  await loadCase(store, c);
  return evaluateRule(store, c.rule, compileContext(c, catalogue));
}
