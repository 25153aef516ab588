// The streaming engine. Each step, the process holding the lease:
//   1. takes or renews the lease (standby processes stop here and try again next step);
//   2. after taking the lease or a Redis reconnect: repairs what Redis lost and reloads the
//      mirror of every bitmap (resync);
//   3. runs the segment lifecycle: deleted / deactivated segments lose their members, new,
//      edited and failed-and-due segments are computed;
//   4. runs a sweep when one is due (ENGINE_SWEEP_INTERVAL_MS), else a tick;
//   5. writes finished minutes of size history, and once an hour rolls old days up.
// The transition journal is written to ClickHouse by a loop of its own beside the steps.
import type { Redis } from 'ioredis';
import type { Catalogue } from '../catalogue/types.ts';
import type { EngineConfig } from '../config/config.ts';
import { sleep } from '../ingest/backoff.ts';
import type { Logger } from '../log.ts';
import { MembershipWriter } from '../membership/apply.ts';
import { flushSizes, rollupSizes } from '../membership/history.ts';
import { membershipKeys, type MembershipKeys } from '../membership/keys.ts';
import { Lease } from '../membership/lease.ts';
import { playerNumbers } from '../membership/numbers.ts';
import { recoverRedis } from '../membership/recover.ts';
import { readStatuses, writeStatus } from '../membership/status.ts';
import type { SegmentRepository } from '../segments/repository.ts';
import type { Store } from '../store/clickhouse.ts';
import type { StepContext } from './context.ts';
import { JournalLoop } from './journal-loop.ts';
import { failedStatus, runLifecycle, type LifecycleReport } from './lifecycle.ts';
import { segmentCatalog } from './segments.ts';
import { sweepSegments, type SweepReport } from './sweep.ts';
import { tick, type TickReport } from './tick.ts';
import { advanceWatermark, latestIngestion, readTouched, TouchedLedger } from './touched.ts';

export interface EngineOptions {
  readonly redis: Redis;
  readonly store: Store;
  readonly log: Logger;
  /** REDIS_PREFIX. */
  readonly prefix: string;
  readonly catalogue: Catalogue;
  readonly segments: Pick<SegmentRepository, 'listCurrent'>;
  /** Names this process in the lease token, e.g. host:pid. */
  readonly owner: string;
  readonly settings: EngineConfig;
  /** The as-of clock of evaluations, epoch milliseconds; Date.now by default (tests inject). */
  readonly now?: () => number;
}

export type StepReport =
  | { readonly role: 'standby' }
  | {
      readonly role: 'leader';
      readonly lifecycle: LifecycleReport;
      readonly sweep?: SweepReport;
      readonly tick?: TickReport;
    };

const ROLLUP_INTERVAL_MS = 3_600_000;
const SIZES_INTERVAL_MS = 5_000;

export class Engine {
  readonly keys: MembershipKeys;
  private readonly lease: Lease;
  private readonly writer: MembershipWriter;
  private readonly ledger = new TouchedLedger();
  private readonly journal: JournalLoop;
  private holding = false;
  private resyncNeeded = true;
  private nextSweepAt = 0;
  private nextSizesAt = 0;
  private nextRollupAt = 0;
  private running: Promise<void> | undefined;
  private readonly abort = new AbortController();

  constructor(private readonly opts: EngineOptions) {
    this.keys = membershipKeys(opts.prefix);
    this.lease = new Lease(opts.redis, this.keys, opts.settings.leaseMs, opts.owner);
    this.writer = new MembershipWriter(opts.redis, this.keys);
    this.journal = new JournalLoop(opts, this.keys, {
      holding: () => this.holding,
      renew: () => this.holdsLease(),
    });
    // A reconnect may mean Redis restarted and lost its last writes: check before writing.
    opts.redis.on('ready', () => (this.resyncNeeded = true));
  }

  get token(): string {
    return this.lease.token;
  }

  /** Whether this process holds the lease (renewing it). */
  async holdsLease(): Promise<boolean> {
    this.holding = await this.lease.acquire();
    if (!this.holding) this.resyncNeeded = true;
    return this.holding;
  }

  /** One step (see the top of this file). Errors propagate; the loop retries them. */
  async step(): Promise<StepReport> {
    if (!(await this.holdsLease())) return { role: 'standby' };
    // Renewed beside the step too: a long computation must not let the lease lapse.
    const renewal = setInterval(() => {
      this.holdsLease().catch(() => (this.holding = false));
    }, this.opts.settings.leaseMs / 3);
    try {
      return await this.leaderStep();
    } finally {
      clearInterval(renewal);
    }
  }

  private async leaderStep(): Promise<StepReport> {
    const ctx = await this.context();
    if (this.resyncNeeded) await this.resync(ctx);
    const lifecycle = await runLifecycle(ctx);
    const report =
      ctx.wallClock() >= this.nextSweepAt
        ? { sweep: await this.sweep(ctx, lifecycle) }
        : await this.tickOrSweep(ctx, lifecycle);
    await this.housekeeping(ctx);
    return { role: 'leader', lifecycle, ...report };
  }

  /** Writes every transition waiting in the journal to ClickHouse now. */
  drainJournal(): Promise<void> {
    return this.journal.drain();
  }

  /** Makes the next step a sweep (tests and operators). */
  requestSweep(): void {
    this.nextSweepAt = 0;
  }

  /** Runs steps every ENGINE_TICK_MS until stop(); the journal loop runs beside them. */
  start(): void {
    if (this.running) return;
    this.journal.start();
    this.running = this.loop();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
    await this.journal.stop();
    if (this.holding) await this.lease.release().catch(() => undefined);
    this.holding = false;
  }

  private async loop(): Promise<void> {
    const { log, settings } = this.opts;
    log.info({ owner: this.opts.owner }, 'engine started');
    let failures = 0;
    while (!this.abort.signal.aborted) {
      const started = Date.now();
      try {
        await this.step();
        failures = 0;
      } catch (err) {
        failures += 1;
        this.resyncNeeded = true;
        this.ledger.reset();
        log.warn({ attempt: failures, reason: String(err).slice(0, 300) }, 'engine step failed');
      }
      const pause = failures > 0 ? Math.min(5_000, 250 * 2 ** failures) : settings.tickMs;
      await sleep(Math.max(0, started + pause - Date.now()), this.abort.signal);
    }
    log.info({ owner: this.opts.owner }, 'engine stopped');
  }

  private async context(): Promise<StepContext> {
    const { opts } = this;
    const catalog = segmentCatalog(await opts.segments.listCurrent());
    return {
      redis: opts.redis,
      store: opts.store,
      log: opts.log,
      keys: this.keys,
      token: this.lease.token,
      writer: this.writer,
      numbers: playerNumbers(opts.redis, opts.store, this.keys),
      catalogue: opts.catalogue,
      catalog,
      settings: opts.settings,
      asOf: (opts.now ?? Date.now)(),
      wallClock: Date.now,
    };
  }

  /** Repairs Redis if it lost data, reloads the mirror and checks every count against it. */
  private async resync(ctx: StepContext): Promise<void> {
    await recoverRedis(ctx);
    const ids = await ctx.redis.smembers(this.keys.segments);
    await this.writer.load(ids);
    const statuses = await readStatuses(ctx.redis, this.keys, ids);
    for (const [id, status] of statuses) {
      const bits = this.writer.bitmap(id).count();
      if (bits === status.count) continue;
      ctx.log.warn({ segment: id, count: status.count, bits }, 'segment count repaired');
      await writeStatus(ctx.redis, this.keys, ctx.token, id, { count: bits });
    }
    this.ledger.reset();
    this.resyncNeeded = false;
    this.nextSweepAt = 0;
    ctx.log.info({ segments: ids.length }, 'membership loaded');
  }

  private async tickOrSweep(
    ctx: StepContext,
    lifecycle: LifecycleReport,
  ): Promise<{ tick?: TickReport; sweep?: SweepReport }> {
    const report = await tick(ctx, lifecycle.live, this.ledger);
    if (report.kind === 'sweep-needed')
      return { tick: report, sweep: await this.sweep(ctx, lifecycle) };
    await this.markFailed(ctx, lifecycle, report.failed);
    return { tick: report };
  }

  /**
   * A sweep of every live segment. What was ingested before it started is evaluated by it, so
   * the watermark moves there, and the rows of the overlap count as seen for the next tick.
   */
  private async sweep(ctx: StepContext, lifecycle: LifecycleReport): Promise<SweepReport> {
    this.nextSweepAt = ctx.wallClock() + this.opts.settings.sweepIntervalMs;
    const newest = await latestIngestion(ctx.store);
    const from = newest - Math.ceil(this.opts.settings.overlapMs / 1000);
    const seen = await readTouched(ctx.store, from);
    const report = await sweepSegments(ctx, lifecycle.live, 'sweep');
    this.ledger.reset();
    this.ledger.update(seen, from);
    await advanceWatermark(ctx.redis, this.keys, ctx.token, newest);
    for (const segment of lifecycle.live) {
      if (report.failed.has(segment.id)) continue;
      await writeStatus(ctx.redis, this.keys, ctx.token, segment.id, {
        ...{ last_computed_at: ctx.wallClock(), duration_ms: report.durationMs },
      });
    }
    await this.markFailed(ctx, lifecycle, report.failed);
    return report;
  }

  private async markFailed(
    ctx: StepContext,
    lifecycle: LifecycleReport,
    failed: ReadonlyMap<string, { code: string; message: string }>,
  ): Promise<void> {
    for (const segment of lifecycle.live) {
      const error = failed.get(segment.id);
      if (!error) continue;
      // The reason may be ClickHouse's own text: for the operators' logs, not for API users.
      const reason = error.message;
      ctx.log.warn({ segment: segment.id, code: error.code, reason }, 'segment evaluation failed');
      const status = failedStatus(ctx, segment.version, error, 0);
      await writeStatus(ctx.redis, this.keys, ctx.token, segment.id, status);
    }
  }

  private async housekeeping(ctx: StepContext): Promise<void> {
    const now = ctx.wallClock();
    if (now >= this.nextSizesAt) {
      this.nextSizesAt = now + SIZES_INTERVAL_MS;
      await flushSizes(ctx.redis, ctx.store, this.keys, ctx.asOf);
    }
    if (now >= this.nextRollupAt) {
      this.nextRollupAt = now + ROLLUP_INTERVAL_MS;
      await rollupSizes(ctx.store, this.opts.settings.historyMinuteDays, ctx.asOf);
    }
  }
}
