// The engine lease: one engine process at a time evaluates and writes membership. The holder
// renews it on every step; a standby process takes it over once the holder stopped renewing for
// ENGINE_LEASE_MS (crashed, hung, or cut off from Redis). Every write script checks the token
// (scripts.ts), so a holder that lost the lease cannot write any more.
import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { MembershipKeys } from './keys.ts';
import { ACQUIRE_LEASE, RELEASE_LEASE } from './scripts.ts';

export class Lease {
  /** Unique per process start, so a restarted process never mistakes an old lease for its own. */
  readonly token: string;

  constructor(
    private readonly redis: Redis,
    private readonly keys: MembershipKeys,
    private readonly leaseMs: number,
    owner: string,
  ) {
    this.token = `${owner}:${randomBytes(6).toString('hex')}`;
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
