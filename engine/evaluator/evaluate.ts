// Evaluating a batch of segments in one query, with failures kept to the segments that cause
// them: when the batch fails (a rule that does not compile any more, a query ClickHouse
// refuses), it is split in halves until each failing segment stands alone; the others still get
// their result. A query running longer than the timeout is cancelled (KILL QUERY) and its
// segments fail with SEGMENT_COMPUTE_TIMEOUT, to be retried. ClickHouse being unreachable is not
// a segment's fault: it fails the whole step, which the engine retries.
import { randomUUID } from 'node:crypto';
import type { Catalogue } from '../catalogue/types.ts';
import type { CompileContext } from '../compiler/index.ts';
import { isSegstreamError, SegstreamError } from '../errors/errors.ts';
import { Bitmap } from '../membership/bitmap.ts';
import type { StatusError } from '../membership/status.ts';
import { sqlString } from '../sql/literal.ts';
import type { Store } from '../store/clickhouse.ts';
import { flagAt, fullQuery, playersQuery, streamLines, unescapeTsv } from './query.ts';
import type { EngineSegment, SegmentCatalog } from './segments.ts';

export interface EvaluationContext {
  readonly store: Store;
  readonly catalogue: Catalogue;
  readonly catalog: SegmentCatalog;
  /** The as-of time, epoch milliseconds. */
  readonly asOf: number;
  /** ENGINE_COMPUTE_TIMEOUT_MS. */
  readonly timeoutMs: number;
}

export interface FullResult {
  /** The members of each evaluated segment, by player number. */
  readonly wanted: Map<string, Bitmap>;
  /** Members without a player number yet: player id -> ids of their segments. */
  readonly unnumbered: Map<string, string[]>;
  readonly failed: Map<string, StatusError>;
}

/** Evaluates the segments for every player. */
export async function evaluateAll(
  ctx: EvaluationContext,
  segments: readonly EngineSegment[],
): Promise<FullResult> {
  const wanted = new Map<string, Bitmap>();
  const unnumbered = new Map<string, string[]>();
  const failed = await isolate(segments, async (part) => {
    const bitmaps = part.map(() => new Bitmap());
    const found = new Map<string, string[]>();
    const sql = fullQuery(
      part.map((s) => s.batch),
      compileContext(ctx),
    );
    await runQuery(ctx, sql, ([num, id = '', flags = '']) => {
      const n = Number(num);
      if (n === 0) {
        found.set(unescapeTsv(id), flaggedIds(part, flags));
        return;
      }
      for (let i = 0; i < part.length; i++) if (flagAt(flags, i)) bitmaps[i]!.set(n, true);
    });
    part.forEach((s, i) => wanted.set(s.id, bitmaps[i]!));
    for (const [id, ids] of found) unnumbered.set(id, [...(unnumbered.get(id) ?? []), ...ids]);
  });
  return { wanted, unnumbered, failed };
}

export interface PlayersResult {
  /** Player id -> ids of the segments the player is a member of (members only). */
  readonly members: Map<string, Set<string>>;
  readonly failed: Map<string, StatusError>;
}

/** Evaluates the segments for the given players only (a tick). */
export async function evaluatePlayers(
  ctx: EvaluationContext,
  segments: readonly EngineSegment[],
  players: readonly string[],
): Promise<PlayersResult> {
  const members = new Map<string, Set<string>>();
  const failed = await isolate(segments, async (part) => {
    const found: [string, string[]][] = [];
    const sql = playersQuery(
      part.map((s) => s.batch),
      compileContext(ctx),
      players,
    );
    await runQuery(ctx, sql, ([id = '', flags = '']) => {
      found.push([unescapeTsv(id), flaggedIds(part, flags)]);
    });
    for (const [id, ids] of found) {
      const set = members.get(id) ?? new Set<string>();
      for (const s of ids) set.add(s);
      members.set(id, set);
    }
  });
  return { members, failed };
}

function flaggedIds(segments: readonly EngineSegment[], flags: string): string[] {
  return segments.filter((_, i) => flagAt(flags, i)).map((s) => s.id);
}

function compileContext(ctx: EvaluationContext): CompileContext {
  const resolveSegment = (id: string) => ctx.catalog.resolve(id);
  return { catalogue: ctx.catalogue, timezone: 'UTC', asOf: ctx.asOf, resolveSegment };
}

type Attempt = (segments: readonly EngineSegment[]) => Promise<void>;

/** Runs the attempt on all segments, splitting on failure; returns the failed segments. */
async function isolate(
  segments: readonly EngineSegment[],
  attempt: Attempt,
): Promise<Map<string, StatusError>> {
  if (segments.length === 0) return new Map();
  try {
    await attempt(segments);
    return new Map();
  } catch (err) {
    if (isSegstreamError(err, 'CLICKHOUSE_UNAVAILABLE')) throw err;
    const error = statusError(err);
    if (segments.length === 1 || error.code === 'SEGMENT_COMPUTE_TIMEOUT') {
      return new Map(segments.map((s) => [s.id, error]));
    }
    const middle = Math.ceil(segments.length / 2);
    const first = await isolate(segments.slice(0, middle), attempt);
    const second = await isolate(segments.slice(middle), attempt);
    return new Map([...first, ...second]);
  }
}

async function runQuery(
  ctx: EvaluationContext,
  sql: string,
  onLine: (fields: string[]) => void,
): Promise<void> {
  const queryId = `segstream-engine-${randomUUID()}`;
  const signal = AbortSignal.timeout(ctx.timeoutMs);
  try {
    await streamLines(ctx.store, sql, { queryId, signal }, onLine);
  } catch (err) {
    if (!signal.aborted) throw err;
    // Aborting the request does not stop the query on the server.
    await ctx.store
      .exec(`KILL QUERY WHERE query_id = ${sqlString(queryId)} ASYNC`)
      .catch(() => undefined);
    throw new SegstreamError('SEGMENT_COMPUTE_TIMEOUT', { timeout_ms: ctx.timeoutMs });
  }
}

/** What the status shows: a coded error as it is, anything else (ClickHouse's text) bounded. */
export function statusError(err: unknown): StatusError {
  if (isSegstreamError(err)) return { code: err.code, message: err.message };
  const message = err instanceof Error ? err.message : String(err);
  return { code: 'SEGMENT_EVALUATION_FAILED', message: message.slice(0, 500) };
}
