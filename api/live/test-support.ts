// Helpers of the /v1/live tests (not a test file itself): API processes serving /v1/live on real
// ports with settings of the test's choosing, a token of every role, membership changes made by
// the engine's own apply script (so the live channel carries exactly what the engine publishes),
// and a `ws` client that records what it receives.
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import WebSocket from 'ws';
import { loadConfig, type LiveConfig } from '../../engine/config/config.ts';
import { createLogger } from '../../engine/log.ts';
import { MembershipWriter, type LiveMessage } from '../../engine/membership/apply.ts';
import { membershipKeys } from '../../engine/membership/keys.ts';
import { Lease } from '../../engine/membership/lease.ts';
import { writeStatus } from '../../engine/membership/status.ts';
import {
  testDatabase,
  testRedisUrl,
  uniqueName,
  type TestDatabase,
} from '../../test/support/isolation.ts';
import { installAuth } from '../auth/plugin.ts';
import { ROLES, type Role } from '../auth/roles.ts';
import { createTokenStore, type TokenStore } from '../auth/tokens.ts';
import { installErrorHandler } from '../errors.ts';
import { liveRoutes } from '../routes/live.ts';
import { LiveHub } from './hub.ts';
import { installWebsocket } from './sockets.ts';

export const ADMIN_TOKEN = 'live-admin-token-0123456789';
const silent = createLogger('silent') as FastifyBaseLogger;

export interface LiveServer {
  readonly app: FastifyInstance;
  readonly hub: LiveHub;
  /** ws://127.0.0.1:<port>/v1/live */
  readonly url: string;
  close(): Promise<void>;
}

export interface LiveFixture {
  readonly db: TestDatabase;
  readonly redis: Redis;
  readonly prefix: string;
  readonly tokens: Readonly<Record<Role, string>>;
  readonly tokenStore: TokenStore;
  readonly engine: EngineWrites;
  /** An API process with LIVE_* defaults changed by `settings`; closed with the fixture. */
  server(settings?: Partial<LiveConfig>): Promise<LiveServer>;
  close(): Promise<void>;
}

export async function liveFixture(name: string): Promise<LiveFixture> {
  const db = await testDatabase(`live_${name}`);
  const redis = new Redis(testRedisUrl());
  const prefix = `${uniqueName(name)}:`;
  const tokenStore = createTokenStore(db.store, ADMIN_TOKEN);
  const issued = await Promise.all(
    ROLES.map(async (role) => [role, (await tokenStore.issue(`t ${role}`, role, 't')).token]),
  );
  const tokens = Object.fromEntries(issued) as Record<Role, string>;
  const engine = await engineWrites(redis, prefix);
  const servers: LiveServer[] = [];
  return {
    ...{ db, redis, prefix, tokens, tokenStore, engine },
    server: async (settings = {}) => {
      const server = await liveServer(redis, prefix, tokenStore, settings);
      servers.push(server);
      return server;
    },
    close: async () => {
      LiveClient.terminateAll();
      for (const server of servers) await server.close();
      redis.disconnect();
      await db.drop();
    },
  };
}

async function liveServer(
  redis: Redis,
  prefix: string,
  tokens: TokenStore,
  overrides: Partial<LiveConfig>,
): Promise<LiveServer> {
  const settings = { ...loadConfig({}).live, ...overrides };
  const app = Fastify({ loggerInstance: silent });
  installErrorHandler(app);
  const sockets = await installWebsocket(app, settings);
  installAuth(app, { tokens });
  const hub = new LiveHub(redis, prefix, silent);
  await app.register(liveRoutes, {
    ...{ redis, redisPrefix: prefix, settings, hub, sockets },
    credentials: { tokens },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  await hub.whenSubscribed();
  return {
    app,
    hub,
    url: `ws://127.0.0.1:${port}/v1/live`,
    close: async () => {
      await app.close();
      hub.close();
    },
  };
}

/** Membership changes through the engine's apply script, holding the engine lease. */
export interface EngineWrites {
  /** `entered` new members and `exited` old ones in one change set; returns the message. */
  change(segment: string, entered: number, exited?: number): Promise<LiveMessage>;
  /** Marks a segment live at version 1, as the engine does after its first evaluation. */
  live(segment: string): Promise<void>;
}

async function engineWrites(redis: Redis, prefix: string): Promise<EngineWrites> {
  const keys = membershipKeys(prefix);
  const lease = new Lease(redis, keys, 600_000, 'live-test');
  if (!(await lease.acquire())) throw new Error('lease not acquired');
  const writer = new MembershipWriter(redis, keys);
  const members = new Map<string, number[]>();
  const next = new Map<string, number>();
  return {
    change: async (segment, entered, exited = 0) => {
      const now = members.get(segment) ?? [];
      const start = next.get(segment) ?? 1;
      const added = Array.from({ length: entered }, (_, i) => start + i);
      const removed = now.slice(0, exited);
      next.set(segment, start + entered);
      members.set(segment, [...now.slice(exited), ...added]);
      const changes = [
        ...added.map((num) => ({ num, on: true })),
        ...removed.map((num) => ({ num, on: false })),
      ];
      const at = Date.now();
      const applied = await writer.apply(lease.token, {
        ...{ segment, version: 1, cause: 'tick', at, changes },
      });
      return { segment, version: 1, ...applied, at, cause: 'tick' };
    },
    live: (segment) =>
      writeStatus(redis, keys, lease.token, segment, { state: 'live', version: 1 }),
  };
}

export interface Closed {
  readonly code: number;
  readonly reason: string;
}

const openClients = new Set<LiveClient>();

/** A `ws` client that keeps every message it receives. */
export class LiveClient {
  readonly messages: Record<string, unknown>[] = [];
  readonly closed: Promise<Closed>;
  private readonly opened: Promise<void>;

  constructor(readonly socket: WebSocket) {
    socket.on('message', (data) => this.messages.push(JSON.parse(String(data))));
    this.opened = new Promise((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
  }

  /** Opens a socket with the token in the query, or with only these headers. */
  static async open(
    url: string,
    token: string | undefined,
    headers: Record<string, string> = {},
  ): Promise<LiveClient> {
    const query = token === undefined ? '' : `?access_token=${token}`;
    const client = new LiveClient(new WebSocket(`${url}${query}`, { headers }));
    openClients.add(client);
    await client.opened;
    return client;
  }

  /** Ends every client still open: a failed test must not leave a paused socket behind. */
  static terminateAll(): void {
    for (const client of openClients) client.socket.terminate();
    openClients.clear();
  }

  send(message: unknown): void {
    this.socket.send(JSON.stringify(message));
  }

  /** Messages of one type, in order. */
  of(type: string): Record<string, unknown>[] {
    return this.messages.filter((m) => m.type === type);
  }

  /** Waits for the n-th message of this type (1-based) and returns it. */
  async nth(type: string, n: number): Promise<Record<string, unknown>> {
    await waitUntil(() => this.of(type).length >= n, `${n} ${type} message(s)`);
    return this.of(type)[n - 1]!;
  }

  close(): void {
    this.socket.terminate();
  }
}

/** The HTTP answer to an upgrade the server refused. */
export interface RefusedUpgrade {
  readonly status: number;
  readonly body: Record<string, unknown>;
  /** Whether the server closed the connection within `withinMs` of its answer. */
  closedByServer(withinMs: number): Promise<boolean>;
}

export function refusedUpgrade(
  url: string,
  headers: Record<string, string> = {},
): Promise<RefusedUpgrade> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('open', () => reject(new Error('upgrade was accepted')));
    socket.on('error', () => undefined);
    socket.on('unexpected-response', (_req, res) => {
      const closed = new Promise<boolean>((done) => res.socket.once('close', () => done(true)));
      let text = '';
      res.on('data', (chunk: Buffer) => (text += String(chunk)));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          body: JSON.parse(text),
          closedByServer: (withinMs) =>
            Promise.race([closed, new Promise<boolean>((r) => setTimeout(r, withinMs, false))]),
        }),
      );
    });
  });
}

/** Waits for a condition; the deadline only bounds the wait, it is not what the test asserts. */
export async function waitUntil(done: () => boolean, what: string, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
