// Running Lua scripts by their SHA1, loading the source when Redis does not know it yet (a new
// or restarted Redis). A script runs atomically: nothing else happens in Redis meanwhile.
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import { SegstreamError } from '../errors/errors.ts';

export type ScriptArg = string | number | Buffer;

export class LuaScript {
  private readonly sha: string;

  constructor(readonly source: string) {
    this.sha = createHash('sha1').update(source).digest('hex');
  }

  async run(redis: Redis, keys: readonly string[], args: readonly ScriptArg[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (err) {
      if (!/NOSCRIPT/.test(String(err))) throw coded(err);
      return redis.eval(this.source, keys.length, ...keys, ...args).catch((e: unknown) => {
        throw coded(e);
      });
    }
  }
}

/** The fencing refusal of the write scripts as its coded error. */
function coded(err: unknown): unknown {
  if (!/ENGINE_LEASE_LOST/.test(String(err))) return err;
  return new SegstreamError('ENGINE_LEASE_LOST', {}, undefined, { cause: err });
}
