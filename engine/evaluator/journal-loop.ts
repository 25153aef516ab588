// Moves the transition journal into ClickHouse beside the engine's steps, so a slow insert never
// delays a tick. Only while this process holds the lease (see membership/journal.ts).
import type { Redis } from 'ioredis';
import { backoffDelay, sleep } from '../ingest/backoff.ts';
import type { Logger } from '../log.ts';
import { flushJournal } from '../membership/journal.ts';
import type { MembershipKeys } from '../membership/keys.ts';
import type { Store } from '../store/clickhouse.ts';

export interface JournalLease {
  /** Whether the process holds the lease, as last seen (no Redis call). */
  holding(): boolean;
  /** Renews the lease; false when it was lost. */
  renew(): Promise<boolean>;
}

/** Pause when the journal is empty or the lease is elsewhere, milliseconds. */
const IDLE_MS = 250;

export class JournalLoop {
  private readonly abort = new AbortController();
  private running: Promise<void> | undefined;

  constructor(
    private readonly opts: { readonly redis: Redis; readonly store: Store; readonly log: Logger },
    private readonly keys: MembershipKeys,
    private readonly lease: JournalLease,
  ) {}

  start(): void {
    this.running ??= this.run();
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  /** Writes everything in the journal now (tests, and a clean shutdown). */
  async drain(): Promise<void> {
    const { redis, store, log } = this.opts;
    while ((await flushJournal(redis, store, this.keys, () => this.lease.renew(), log)) > 0);
  }

  private async run(): Promise<void> {
    const { redis, store, log } = this.opts;
    let failures = 0;
    while (!this.abort.signal.aborted) {
      let written = 0;
      try {
        if (this.lease.holding()) {
          written = await flushJournal(redis, store, this.keys, () => this.lease.renew(), log);
        }
        failures = 0;
      } catch (err) {
        log.warn({ attempt: failures, reason: String(err).slice(0, 300) }, 'journal not written');
        await sleep(backoffDelay(failures++), this.abort.signal);
      }
      if (written === 0) await sleep(IDLE_MS, this.abort.signal);
    }
  }
}
