// The incremental path: every live segment evaluated in one query for just the players touched
// since the watermark, compared with the mirror at those players, and the differences applied.
// For the players it evaluates, a tick gives exactly what a sweep at the same as-of time gives:
// both run the same compiled predicates, a tick only restricts them to fewer players.
import type { BitChange } from '../membership/bitmap.ts';
import type { StatusError } from '../membership/status.ts';
import { evaluationContext, type StepContext } from './context.ts';
import { evaluatePlayers, type PlayersResult } from './evaluate.ts';
import type { EngineSegment } from './segments.ts';
import { advanceWatermark, readTouched, readWatermark, type TouchedLedger } from './touched.ts';

export type TickReport =
  /** No watermark yet, or too many touched players: a sweep must run instead. */
  | { readonly kind: 'sweep-needed'; readonly players: number }
  | {
      readonly kind: 'ticked';
      readonly players: number;
      readonly entered: number;
      readonly exited: number;
      readonly failed: ReadonlyMap<string, StatusError>;
    };

export async function tick(
  ctx: StepContext,
  live: readonly EngineSegment[],
  ledger: TouchedLedger,
): Promise<TickReport> {
  const watermark = await readWatermark(ctx.redis, ctx.keys);
  if (watermark === undefined) return { kind: 'sweep-needed', players: 0 };
  const from = watermark - Math.ceil(ctx.settings.overlapMs / 1000);
  const { players, newest } = ledger.update(await readTouched(ctx.store, from), from);
  if (players.length > ctx.settings.tickPlayerLimit) {
    return { kind: 'sweep-needed', players: players.length };
  }

  const result =
    players.length > 0 && live.length > 0
      ? await evaluatePlayers(evaluationContext(ctx), live, players)
      : { members: new Map(), failed: new Map() };
  const { entered, exited } = await applyTouched(ctx, live, players, result);
  await advanceWatermark(ctx.redis, ctx.keys, ctx.token, newest);
  if (players.length > 0) {
    ctx.log.debug({ players: players.length, entered, exited }, 'tick applied');
  }
  return { kind: 'ticked', players: players.length, entered, exited, failed: result.failed };
}

async function applyTouched(
  ctx: StepContext,
  live: readonly EngineSegment[],
  players: readonly string[],
  result: PlayersResult,
): Promise<{ entered: number; exited: number }> {
  const members = [...result.members.keys()];
  const others = players.filter((p) => !result.members.has(p));
  // Members get a number; a non-member without one has no bit anywhere to clear.
  const nums = new Map([
    ...(await ctx.numbers.lookup(others)),
    ...(await ctx.numbers.assign(members)),
  ]);

  let entered = 0;
  let exited = 0;
  for (const segment of live) {
    if (result.failed.has(segment.id)) continue;
    const bitmap = ctx.writer.bitmap(segment.id);
    const changes: BitChange[] = [];
    for (const [player, num] of nums) {
      const on = result.members.get(player)?.has(segment.id) ?? false;
      if (bitmap.get(num) !== on) changes.push({ num, on });
    }
    if (changes.length === 0) continue;
    const applied = await ctx.writer.apply(ctx.token, {
      ...{ segment: segment.id, version: segment.version, cause: 'tick', at: ctx.asOf, changes },
    });
    entered += applied.entered;
    exited += applied.exited;
  }
  return { entered, exited };
}
