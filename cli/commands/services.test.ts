// `segstream services up|status|down` as a user runs it: the real CLI in a child process, with
// its own data directory and free ports so it never meets the test servers or a developer's.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SETTINGS } from '../../engine/config/config.ts';
import { freePort } from '../../test/support/ports.ts';
import { CLICKHOUSE_BINARY, pingClickHouse } from '../services/clickhouse.ts';
import { isAlive, readPid, stopPid } from '../services/process.ts';
import { pingRedis, REDIS_BINARY } from '../services/redis.ts';

const BIN = fileURLToPath(new URL('../../bin/segstream.js', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function segstream(args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The caller's environment without any Segstream setting, plus the given ones. */
function envWith(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const setting of SETTINGS) delete env[setting.env];
  return { ...env, ...settings };
}

async function redisCommand(url: string, ...args: string[]): Promise<unknown> {
  const client = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0 });
  await client.connect();
  try {
    return await client.call(args[0] ?? 'PING', ...args.slice(1));
  } finally {
    client.disconnect();
  }
}

describe('segstream services with local servers', () => {
  let dataDir: string;
  let pidFiles: { clickhouse: string; redis: string };
  let env: NodeJS.ProcessEnv;
  let chUrl: string;
  let redisUrl: string;
  let redisPort: number;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-services-'));
    pidFiles = {
      clickhouse: path.join(dataDir, 'clickhouse', 'clickhouse.pid'),
      redis: path.join(dataDir, 'redis', 'redis.pid'),
    };
    const httpPort = await freePort();
    redisPort = await freePort();
    chUrl = `http://127.0.0.1:${httpPort}`;
    redisUrl = `redis://127.0.0.1:${redisPort}`;
    env = envWith({
      SEGSTREAM_DATA_DIR: dataDir,
      CLICKHOUSE_HTTP_PORT: String(httpPort),
      CLICKHOUSE_TCP_PORT: String(await freePort()),
      REDIS_PORT: String(redisPort),
    });
  });

  afterAll(async () => {
    // Whatever a failed test left running goes too, so no server outlives the suite.
    const left = [
      readPid(pidFiles.clickhouse, CLICKHOUSE_BINARY.names),
      readPid(pidFiles.redis, REDIS_BINARY.names),
    ];
    for (const pid of left) if (pid !== undefined) await stopPid(pid);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const pids = () => ({ clickhouse: readPid(pidFiles.clickhouse), redis: readPid(pidFiles.redis) });

  it('up starts ClickHouse and Redis and both answer', async () => {
    const run = await segstream(['services', 'up'], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(`clickhouse ${chUrl}\nredis ${redisUrl}\n`);

    const ping = await fetch(new URL('/ping', chUrl));
    expect(await ping.text()).toBe('Ok.\n');
    expect(await redisCommand(redisUrl, 'PING')).toBe('PONG');
    expect(pids().clickhouse).toBeGreaterThan(0);
    expect(pids().redis).toBeGreaterThan(0);
  });

  it('starts Redis with append-only persistence', async () => {
    expect(await redisCommand(redisUrl, 'CONFIG', 'GET', 'appendonly')).toEqual([
      'appendonly',
      'yes',
    ]);
    expect(fs.existsSync(path.join(dataDir, 'redis', 'appendonlydir'))).toBe(true);
  });

  it('status exits 0 and prints both as running', async () => {
    const { clickhouse, redis } = pids();
    const run = await segstream(['services', 'status'], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      `clickhouse running (pid ${clickhouse}) ${chUrl}\nredis running (pid ${redis}) ${redisUrl}\n`,
    );
  });

  it('up again is harmless: the same servers keep running', async () => {
    const before = pids();
    const run = await segstream(['services', 'up'], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(pids()).toEqual(before);
    expect(await pingClickHouse(chUrl)).toBe(true);
    expect(await pingRedis(redisPort)).toBe(true);
  });

  it('down stops both: their processes are gone', async () => {
    const { clickhouse, redis } = pids();
    const run = await segstream(['services', 'down'], env);
    expect(run).toMatchObject({ code: 0, stdout: 'services stopped\n', stderr: '' });

    expect(isAlive(clickhouse ?? 0)).toBe(false);
    expect(isAlive(redis ?? 0)).toBe(false);
    expect(fs.existsSync(pidFiles.clickhouse)).toBe(false);
    expect(fs.existsSync(pidFiles.redis)).toBe(false);
    expect(await pingClickHouse(chUrl)).toBe(false);
    expect(await pingRedis(redisPort)).toBe(false);
  });

  it('status then exits 3 and prints both as stopped', async () => {
    const run = await segstream(['services', 'status'], env);
    expect(run.code).toBe(3);
    expect(run.stdout).toBe(`clickhouse stopped ${chUrl}\nredis stopped ${redisUrl}\n`);
  });

  it('rejects an unknown action with exit code 2 and starts nothing', async () => {
    const run = await segstream(['services', 'restart'], env);
    expect(run.code).toBe(2);
    expect(pids()).toEqual({ clickhouse: undefined, redis: undefined });
  });
});

describe('segstream services with CLICKHOUSE_URL and REDIS_URL set', () => {
  const chUrl = inject('clickhouseUrl');
  const redisUrl = inject('redisUrl');
  let dataDir: string;
  let env: NodeJS.ProcessEnv;
  let localPorts: { http: number; redis: number };

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-external-'));
    localPorts = { http: await freePort(), redis: await freePort() };
    env = envWith({
      CLICKHOUSE_URL: chUrl,
      REDIS_URL: redisUrl,
      SEGSTREAM_DATA_DIR: dataDir,
      CLICKHOUSE_HTTP_PORT: String(localPorts.http),
      CLICKHOUSE_TCP_PORT: String(await freePort()),
      REDIS_PORT: String(localPorts.redis),
    });
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('up starts nothing and names the external servers', async () => {
    const run = await segstream(['services', 'up'], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(`clickhouse ${chUrl} (external)\nredis ${redisUrl} (external)\n`);
    expect(fs.readdirSync(dataDir)).toEqual([]);
    expect(await pingClickHouse(`http://127.0.0.1:${localPorts.http}`)).toBe(false);
    expect(await pingRedis(localPorts.redis)).toBe(false);
  });

  it('status exits 0 and says external', async () => {
    const run = await segstream(['services', 'status'], env);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(`clickhouse external ${chUrl}\nredis external ${redisUrl}\n`);
  });

  it('down leaves the external servers running', async () => {
    const run = await segstream(['services', 'down'], env);
    expect(run.code).toBe(0);
    expect(await pingClickHouse(chUrl)).toBe(true);
    expect(await redisCommand(redisUrl, 'PING')).toBe('PONG');
  });
});
