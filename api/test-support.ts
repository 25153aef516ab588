// An API on a test database and Redis prefix of its own, with a token of every role, for route
// tests: `const api = await testApi('segments'); await api.as('editor').post('/v1/segments', …)`.
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import type { Catalogue } from '../engine/catalogue/types.ts';
import { loadConfig } from '../engine/config/config.ts';
import { createLogger } from '../engine/log.ts';
import {
  testDatabase,
  testRedisUrl,
  uniqueName,
  type TestDatabase,
} from '../test/support/isolation.ts';
import { buildApp } from './app.ts';
import { createTokenStore } from './auth/tokens.ts';
import { ROLES, type Role } from './auth/roles.ts';

export const ADMIN_TOKEN = 'test-admin-token-0123456789';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Send = (
  url: string,
  body?: unknown,
  headers?: Record<string, string>,
) => Promise<LightMyRequestResponse>;

export interface Caller {
  get: Send;
  post: Send;
  put: Send;
  patch: Send;
  delete: Send;
}

export interface TestApi {
  readonly app: FastifyInstance;
  readonly db: TestDatabase;
  readonly redis: Redis;
  readonly prefix: string;
  readonly tokens: Readonly<Record<Role, string>>;
  /** Requests with a token of this role; `none` sends no Authorization header. */
  as(role: Role | 'none'): Caller;
  close(): Promise<void>;
}

/**
 * `catalogue`: the Lists catalogue of the app (the built-in one by default). `env`: settings to
 * change, as environment variables (API_PREVIEW_PER_MINUTE=2).
 */
export async function testApi(
  name: string,
  opts: {
    readonly catalogue?: Catalogue;
    readonly env?: Record<string, string>;
    /** Folder of a built UI to serve (browser tests); none by default. */
    readonly uiDir?: string;
    /** How long tickets live (POST /v1/tickets); 60 s by default. */
    readonly ticketTtlMs?: number;
  } = {},
): Promise<TestApi> {
  const db = await testDatabase(`api_${name}`);
  const redis = new Redis(testRedisUrl());
  const prefix = `${uniqueName(name)}:`;
  const config = loadConfig({
    REDIS_PREFIX: prefix,
    SEGSTREAM_ADMIN_TOKEN: ADMIN_TOKEN,
    CLICKHOUSE_DATABASE: db.database,
    // Suites that are not about rate limits make many exports and previews with one token.
    API_PREVIEW_PER_MINUTE: '1000000',
    API_EXPORT_PER_MINUTE: '1000000',
    ...opts.env,
  });
  const app = await buildApp({
    config,
    store: db.store,
    redis,
    log: createLogger('silent'),
    uiDir: opts.uiDir ?? path.join(os.tmpdir(), 'segstream-no-ui-here'),
    ...(opts.catalogue ? { catalogue: opts.catalogue } : {}),
    ...(opts.ticketTtlMs ? { ticketTtlMs: opts.ticketTtlMs } : {}),
  });
  const store = createTokenStore(db.store, undefined);
  const tokens = Object.fromEntries(
    await Promise.all(
      ROLES.map(async (role) => [role, (await store.issue(`test ${role}`, role, 'test')).token]),
    ),
  ) as Record<Role, string>;

  const caller = (role: Role | 'none'): Caller => {
    const send =
      (method: Method): Send =>
      (url, body, headers = {}) => {
        const auth = role === 'none' ? {} : { authorization: `Bearer ${tokens[role]}` };
        const opts: InjectOptions = { method, url, headers: { ...auth, ...headers } };
        if (body !== undefined) opts.payload = body as InjectOptions['payload'];
        return app.inject(opts);
      };
    return {
      get: send('GET'),
      post: send('POST'),
      put: send('PUT'),
      patch: send('PATCH'),
      delete: send('DELETE'),
    };
  };

  return {
    app,
    db,
    redis,
    prefix,
    tokens,
    as: caller,
    close: async () => {
      await app.close();
      redis.disconnect();
      await db.drop();
    },
  };
}
