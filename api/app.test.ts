import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../engine/config/config.ts';
import { SegstreamError } from '../engine/errors/errors.ts';
import { createLogger } from '../engine/log.ts';
import { createStore, type Store } from '../engine/store/clickhouse.ts';
import { freePort } from '../test/support/ports.ts';
import { testDatabase, testRedisUrl, type TestDatabase } from '../test/support/isolation.ts';
import { buildApp, withoutToken } from './app.ts';

const log = createLogger('silent');
const config = loadConfig({});
const NO_UI = path.join(os.tmpdir(), 'segstream-no-ui-here');

let db: TestDatabase;
let redis: Redis;
let deadRedis: Redis;
let deadStore: Store;
const apps: FastifyInstance[] = [];

beforeAll(async () => {
  db = await testDatabase('api_app');
  redis = new Redis(testRedisUrl());
  await redis.ping();
  // Nothing listens on a port freePort just released: both clients keep failing to connect.
  deadRedis = new Redis({ port: await freePort(), maxRetriesPerRequest: 1 });
  deadRedis.on('error', () => undefined);
  deadStore = createStore({ url: `http://127.0.0.1:${await freePort()}`, database: 'x' });
});

afterAll(async () => {
  await Promise.all(apps.map((app) => app.close()));
  redis.disconnect();
  deadRedis.disconnect();
  await deadStore.close();
  await db.drop();
});

async function app(opts: { store?: Store; redis?: Redis; uiDir?: string } = {}) {
  const instance = await buildApp({
    config,
    log,
    store: opts.store ?? db.store,
    redis: opts.redis ?? redis,
    uiDir: opts.uiDir ?? NO_UI,
  });
  apps.push(instance);
  return instance;
}

describe('GET /health and /ready (real ClickHouse and Redis)', () => {
  it('says the process is alive', async () => {
    const res = await (await app()).inject('/health');
    expect([res.statusCode, res.json()]).toEqual([200, { status: 'ok' }]);
  });

  it('is ready when ClickHouse and Redis answer', async () => {
    const res = await (await app()).inject('/ready');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', checks: { clickhouse: 'ok', redis: 'ok' } });
  });

  it.each([
    ['Redis', () => ({ redis: deadRedis }), 'REDIS_UNAVAILABLE', ['redis']],
    ['ClickHouse', () => ({ store: deadStore }), 'CLICKHOUSE_UNAVAILABLE', ['clickhouse']],
    [
      'both',
      () => ({ store: deadStore, redis: deadRedis }),
      'CLICKHOUSE_UNAVAILABLE',
      ['clickhouse', 'redis'],
    ],
  ])('answers 503 when %s does not answer', async (_name, services, code, failed) => {
    const res = await (await app(services())).inject('/ready');
    expect(res.statusCode).toBe(503);
    expect(res.headers['retry-after']).toBe('2');
    expect(res.json()).toMatchObject({ code, message: expect.any(String), details: { failed } });
  });

  it.each(['/v1/segments', '/v1/lists', '/v1/segments/x/members', '/v1/retention-lists'])(
    'answers a read of %s with 503 and Retry-After while ClickHouse is down',
    async (url) => {
      const withToken = await buildApp({
        config: loadConfig({ SEGSTREAM_ADMIN_TOKEN: 'app-test-admin' }),
        ...{ log, store: deadStore, redis, uiDir: NO_UI },
      });
      apps.push(withToken);
      const res = await withToken.inject({
        url,
        headers: { authorization: 'Bearer app-test-admin' },
      });
      expect([res.statusCode, res.json().code]).toEqual([503, 'CLICKHOUSE_UNAVAILABLE']);
      expect(res.headers['retry-after']).toBe('2');
    },
  );

  it('stays alive while a service is down', async () => {
    const res = await (await app({ redis: deadRedis })).inject('/health');
    expect(res.statusCode).toBe(200);
  });
});

describe('error bodies', () => {
  it.each([
    ['a coded error', new SegstreamError('RULE_INVALID', { path: 'include' }), 400, 'RULE_INVALID'],
    ['an unexpected error', new Error('secret internals'), 500, 'INTERNAL_ERROR'],
  ])('turns %s into a catalogue error', async (_name, thrown, status, code) => {
    const instance = await app();
    instance.get('/v1/boom', async () => {
      throw thrown;
    });
    const res = await instance.inject('/v1/boom');
    expect(res.statusCode).toBe(status);
    expect(Object.keys(res.json()).sort()).toEqual(['code', 'details', 'message']);
    expect(res.json().code).toBe(code);
    expect(res.body).not.toContain('secret internals');
  });

  it.each([
    ['a missing field', '{}', 'application/json', 400, { path: 'body/name' }],
    [
      'a field of the wrong type',
      '{"name":{"first":"x"}}',
      'application/json',
      400,
      { path: 'body/name' },
    ],
    [
      'unreadable JSON, saying so',
      '{"name":',
      'application/json',
      400,
      { path: 'body', reason: expect.stringMatching(/JSON/) },
    ],
    [
      'an unsupported media type, naming it',
      'name',
      'text/csv',
      415,
      { path: 'body', reason: expect.stringMatching(/text\/csv/) },
    ],
  ])('refuses %s with VALIDATION_FAILED', async (_name, payload, type, status, details) => {
    const instance = await app();
    const schema = {
      body: {
        type: 'object',
        required: ['name'],
        properties: { name: { type: 'string' } },
      },
    };
    instance.post('/v1/echo', { schema }, async (req) => req.body);
    const res = await instance.inject({
      method: 'POST',
      url: '/v1/echo',
      payload,
      headers: { 'content-type': type },
    });
    expect(res.statusCode).toBe(status);
    expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details });
  });

  it('answers unknown paths with a coded 404', async () => {
    const res = await (await app()).inject('/v1/nothing-here');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND', details: { url: '/v1/nothing-here' } });
  });
});

describe('the built UI', () => {
  let uiDir: string;
  beforeAll(() => {
    uiDir = fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-ui-'));
    fs.mkdirSync(path.join(uiDir, 'assets'));
    fs.writeFileSync(path.join(uiDir, 'index.html'), '<!doctype html><title>Segstream</title>');
    fs.writeFileSync(path.join(uiDir, 'assets', 'index-abc123.js'), 'console.log(1)');
  });
  afterAll(() => fs.rmSync(uiDir, { recursive: true, force: true }));

  const html = { accept: 'text/html,application/xhtml+xml' };

  it.each([
    ['/', html, 200, 'text/html', 'no-cache', 'Segstream'],
    ['/assets/index-abc123.js', {}, 200, 'javascript', 'immutable', 'console.log'],
    ['/segments/42', html, 200, 'text/html', '', 'Segstream'],
    ['/v1/no-such-route', html, 404, 'application/json', '', 'NOT_FOUND'],
    ['/v1/segments', html, 401, 'application/json', '', 'AUTH_REQUIRED'],
    ['/assets/missing.js', {}, 404, 'application/json', '', 'NOT_FOUND'],
  ])('GET %s', async (url, headers, status, type, cache, body) => {
    const res = await (await app({ uiDir })).inject({ url, headers });
    expect(res.statusCode).toBe(status);
    expect(res.headers['content-type']).toContain(type);
    expect(String(res.headers['cache-control'] ?? '')).toContain(cache);
    expect(res.body).toContain(body);
  });

  it('is not served when it has not been built', async () => {
    const res = await (await app()).inject({ url: '/', headers: html });
    expect(res.statusCode).toBe(404);
    expect(res.json().code).toBe('NOT_FOUND');
  });
});

describe('request logs', () => {
  it.each([
    [
      '/v1/segments/a/export.csv?access_token=sgs_secret',
      '/v1/segments/a/export.csv?access_token=[redacted]',
    ],
    ['/v1/live?x=1&access_token=sgs_secret&y=2', '/v1/live?x=1&access_token=[redacted]&y=2'],
    ['/v1/segments?q=access_token', '/v1/segments?q=access_token'],
  ])('never carry a token from the query: %s', (url, logged) => {
    expect(withoutToken(url)).toBe(logged);
  });
});
