// What the pipeline tests check at the end: the events stored in ClickHouse, and for every
// segment the three views that must agree: the count in Redis, the member list from the bitmap
// and a from-scratch evaluation of the segment's rule (evaluateRule) at the same as-of time.
import { Redis } from 'ioredis';
import { DEFAULT_CATALOGUE } from '../../engine/catalogue/default.ts';
import { evaluateRule } from '../../engine/compiler/index.ts';
import { allMembers } from '../../engine/evaluator/test-support.ts';
import { membershipReader, type MembershipReader } from '../../engine/membership/read.ts';
import { loadResolver } from '../../engine/segments/references.ts';
import {
  createSegmentRepository,
  type SegmentRepository,
} from '../../engine/segments/repository.ts';
import { sqlString } from '../../engine/sql/literal.ts';
import type { Store } from '../../engine/store/clickhouse.ts';

export interface Truth {
  readonly store: Store;
  readonly redis: Redis;
  readonly prefix: string;
  readonly repo: SegmentRepository;
  readonly reader: MembershipReader;
  close(): void;
}

export function openTruth(store: Store, redisUrl: string, prefix: string): Truth {
  const redis = new Redis(redisUrl);
  redis.on('error', () => undefined);
  const repo = createSegmentRepository(store, {
    catalogue: DEFAULT_CATALOGUE,
    defaultTimezone: 'UTC',
  });
  const reader = membershipReader({ redis, store, prefix });
  return { store, redis, prefix, repo, reader, close: () => redis.disconnect() };
}

export async function createSegments(t: Truth, rules: Record<string, unknown>): Promise<void> {
  for (const [id, rule] of Object.entries(rules)) {
    await t.repo.create({ name: id, rule }, { createdBy: 'pipeline-test', id });
  }
}

/** A segment as the engine keeps it and as a from-scratch evaluation sees it. */
export interface View {
  readonly segment: string;
  readonly count: number | undefined;
  readonly members: string[];
  readonly expected: string[];
}

/** A from-scratch evaluation of the segment's current rule at `asOf`, sorted ids. */
export async function expectedMembers(t: Truth, segment: string, asOf: number): Promise<string[]> {
  const saved = await t.repo.get(segment);
  const rule = saved?.definition.rule;
  if (!saved || !rule || saved.definition.active === false) return [];
  const resolveSegment = await loadResolver(t.repo, rule);
  const ctx = { catalogue: DEFAULT_CATALOGUE, timezone: saved.definition.timezone };
  return evaluateRule(t.store, rule, { ...ctx, asOf, resolveSegment });
}

export async function viewOf(t: Truth, segment: string): Promise<View> {
  const [count, members, expected] = await Promise.all([
    t.reader.count(segment),
    allMembers(t.reader, segment),
    expectedMembers(t, segment, Date.now()),
  ]);
  return { segment, count, members, expected };
}

export function agrees(v: View): boolean {
  return v.count === v.expected.length && v.members.join('\n') === v.expected.join('\n');
}

/**
 * Polls until every segment's three views agree, or the deadline passes; returns the views of
 * the segments that still disagree (empty when all agree).
 */
export async function converge(
  t: Truth,
  segments: readonly string[],
  timeoutMs: number,
): Promise<View[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const views = await Promise.all(segments.map((s) => viewOf(t, s)));
    const off = views.filter((v) => !agrees(v));
    if (off.length === 0 || Date.now() > deadline) return off;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

export interface StoredEvents {
  /** Rows in the table, before merges. */
  readonly rows: number;
  /** Rows after ReplacingMergeTree collapsing (FINAL). */
  readonly final: number;
  /** Distinct (player_id, event_id) pairs. */
  readonly distinct: number;
}

export async function storedEvents(store: Store): Promise<StoredEvents> {
  const [row] = await store.rows<StoredEvents>(
    `SELECT
       (SELECT count() FROM events) AS rows,
       (SELECT count() FROM events FINAL) AS final,
       (SELECT count(DISTINCT (player_id, event_id)) FROM events) AS distinct`,
  );
  return {
    rows: Number(row?.rows ?? 0),
    final: Number(row?.final ?? 0),
    distinct: Number(row?.distinct ?? 0),
  };
}

/** `player|event_id` of every stored event, sorted. */
export async function storedEventKeys(store: Store): Promise<string[]> {
  const rows = await store.rows<{ k: string }>(
    `SELECT concat(player_id, '|', event_id) AS k FROM events FINAL`,
  );
  return rows.map((r) => r.k).sort();
}

export interface Journal {
  /** Transition rows stored more than once. */
  readonly duplicates: number;
  /** Segments whose stored transitions do not replay to their members. */
  readonly replayMismatch: string[];
}

/** Once the engine emptied its journal into ClickHouse: duplicates and replay of transitions. */
export async function journalCheck(
  t: Truth,
  segments: readonly string[],
  timeoutMs: number,
): Promise<Journal> {
  const deadline = Date.now() + timeoutMs;
  while ((await t.redis.xlen(`${t.prefix}journal`)) > 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const [dup] = await t.store.rows<{ n: number }>(
    `SELECT count() - uniqExact(journal_id, player_id) AS n FROM membership_transitions`,
  );
  const replayMismatch: string[] = [];
  for (const id of segments) {
    const rows = await t.store.rows<{ player_id: string }>(
      `SELECT player_id FROM membership_transitions WHERE segment_id = ${sqlString(id)}
       GROUP BY player_id HAVING argMax(kind, seq) = 'entered'`,
    );
    const replayed = rows.map((r) => r.player_id).sort();
    if (replayed.join() !== (await allMembers(t.reader, id)).join()) replayMismatch.push(id);
  }
  return { duplicates: Number(dup?.n ?? 0), replayMismatch };
}
