import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../test/support/ports.ts';
import { isAlive } from './process.ts';
import {
  pingRedis,
  redisStatus,
  redisUrl,
  startRedis,
  stopRedis,
  type LocalRedis,
} from './redis.ts';

describe('local Redis (real redis-server)', () => {
  let dir: string;
  let server: LocalRedis;
  let pid: number;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-redis-'));
    server = { dir: path.join(dir, 'redis'), port: await freePort() };
    pid = await startRedis(server);
  });
  afterAll(async () => {
    await stopRedis(server);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function withClient<T>(fn: (client: Redis) => Promise<T>): Promise<T> {
    const client = new Redis(redisUrl(server), { lazyConnect: true, maxRetriesPerRequest: 0 });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      client.disconnect();
    }
  }

  it('answers PING on its port and records its pid', async () => {
    expect(await pingRedis(server.port)).toBe(true);
    expect(redisStatus(server)).toBe(pid);
    expect(fs.readFileSync(path.join(server.dir, 'redis.pid'), 'utf8')).toBe(String(pid));
    expect(redisUrl(server)).toBe(`redis://127.0.0.1:${server.port}`);
  });

  it('has append-only persistence on and writes its files under the data directory', async () => {
    const settings = await withClient(async (client) => ({
      appendonly: await client.config('GET', 'appendonly'),
      dir: await client.config('GET', 'dir'),
      bind: await client.config('GET', 'bind'),
    }));
    expect(settings).toEqual({
      appendonly: ['appendonly', 'yes'],
      dir: ['dir', path.resolve(server.dir)],
      bind: ['bind', '127.0.0.1'],
    });
  });

  it('reuses the running server when started again', async () => {
    expect(await startRedis(server)).toBe(pid);
    expect(isAlive(pid)).toBe(true);
  });

  it('keeps written keys across a stop and a start (AOF replay)', async () => {
    await withClient((client) => client.set('segstream:test:aof', 'kept'));
    await stopRedis(server);
    expect(isAlive(pid)).toBe(false);
    expect(redisStatus(server)).toBeUndefined();
    expect(fs.existsSync(path.join(server.dir, 'redis.pid'))).toBe(false);
    expect(await pingRedis(server.port)).toBe(false);

    pid = await startRedis(server);
    expect(await withClient((client) => client.get('segstream:test:aof'))).toBe('kept');
  });

  it('stops cleanly when asked twice', async () => {
    await stopRedis(server);
    await expect(stopRedis(server)).resolves.toBeUndefined();
    expect(redisStatus(server)).toBeUndefined();
    pid = await startRedis(server);
  });
});

describe('pingRedis', () => {
  let httpServer: http.Server;
  let httpPort: number;

  beforeAll(async () => {
    httpServer = http.createServer((_req, res) => res.end('not redis'));
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const address = httpServer.address();
    httpPort = typeof address === 'object' && address ? address.port : 0;
  });
  afterAll(() => new Promise<void>((resolve) => httpServer.close(() => resolve())));

  it('is false when nothing listens on the port', async () => {
    expect(await pingRedis(await freePort())).toBe(false);
  });

  it('is false when something other than Redis answers', async () => {
    expect(await pingRedis(httpPort)).toBe(false);
  });
});
