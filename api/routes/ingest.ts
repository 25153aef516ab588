// POST /v1/events and POST /v1/players: validate item by item, queue the valid items in Redis
// and answer 202 with the accepted count and every rejected item (index, code, path, message).
// These routes touch Redis only, never ClickHouse, so a ClickHouse outage does not stop ingest;
// the batch writer (engine/ingest/writer.ts) stores the queued items when it can.
import type { FastifyError, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { SegstreamError, isSegstreamError } from '../../engine/errors/errors.ts';
import { sendError } from '../errors.ts';
import { itemsOfJson, itemsOfNdjson } from '../../engine/ingest/body.ts';
import { versionClock } from '../../engine/ingest/convert.ts';
import { appendItems, type IngestKind } from '../../engine/ingest/queue.ts';
import {
  checkEvents,
  checkPlayers,
  type Checked,
  type RawItem,
} from '../../engine/ingest/validate.ts';

export interface IngestRouteOptions {
  readonly redis: Redis;
  /** REDIS_PREFIX (not `prefix`: fastify takes that as the route prefix). */
  readonly redisPrefix: string;
  /** Largest accepted request body (INGEST_BODY_LIMIT_BYTES). */
  readonly bodyLimitBytes: number;
  /** Events stamped further ahead than this are rejected (INGEST_FUTURE_LIMIT_MS). */
  readonly futureLimitMs: number;
  /** Longest wait for Redis before answering 503; default 2000 ms. */
  readonly redisTimeoutMs?: number;
  readonly now?: () => number;
  /** Told of every answered request: items accepted and rejected (metrics). */
  readonly onItems?: (kind: IngestKind, accepted: number, rejected: number) => void;
}

/** ioredis connection states in which Redis is known to be out of reach. */
const UNREACHABLE = new Set(['reconnecting', 'close', 'end']);

/** Seconds a client should wait after a 503 before sending again. */

const Reply = {
  type: 'object',
  properties: {
    accepted: { type: 'integer' },
    /** Every rejected item, also those beyond the first MAX_REJECTIONS listed. */
    rejected_count: { type: 'integer' },
    rejected: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          index: { type: 'integer' },
          code: { type: 'string' },
          path: { type: 'string' },
          message: { type: 'string' },
        },
      },
    },
  },
} as const;

export const ingestRoutes: FastifyPluginAsync<IngestRouteOptions> = async (app, opts) => {
  const now = opts.now ?? Date.now;
  const nextVersion = versionClock(now);
  const queue = queueWith(opts);

  // Bodies are read here, not by fastify's JSON parser: an NDJSON line that is not JSON must
  // reject only its own item, and a JSON body that is not an array must say so with a code.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) =>
    parseWith(itemsOfJson, body, done),
  );
  app.addContentTypeParser(
    ['application/x-ndjson', 'application/ndjson'],
    { parseAs: 'string' },
    (_req, body, done) => parseWith(itemsOfNdjson, body, done),
  );
  app.setErrorHandler(replyError);

  const route = {
    bodyLimit: opts.bodyLimitBytes,
    config: { access: 'ingest' as const },
    schema: { response: { 202: Reply } },
  };

  app.post('/v1/events', route, async (req, reply) => {
    const checked = checkEvents(bodyItems(req), {
      nowMs: now(),
      futureLimitMs: opts.futureLimitMs,
    });
    return answer(req, reply, 'events', checked, queue, opts.onItems);
  });

  app.post('/v1/players', route, async (req, reply) => {
    const checked = checkPlayers(bodyItems(req), nextVersion);
    return answer(req, reply, 'players', checked, queue, opts.onItems);
  });
};

type Queue = (kind: IngestKind, items: readonly unknown[]) => Promise<void>;

async function answer(
  req: FastifyRequest,
  reply: FastifyReply,
  kind: IngestKind,
  { accepted, rejected }: Checked<unknown>,
  queue: Queue,
  onItems: IngestRouteOptions['onItems'],
) {
  await queue(kind, accepted);
  onItems?.(kind, accepted.length, rejected.length);
  req.log.debug({ kind, accepted: accepted.length, rejected: rejected.length }, 'ingest request');
  return reply.code(202).send({
    accepted: accepted.length,
    rejected_count: rejected.length,
    // A body of millions of bad items must not get an answer hundreds of MB long.
    rejected: rejected.slice(0, MAX_REJECTIONS),
  });
}

/** Rejected items listed in an answer (in index order); rejected_count counts them all. */
export const MAX_REJECTIONS = 1_000;

function parseWith(
  read: (text: string) => RawItem[],
  body: string | Buffer,
  done: (err: Error | null, items?: RawItem[]) => void,
): void {
  try {
    done(null, read(typeof body === 'string' ? body : body.toString('utf8')));
  } catch (err) {
    done(err as Error);
  }
}

function bodyItems(req: FastifyRequest): RawItem[] {
  if (Array.isArray(req.body)) return req.body as RawItem[];
  throw new SegstreamError('INGEST_BODY_INVALID', { reason: 'the request has no body' });
}

/** Appends to the stream, or fails fast with REDIS_UNAVAILABLE so the client retries later. */
function queueWith(opts: IngestRouteOptions): Queue {
  const timeoutMs = opts.redisTimeoutMs ?? 2_000;
  return async (kind, items) => {
    if (items.length === 0) return;
    // While ioredis reconnects after losing Redis it would hold commands back until the
    // timeout; answering at once is better. A first connect is waited for.
    if (UNREACHABLE.has(opts.redis.status)) {
      throw new SegstreamError('REDIS_UNAVAILABLE', { status: opts.redis.status });
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('redis timeout')), timeoutMs);
    });
    try {
      await Promise.race([appendItems(opts.redis, opts.redisPrefix, kind, items), timeout]);
    } catch (err) {
      // If the append still lands after a timeout, the client's retry duplicates items, which
      // the writer drops again (event_id, player update versions).
      throw new SegstreamError('REDIS_UNAVAILABLE', {}, undefined, { cause: err });
    } finally {
      clearTimeout(timer);
    }
  };
}

async function replyError(err: FastifyError, req: FastifyRequest, reply: FastifyReply) {
  const coded = codedError(err);
  if (coded === undefined) throw err;
  if (coded.code === 'REDIS_UNAVAILABLE') req.log.warn({ code: coded.code }, 'ingest refused');
  return sendError(reply, coded);
}

/** Fastify's own body errors as catalogue errors; anything else is left to the app. */
function codedError(err: FastifyError): SegstreamError | undefined {
  if (isSegstreamError(err)) return err;
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new SegstreamError('INGEST_BODY_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new SegstreamError('INGEST_MEDIA_TYPE_UNSUPPORTED');
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new SegstreamError('INGEST_BODY_INVALID', { reason: err.message });
    default:
      return undefined;
  }
}
