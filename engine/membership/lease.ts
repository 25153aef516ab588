// A lease: one process at a time does a kind of work. The engine's (keys.lease): one engine
// evaluates and writes membership, and every membership write script checks the token
// (scripts.ts), so a holder that lost the lease cannot write any more. The ingest writer's
// (ingest/writer.ts): one writer moves the ingest streams into ClickHouse. The holder renews it
// as it works; a standby process takes it over once the holder stopped renewing for the lease
// time (crashed, hung, or cut off from Redis).
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { MembershipKeys } from './keys.ts';
import { ACQUIRE_LEASE, RELEASE_LEASE } from './scripts.ts';

export class Lease {
  /** Unique per process start (see `identity`), so a process never mistakes another's lease. */
  readonly token: string;

  constructor(
    private readonly redis: Redis,
    /** Only the lease key is used: the engine passes its MembershipKeys. */
    private readonly keys: Pick<MembershipKeys, 'lease'>,
    private readonly leaseMs: number,
    owner: string,
    /**
     * `per-start` (the engine's): a restarted process waits out its old lease like any other.
     * `stable`: the token is `owner` itself, so a restarted process with the same owner (the
     * ingest writer's consumer name) holds its old lease again at once and resumes its own work.
     */
    identity: 'per-start' | 'stable' = 'per-start',
  ) {
    this.token = identity === 'stable' ? owner : `${owner}:${randomBytes(6).toString('hex')}`;
  }

  /** Takes or renews the lease; true while this process holds it. */
  async acquire(): Promise<boolean> {
    const held = await ACQUIRE_LEASE.run(this.redis, [this.keys.lease], [this.token, this.leaseMs]);
    return Number(held) === 1;
  }

  async release(): Promise<void> {
    await RELEASE_LEASE.run(this.redis, [this.keys.lease], [this.token]);
  }

  /** The token of the current holder, if any. */
  holder(): Promise<string | null> {
    return this.redis.get(this.keys.lease);
  }
}
