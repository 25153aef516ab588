// Helpers of the engine tests (not a test file itself): an engine on a fresh database and Redis
// prefix with an injected as-of clock, and the three views of a segment that must agree: the
// count in Redis, the member list from the bitmap, and a from-scratch evaluateRule.
import { Redis } from 'ioredis';
import { DEFAULT_CATALOGUE, PLAYERS, field } from '../catalogue/default.ts';
import type { Catalogue } from '../catalogue/types.ts';
import { evaluateRule } from '../compiler/index.ts';
import type { EngineConfig } from '../config/config.ts';
import { createLogger, type Logger } from '../log.ts';
import { membershipReader, type MembershipReader } from '../membership/read.ts';
import { loadResolver } from '../segments/references.ts';
import { createSegmentRepository, type SegmentRepository } from '../segments/repository.ts';
import { sqlString } from '../sql/literal.ts';
import type { EventRow } from '../store/events.ts';
import {
  testDatabase,
  testRedisUrl,
  uniqueName,
  type TestDatabase,
} from '../../test/support/isolation.ts';
import { Engine } from './engine.ts';

export const silentLog = createLogger('silent');

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A field whose column does not exist: rules using it compile, and ClickHouse refuses them. */
export const TEST_CATALOGUE: Catalogue = {
  lists: DEFAULT_CATALOGUE.lists.map((list) =>
    list.kind === 'players'
      ? { ...PLAYERS, fields: [...list.fields, field('broken', 'Broken', 'string')] }
      : list,
  ),
};

/** Fast settings; sweeps only when a test asks for one (requestSweep). */
export const TEST_SETTINGS: EngineConfig = {
  tickMs: 50,
  sweepIntervalMs: 3_600_000,
  overlapMs: 3_000,
  tickPlayerLimit: 10_000,
  leaseMs: 5_000,
  computeTimeoutMs: 30_000,
  retryMs: 100,
  historyMinuteDays: 7,
};

export interface Harness {
  readonly db: TestDatabase;
  readonly redis: Redis;
  readonly prefix: string;
  readonly repo: SegmentRepository;
  readonly reader: MembershipReader;
  readonly clock: { now: number };
  /** An engine on the harness's database and prefix; its as-of clock is `clock` by default. */
  engine(
    settings?: Partial<EngineConfig>,
    owner?: string,
    now?: () => number,
    log?: Logger,
  ): Engine;
  /** Members from the bitmap (all pages), sorted. */
  members(segment: string): Promise<string[]>;
  /** A from-scratch evaluation of the segment's current rule at the clock's time. */
  expected(segment: string): Promise<string[]>;
  close(): Promise<void>;
}

export async function harness(
  name: string,
  redisUrl = testRedisUrl(),
  start = Date.now(),
): Promise<Harness> {
  const db = await testDatabase(name);
  const redis = new Redis(redisUrl);
  redis.on('error', () => undefined);
  const prefix = `${uniqueName(name)}:`;
  const repo = createSegmentRepository(db.store, {
    catalogue: TEST_CATALOGUE,
    defaultTimezone: 'UTC',
  });
  const clock = { now: Math.floor(start / 1000) * 1000 };
  const reader = membershipReader({ redis, store: db.store, prefix });
  const engines: Engine[] = [];
  return {
    ...{ db, redis, prefix, repo, reader, clock },
    engine: (settings = {}, owner = 'test', now = () => clock.now, log = silentLog) => {
      const engine = new Engine({
        ...{ redis, store: db.store, log, prefix, catalogue: TEST_CATALOGUE },
        ...{ segments: repo, owner, settings: { ...TEST_SETTINGS, ...settings }, now },
      });
      engines.push(engine);
      return engine;
    },
    members: (segment) => allMembers(reader, segment),
    expected: async (segment) => {
      const saved = await repo.get(segment);
      const rule = saved?.definition.rule;
      if (!saved || !rule || saved.definition.active === false) return [];
      const resolveSegment = await loadResolver(repo, rule);
      const ctx = { catalogue: TEST_CATALOGUE, timezone: saved.definition.timezone };
      return evaluateRule(db.store, rule, { ...ctx, asOf: clock.now, resolveSegment });
    },
    close: async () => {
      for (const engine of engines) await engine.stop();
      redis.disconnect();
      await db.drop();
    },
  };
}

export async function allMembers(reader: MembershipReader, segment: string): Promise<string[]> {
  const ids: string[] = [];
  let after: number | undefined;
  do {
    const page = await reader.members(segment, { after, limit: 1_000 });
    ids.push(...page.members.map((m) => m.id));
    after = page.next;
  } while (after !== undefined);
  return ids.sort();
}

let nextEvent = 0;

/** An event row with a fresh id. */
export function event(
  player: string,
  type: string,
  time: number,
  extra: Partial<EventRow> = {},
): EventRow {
  nextEvent += 1;
  return {
    event_id: `ev-${process.pid}-${nextEvent}`,
    player_id: player,
    type,
    event_time: time,
    ...extra,
  };
}

/** Transitions in ClickHouse for a segment: `player:kind` in time order. */
export async function transitions(h: Harness, segment: string): Promise<string[]> {
  const rows = await h.db.store.rows<{ player_id: string; kind: string }>(
    `SELECT player_id, kind FROM membership_transitions
     WHERE segment_id = ${sqlString(segment)}
     ORDER BY seq, player_id`,
  );
  return rows.map((r) => `${r.player_id}:${r.kind}`);
}
