// A full evaluation of segments over every player: the periodic sweep (all live segments) and the
// computation of new or edited ones. One query returns each member as player number + flags; the
// wanted bitmaps are compared with the mirror in memory and only the differences go to Redis.
// Players leave segments here when their events age out of a window without any new event.
import { summarizeRule } from '../rules/summary.ts';
import type { Cause } from '../membership/apply.ts';
import { diffBitmaps } from '../membership/bitmap.ts';
import type { StatusError } from '../membership/status.ts';
import { evaluationContext, type StepContext } from './context.ts';
import { evaluateAll, type FullResult } from './evaluate.ts';
import type { EngineSegment } from './segments.ts';

export interface SweepReport {
  readonly failed: ReadonlyMap<string, StatusError>;
  readonly entered: number;
  readonly exited: number;
  readonly durationMs: number;
}

export async function sweepSegments(
  ctx: StepContext,
  segments: readonly EngineSegment[],
  cause: Extract<Cause, 'sweep' | 'compute'>,
): Promise<SweepReport> {
  const started = ctx.wallClock();
  const result = await evaluateAll(evaluationContext(ctx), segments);
  await numberNewMembers(ctx, result);

  let entered = 0;
  let exited = 0;
  for (const segment of segments) {
    const wanted = result.wanted.get(segment.id);
    if (!wanted) continue;
    const changes = diffBitmaps(ctx.writer.bitmap(segment.id), wanted);
    const { version } = segment;
    const applied =
      changes.length === 0
        ? { entered: 0, exited: 0 }
        : await ctx.writer.apply(ctx.token, {
            ...{ segment: segment.id, version, cause, at: ctx.asOf, changes },
          });
    entered += applied.entered;
    exited += applied.exited;
    if (cause === 'compute') logComputed(ctx, segment, applied);
  }
  const durationMs = ctx.wallClock() - started;
  ctx.log.info(
    { cause, segments: segments.length, failed: result.failed.size, entered, exited, durationMs },
    'segments evaluated',
  );
  return { failed: result.failed, entered, exited, durationMs };
}

/** A new or edited segment's first evaluation, with its rule in words for the record. */
function logComputed(
  ctx: StepContext,
  segment: EngineSegment,
  applied: { entered: number; exited: number },
): void {
  const { rule, id } = segment.batch;
  // Static segments are evaluated through a rule of their own (segments.ts): not the user's.
  const summary = id === segment.id ? summarizeRule(rule, ctx.catalogue) : 'Uploaded list';
  const { entered, exited } = applied;
  ctx.log.info(
    { segment: segment.id, version: segment.version, summary, entered, exited },
    'segment computed',
  );
}

/** Numbers members seen for the first time and adds them to the wanted bitmaps. */
async function numberNewMembers(ctx: StepContext, result: FullResult): Promise<void> {
  if (result.unnumbered.size === 0) return;
  const nums = await ctx.numbers.assign([...result.unnumbered.keys()]);
  for (const [player, segments] of result.unnumbered) {
    const num = nums.get(player);
    if (num === undefined) continue;
    for (const segment of segments) result.wanted.get(segment)?.set(num, true);
  }
}
