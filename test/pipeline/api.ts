// The API in this process, listening on a real loopback socket, and a client that posts ingest
// items over HTTP the way a CRM integration would.
import os from 'node:os';
import path from 'node:path';
import { startServer, type RunningServer } from '../../api/server.ts';
import { loadConfig } from '../../engine/config/config.ts';
import { createLogger } from '../../engine/log.ts';
import type { Services } from './processes.ts';

export interface Rejected {
  readonly index: number;
  readonly code: string;
  readonly path: string;
  readonly message: string;
}

export interface IngestReply {
  readonly status: number;
  readonly accepted: number;
  readonly rejected: Rejected[];
}

export interface Api {
  readonly server: RunningServer;
  /** POST /v1/events or /v1/players: a JSON array, or an NDJSON body given as text. */
  post(route: '/v1/events' | '/v1/players', body: unknown[] | string): Promise<IngestReply>;
  close(): Promise<void>;
}

const NO_UI = path.join(os.tmpdir(), 'segstream-no-ui-here');
/** The API's first admin token, which grants ingest. */
export const TOKEN = 'pipeline-test-admin-token';

export async function startApi(services: Services): Promise<Api> {
  const config = loadConfig({
    CLICKHOUSE_URL: services.clickhouseUrl,
    CLICKHOUSE_DATABASE: services.database,
    REDIS_URL: services.redisUrl,
    REDIS_PREFIX: services.prefix,
    HOST: '127.0.0.1',
    PORT: '0',
    SEGSTREAM_ADMIN_TOKEN: TOKEN,
  });
  const server = await startServer({
    config,
    log: createLogger('silent'),
    clickhouse: { url: services.clickhouseUrl, database: services.database },
    redisUrl: services.redisUrl,
    uiDir: NO_UI,
  });
  return {
    server,
    post: (route, body) => post(`${server.url}${route}`, body),
    close: () => server.close(),
  };
}

/** Posting to an API served elsewhere (another process) with the same admin token. */
export function remoteApi(url: string): Pick<Api, 'post'> {
  return { post: (route, body) => post(`${url}${route}`, body) };
}

async function post(url: string, body: unknown[] | string): Promise<IngestReply> {
  const ndjson = typeof body === 'string';
  const res = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': ndjson ? 'application/x-ndjson' : 'application/json',
      authorization: `Bearer ${TOKEN}`,
    },
    body: ndjson ? body : JSON.stringify(body),
  });
  const json = (await res.json()) as { accepted?: number; rejected?: Rejected[] };
  return { status: res.status, accepted: json.accepted ?? 0, rejected: json.rejected ?? [] };
}

/** The items of a 202 answer that were accepted: all but the rejected indexes. */
export function acceptedItems<T>(items: readonly T[], reply: IngestReply): T[] {
  if (reply.status !== 202) return [];
  const rejected = new Set(reply.rejected.map((r) => r.index));
  return items.filter((_, i) => !rejected.has(i));
}
