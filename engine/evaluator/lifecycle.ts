// Segment lifecycle, run at the start of every step: removes the members of deleted and
// deactivated segments, and computes the segments that need a full evaluation: new or edited
// ones (and the segments that use an edited one), failed ones whose retry time came, and
// "computing" ones. Within an engine a computation runs inside its step, so a segment found in
// "computing" at the start of a step was left so by an engine that crashed or lost its lease:
// it is stuck and computed again.
import type { Cause } from '../membership/apply.ts';
import {
  readStatuses,
  writeStatus,
  type SegmentStatus,
  type StatusError,
  type StatusUpdate,
} from '../membership/status.ts';
import type { StepContext } from './context.ts';
import type { EngineSegment } from './segments.ts';
import { sweepSegments } from './sweep.ts';

export interface LifecycleReport {
  /** Segments whose members are current: the ones ticks and sweeps evaluate. */
  readonly live: EngineSegment[];
  readonly computed: string[];
  readonly failed: string[];
  readonly removed: string[];
}

export async function runLifecycle(ctx: StepContext): Promise<LifecycleReport> {
  const { segments } = ctx.catalog;
  const known = new Set([...(await ctx.redis.smembers(ctx.keys.segments)), ...segments.keys()]);
  const statuses = await readStatuses(ctx.redis, ctx.keys, [...known]);

  // Segments that use a deleted or deactivated segment are evaluated again, like after an edit.
  const removed: string[] = [];
  for (const id of known) {
    const segment = segments.get(id);
    if (!segment) {
      await clearMembers(ctx, id, statuses.get(id)?.version ?? 0, 'deleted');
      await ctx.writer.drop(ctx.token, id);
      removed.push(id);
    } else if (!segment.active && !isInactive(statuses.get(id), segment)) {
      await clearMembers(ctx, id, segment.version, 'deactivated');
      await writeStatus(ctx.redis, ctx.keys, ctx.token, id, inactiveStatus(segment.version));
      removed.push(id);
    }
  }

  const due = await dueSegments(ctx, statuses, removed);
  const failed = due.length > 0 ? await compute(ctx, due) : new Map<string, StatusError>();
  const live = [...segments.values()].filter((s) => {
    const status = statuses.get(s.id);
    const computed = due.includes(s) && !failed.has(s.id);
    return computed || (s.active && status?.state === 'live' && status.version === s.version);
  });
  return { live, computed: due.map((s) => s.id), failed: [...failed.keys()], removed };
}

function isInactive(status: SegmentStatus | undefined, segment: EngineSegment): boolean {
  return status?.state === 'inactive' && status.version === segment.version;
}

/**
 * New, edited, failed-and-due and stuck segments, and the segments that use an edited or
 * removed one (directly or through others).
 */
async function dueSegments(
  ctx: StepContext,
  statuses: ReadonlyMap<string, SegmentStatus>,
  removed: readonly string[],
): Promise<EngineSegment[]> {
  const active = [...ctx.catalog.segments.values()].filter((s) => s.active);
  const now = ctx.wallClock();
  const edited = active.filter((s) => {
    const status = statuses.get(s.id);
    return status?.version !== undefined && status.version !== s.version;
  });
  const dependents = new Set<string>();
  for (const id of [...edited.map((s) => s.id), ...removed]) {
    for (const user of await ctx.catalog.dependents(id)) dependents.add(user);
  }
  return active.filter((s) => {
    const status = statuses.get(s.id);
    if (dependents.has(s.id) || status?.version !== s.version) return true;
    if (status.state === 'failed') return (status.retryAt ?? 0) <= now;
    return status.state !== 'live';
  });
}

/** Full evaluation of the due segments; writes their status. Returns the failed ones. */
async function compute(
  ctx: StepContext,
  due: readonly EngineSegment[],
): Promise<Map<string, StatusError>> {
  const started = ctx.wallClock();
  const deadline = started + ctx.settings.computeTimeoutMs;
  for (const s of due) {
    const update: StatusUpdate = { state: 'computing', version: s.version, started_at: started };
    await writeStatus(ctx.redis, ctx.keys, ctx.token, s.id, { ...update, deadline });
  }
  const report = await sweepSegments(ctx, due, 'compute');
  const previous = await readStatuses(ctx.redis, ctx.keys, [...report.failed.keys()]);
  for (const s of due) {
    const error = report.failed.get(s.id);
    const update = error
      ? failedStatus(ctx, s.version, error, previous.get(s.id)?.attempts ?? 0)
      : liveStatus(s.version, ctx.wallClock(), report.durationMs);
    await writeStatus(ctx.redis, ctx.keys, ctx.token, s.id, update);
  }
  return new Map(report.failed);
}

/** Removes every member of a segment, recording their exits. */
async function clearMembers(
  ctx: StepContext,
  segment: string,
  version: number,
  cause: Cause,
): Promise<void> {
  const bitmap = ctx.writer.bitmap(segment);
  const changes = [...bitmap.members()].map((num) => ({ num, on: false }));
  if (changes.length === 0) return;
  await ctx.writer.apply(ctx.token, { segment, version, cause, at: ctx.asOf, changes });
}

export function liveStatus(version: number, now: number, durationMs: number): StatusUpdate {
  return {
    state: 'live',
    version,
    last_computed_at: now,
    duration_ms: durationMs,
    ...CLEARED,
  };
}

export function failedStatus(
  ctx: StepContext,
  version: number,
  error: StatusError,
  attempts: number,
): StatusUpdate {
  return {
    ...CLEARED,
    state: 'failed',
    version,
    error_code: error.code,
    error_message: error.message,
    attempts: attempts + 1,
    retry_at: ctx.wallClock() + ctx.settings.retryMs,
  };
}

function inactiveStatus(version: number): StatusUpdate {
  return { state: 'inactive', version, ...CLEARED };
}

/** The fields of a failure and of a running computation, removed. */
const CLEARED: StatusUpdate = {
  error_code: null,
  error_message: null,
  attempts: 0,
  retry_at: null,
  started_at: null,
  deadline: null,
};
