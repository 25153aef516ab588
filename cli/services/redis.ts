// A local Redis with append-only persistence: it holds events that were accepted but not yet
// written to ClickHouse, so they must survive a restart.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import {
  assertPortFree,
  findBinary,
  readPid,
  startDetached,
  stopPid,
  waitUntil,
} from './process.ts';

export interface LocalRedis {
  readonly dir: string;
  readonly port: number;
}

export const REDIS_BINARY = { names: ['redis-server'], debianPackage: 'redis-server' } as const;

export function redisUrl(server: LocalRedis): string {
  return `redis://127.0.0.1:${server.port}`;
}

export async function startRedis(server: LocalRedis, timeoutMs = 30_000): Promise<number> {
  const running = readPid(pidFile(server), REDIS_BINARY.names);
  if (running !== undefined) return running;

  const binary = findBinary(REDIS_BINARY);
  fs.mkdirSync(server.dir, { recursive: true });
  const log = path.join(server.dir, 'redis.log');
  const args = [
    '--port',
    String(server.port),
    '--bind',
    '127.0.0.1',
    '--dir',
    path.resolve(server.dir),
    '--appendonly',
    'yes',
    '--appendfsync',
    'everysec',
    '--save',
    '',
    '--daemonize',
    'no',
  ];
  await assertPortFree(server.port, 'redis');
  const pid = startDetached(binary, args, log);
  fs.writeFileSync(pidFile(server), String(pid));
  await waitUntil(() => pingRedis(server.port), 'redis', timeoutMs, log);
  return pid;
}

export async function stopRedis(server: LocalRedis): Promise<void> {
  const pid = readPid(pidFile(server), REDIS_BINARY.names);
  if (pid !== undefined) await stopPid(pid);
  fs.rmSync(pidFile(server), { force: true });
}

export function redisStatus(server: LocalRedis): number | undefined {
  return readPid(pidFile(server), REDIS_BINARY.names);
}

/** PING over a raw socket, so the probe needs no client library and no connection retries. */
export function pingRedis(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.on('error', () => done(false));
    socket.on('connect', () => socket.write('PING\r\n'));
    socket.on('data', (data) => done(data.toString().startsWith('+PONG')));
  });
}

function pidFile(server: LocalRedis): string {
  return path.join(server.dir, 'redis.pid');
}
