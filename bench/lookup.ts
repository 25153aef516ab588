// Membership lookups as the API answers them, measured on the sweep figure's membership (1M
// players x 50 segments by default, in Redis after the sweeps): "is player P in segment S" and
// "which segments is player P in", one call at a time from one client, as a request handler
// makes them, over random players and segments. Also the Redis memory the membership takes.
import type { Redis } from 'ioredis';
import { membershipKeys } from '../engine/membership/keys.ts';
import type { MembershipReader } from '../engine/membership/read.ts';
import { fmt, type FigureRow } from './report.ts';
import { nowMs, percentile, round } from './stats.ts';

const CALLS = 10_000;
const TARGET_MS = 1;

export interface LookupFigures {
  readonly isMemberMs: { readonly p50: number; readonly p99: number };
  readonly segmentsOfMs: { readonly p50: number; readonly p99: number };
  /** MEMORY USAGE of the bitmaps and of the player-number hashes, bytes. */
  readonly bitmapBytes: number;
  readonly numberBytes: number;
}

export async function measureLookups(
  redis: Redis,
  reader: MembershipReader,
  prefix: string,
  segments: readonly string[],
  players: number,
): Promise<LookupFigures> {
  const keys = membershipKeys(prefix);
  const ids = await samplePlayers(redis, keys.ids, players, CALLS);
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(Math.random() * xs.length)]!;
  const isMember = await timeEach(ids, (id) => reader.isMember(pick(segments), id));
  const segmentsOf = await timeEach(ids, (id) => reader.segmentsOf(id));
  const usage = async (key: string) => Number((await redis.memory('USAGE', key)) ?? 0);
  const bitmaps = await Promise.all(segments.map((s) => usage(keys.bits(s))));
  return {
    isMemberMs: isMember,
    segmentsOfMs: segmentsOf,
    bitmapBytes: bitmaps.reduce((a, b) => a + b, 0),
    numberBytes: (await usage(keys.numbers)) + (await usage(keys.ids)),
  };
}

/** Player ids of random player numbers (numbers are dense, 1..players). */
async function samplePlayers(redis: Redis, idsKey: string, players: number, n: number) {
  const nums = Array.from({ length: n }, () => String(1 + Math.floor(Math.random() * players)));
  const ids = await redis.hmget(idsKey, ...nums);
  return ids.filter((id): id is string => id !== null);
}

async function timeEach(ids: readonly string[], call: (id: string) => Promise<unknown>) {
  const ms: number[] = [];
  for (const id of ids) {
    const started = nowMs();
    await call(id);
    ms.push(nowMs() - started);
  }
  return { p50: round(percentile(ms, 50), 3), p99: round(percentile(ms, 99), 3) };
}

export function lookupRows(f: LookupFigures, size: string): FigureRow[] {
  const row = (what: string, t: { p50: number; p99: number }): FigureRow => ({
    figure: `${what} (${size}), p50 / p99 of ${fmt(CALLS)} calls`,
    value: `${t.p50} / ${t.p99} ms`,
    target: `< ${TARGET_MS} ms`,
    ratio: `${round(t.p99 / TARGET_MS, 2)}x the target at p99`,
    verdict: t.p99 < TARGET_MS ? 'met' : 'missed',
  });
  return [
    row('is player P in segment S', f.isMemberMs),
    row('which segments is player P in', f.segmentsOfMs),
  ];
}

export function lookupNotes(f: LookupFigures, segments: number): string[] {
  const mb = (bytes: number) => `${round(bytes / 2 ** 20, 1)} MB`;
  return [
    '',
    `Membership lookups: one call at a time from one ioredis client, as a request handler makes ` +
      `them (a Lua script each, one round trip), random players and segments. Redis memory of ` +
      `the membership: ${mb(f.bitmapBytes)} for the ${segments} bitmaps, ${mb(f.numberBytes)} ` +
      `for the player-number hashes (id to number and back).`,
  ];
}
