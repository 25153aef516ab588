// Helpers of the member route tests (not a test file itself): a test API and a real engine on the
// same database and Redis prefix, so that membership comes from real evaluations, and the
// from-scratch evaluation the member list must equal.
import { DEFAULT_CATALOGUE, PLAYERS, field } from '../../engine/catalogue/default.ts';
import type { Catalogue } from '../../engine/catalogue/types.ts';
import { evaluateRule } from '../../engine/compiler/index.ts';
import { Engine } from '../../engine/evaluator/engine.ts';
import { silentLog, TEST_SETTINGS } from '../../engine/evaluator/test-support.ts';
import { loadResolver } from '../../engine/segments/references.ts';
import {
  createSegmentRepository,
  type SegmentRepository,
} from '../../engine/segments/repository.ts';
import { testApi, type TestApi } from '../test-support.ts';

/**
 * The built-in catalogue plus player attributes of every type (stored as attr_keys/attr_values)
 * and one field hidden from tables.
 */
export const MEMBER_CATALOGUE: Catalogue = {
  lists: DEFAULT_CATALOGUE.lists.map((list) =>
    list.kind === 'players'
      ? {
          ...PLAYERS,
          fields: [
            ...list.fields,
            field('nickname', 'Nickname', 'string', { key: 'nick' }),
            field('score', 'Score', 'number', { key: 'score' }),
            field('balance', 'Balance', 'money', { key: 'balance' }),
            field('vip_flag', 'VIP flag', 'boolean', { key: 'vip_flag' }),
            field('last_seen', 'Last seen', 'datetime', { key: 'last_seen' }),
            field('badges', 'Badges', 'string_list', { key: 'badge' }),
            field('note', 'Internal note', 'string', { key: 'note' }, { shownInTables: false }),
          ],
        }
      : list,
  ),
};

export interface MemberFixture {
  readonly api: TestApi;
  readonly repo: SegmentRepository;
  readonly engine: Engine;
  /** The engine's as-of clock, epoch milliseconds (whole seconds). */
  readonly clock: { now: number };
  /** Creates a rule segment with a chosen id. */
  segment(id: string, rule: unknown): Promise<void>;
  /** A from-scratch evaluation of the segment's current rule at the clock's time, sorted. */
  expected(id: string): Promise<string[]>;
  close(): Promise<void>;
}

/** `uiDir`: a built UI for the API to serve (browser tests). */
export async function memberFixture(
  name: string,
  opts: { readonly uiDir?: string } = {},
): Promise<MemberFixture> {
  const api = await testApi(name, { catalogue: MEMBER_CATALOGUE, ...opts });
  const store = api.db.store;
  const repo = createSegmentRepository(store, {
    catalogue: MEMBER_CATALOGUE,
    defaultTimezone: 'UTC',
  });
  const clock = { now: Math.floor(Date.now() / 1000) * 1000 };
  const engine = new Engine({
    ...{ redis: api.redis, store, log: silentLog, prefix: api.prefix },
    ...{ catalogue: MEMBER_CATALOGUE, segments: repo, owner: 'test', settings: TEST_SETTINGS },
    now: () => clock.now,
  });
  return {
    ...{ api, repo, engine, clock },
    segment: async (id, rule) => {
      await repo.create({ name: id, rule }, { createdBy: 'test', id });
    },
    expected: async (id) => {
      const saved = await repo.get(id);
      const rule = saved?.definition.rule;
      if (!saved || !rule || saved.definition.active === false) return [];
      const resolveSegment = await loadResolver(repo, rule);
      const ctx = { catalogue: MEMBER_CATALOGUE, timezone: saved.definition.timezone };
      return evaluateRule(store, rule, { ...ctx, asOf: clock.now, resolveSegment });
    },
    close: async () => {
      await engine.stop();
      await api.close();
    },
  };
}
