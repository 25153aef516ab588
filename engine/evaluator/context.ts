// What every engine step works with: connections, the membership writer and its mirror, the
// lease token that fences writes, the segments of this step and the as-of time.
import type { Redis } from 'ioredis';
import type { Catalogue } from '../catalogue/types.ts';
import type { EngineConfig } from '../config/config.ts';
import type { Logger } from '../log.ts';
import type { MembershipWriter } from '../membership/apply.ts';
import type { MembershipKeys } from '../membership/keys.ts';
import type { PlayerNumbers } from '../membership/numbers.ts';
import type { Store } from '../store/clickhouse.ts';
import type { EvaluationContext } from './evaluate.ts';
import type { SegmentCatalog } from './segments.ts';

export interface StepContext {
  readonly redis: Redis;
  readonly store: Store;
  readonly log: Logger;
  readonly keys: MembershipKeys;
  readonly token: string;
  readonly writer: MembershipWriter;
  readonly numbers: PlayerNumbers;
  readonly catalogue: Catalogue;
  readonly catalog: SegmentCatalog;
  readonly settings: EngineConfig;
  /** The as-of time of this step's evaluations, epoch milliseconds. */
  readonly asOf: number;
  /** Wall-clock time for durations, deadlines and retries (not the as-of clock). */
  readonly wallClock: () => number;
}

export function evaluationContext(ctx: StepContext): EvaluationContext {
  return {
    store: ctx.store,
    catalogue: ctx.catalogue,
    catalog: ctx.catalog,
    asOf: ctx.asOf,
    timeoutMs: ctx.settings.computeTimeoutMs,
  };
}
