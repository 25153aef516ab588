import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { isSegstreamError, type SegstreamError } from '../../engine/errors/errors.ts';
import {
  assertPortFree,
  findBinary,
  isAlive,
  readPid,
  startDetached,
  stopPid,
  waitUntil,
} from './process.ts';
import net from 'node:net';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-process-'));
const started: number[] = [];

afterEach(() => {
  for (const pid of started.splice(0)) if (isAlive(pid)) process.kill(pid, 'SIGKILL');
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function caught(fn: () => unknown): SegstreamError {
  try {
    fn();
  } catch (err) {
    if (isSegstreamError(err)) return err;
    throw err;
  }
  throw new Error('expected a SegstreamError');
}

function withPath<T>(extra: string, fn: () => T): T {
  const before = process.env.PATH;
  process.env.PATH = `${extra}:${before ?? ''}`;
  try {
    return fn();
  } finally {
    process.env.PATH = before;
  }
}

/** Starts `sh -c script` where the script ends in `exec sleep`; resolves once sleep runs. */
async function sleeper(script = 'exec sleep 30'): Promise<number> {
  const pid = startDetached('/bin/sh', ['-c', script], path.join(dir, 'shell.log'));
  started.push(pid);
  const cmdline = () => fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  await waitUntil(async () => cmdline().startsWith('sleep'), 'sleep', 5000);
  return pid;
}

describe('findBinary', () => {
  it('returns the absolute path of an installed program', () => {
    const found = findBinary({ names: ['sh'], debianPackage: 'dash' });
    expect(path.isAbsolute(found)).toBe(true);
    expect(path.basename(found)).toBe('sh');
  });

  it('takes the next name when the first is not installed', () => {
    const found = findBinary({ names: ['segstream-no-such-tool', 'sh'], debianPackage: 'dash' });
    expect(path.basename(found)).toBe('sh');
  });

  it('names the apt-get package when no name is installed', () => {
    const hint = { names: ['segstream-no-such-server'], debianPackage: 'segstream-server-pkg' };
    const err = caught(() => findBinary(hint));
    expect(err.code).toBe('SERVICE_BINARY_MISSING');
    expect(err.details).toEqual({
      binary: 'segstream-no-such-server',
      install: 'apt-get install -y segstream-server-pkg',
    });
    expect(err.message).toContain('apt-get install -y segstream-server-pkg');
    expect(err.retriable).toBe(false);
  });

  it.each([
    ['a file without the execute bit', 0o644, 'file'],
    ['a directory', 0o755, 'dir'],
  ])('skips %s', (_name, mode, type) => {
    const bin = fs.mkdtempSync(path.join(dir, 'bin-'));
    const target = path.join(bin, 'segstream-fake-tool');
    if (type === 'dir') fs.mkdirSync(target, { mode });
    else fs.writeFileSync(target, '#!/bin/sh\n', { mode });
    const hint = { names: ['segstream-fake-tool'], debianPackage: 'fake' };
    expect(withPath(bin, () => caught(() => findBinary(hint))).code).toBe('SERVICE_BINARY_MISSING');
    fs.chmodSync(target, 0o755);
    if (type === 'file') expect(withPath(bin, () => findBinary(hint))).toBe(target);
  });
});

describe('startDetached', () => {
  it('runs the program in the background with its output in the log file', async () => {
    const log = path.join(dir, 'detached.log');
    const pid = startDetached('/bin/sh', ['-c', 'echo started; exec sleep 30'], log);
    started.push(pid);
    await waitUntil(async () => fs.readFileSync(log, 'utf8').includes('started'), 'log', 5000);
    expect(fs.readFileSync(log, 'utf8')).toBe('started\n');
    expect(isAlive(pid)).toBe(true);
  });
});

describe('isAlive', () => {
  it.each([
    ['this process', process.pid, true],
    ['a pid that does not exist', 2 ** 22 + 1, false],
  ])('%s', (_name, pid, alive) => {
    expect(isAlive(pid)).toBe(alive);
  });

  it('counts an exited process that nobody reaped (zombie) as gone', async () => {
    // The shell's background child exits at once; the shell does not reap it until `wait`.
    const parent: ChildProcess = spawn('/bin/sh', ['-c', 'sleep 0 & echo $!; read x; wait'], {
      stdio: ['pipe', 'pipe', 'ignore'],
    });
    let out = '';
    parent.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const zombiePid = (): number => Number(out.trim());
    await waitUntil(async () => zombiePid() > 0, 'zombie pid', 5000);
    await waitUntil(async () => !isAlive(zombiePid()), 'zombie', 5000);

    expect(process.kill(zombiePid(), 0)).toBe(true); // the kernel still lists it
    expect(isAlive(zombiePid())).toBe(false);
    parent.stdin?.end('\n');
    await new Promise((resolve) => parent.once('exit', resolve));
  });
});

describe('readPid', () => {
  const pidFile = path.join(dir, 'server.pid');

  it.each([
    ['no pid file', undefined],
    ['an empty pid file', ''],
    ['garbage', 'not-a-pid\n'],
    ['a negative pid', '-5'],
    ['a pid that does not exist', String(2 ** 22 + 1)],
  ])('is undefined for %s', (_name, content) => {
    fs.rmSync(pidFile, { force: true });
    if (content !== undefined) fs.writeFileSync(pidFile, content);
    expect(readPid(pidFile)).toBeUndefined();
  });

  it('returns the pid of a running process', async () => {
    const pid = await sleeper();
    fs.writeFileSync(pidFile, `${pid}\n`);
    expect(readPid(pidFile)).toBe(pid);
    expect(readPid(pidFile, ['sleep'])).toBe(pid);
  });

  it('ignores a pid that now belongs to another program', async () => {
    const pid = await sleeper();
    fs.writeFileSync(pidFile, String(pid));
    expect(readPid(pidFile, ['redis-server'])).toBeUndefined();
    expect(readPid(pidFile, ['clickhouse-server', 'clickhouse'])).toBeUndefined();
  });
});

describe('stopPid', () => {
  it('stops a process with SIGTERM', async () => {
    const pid = await sleeper();
    const t0 = Date.now();
    await stopPid(pid, 5000);
    expect(isAlive(pid)).toBe(false);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('kills a process that ignores SIGTERM once the grace period is over', async () => {
    const pid = await sleeper("trap '' TERM; exec sleep 30");
    const t0 = Date.now();
    await stopPid(pid, 400);
    expect(isAlive(pid)).toBe(false);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
  });

  it('does nothing for a process that is already gone', async () => {
    await expect(stopPid(2 ** 22 + 1, 100)).resolves.toBeUndefined();
  });
});

describe('waitUntil', () => {
  it('resolves as soon as the probe answers true', async () => {
    let calls = 0;
    await waitUntil(async () => ++calls >= 3, 'probe', 5000);
    expect(calls).toBe(3);
  });

  it('treats a probe that throws as not ready yet', async () => {
    let calls = 0;
    const probe = async () => {
      if (++calls < 2) throw new Error('connection refused');
      return true;
    };
    await waitUntil(probe, 'probe', 5000);
    expect(calls).toBe(2);
  });

  it('fails with SERVICE_START_FAILED naming the service and its log', async () => {
    const err = await waitUntil(async () => false, 'clickhouse', 300, '/tmp/ch.log').catch(
      (e: unknown) => e,
    );
    expect(isSegstreamError(err, 'SERVICE_START_FAILED')).toBe(true);
    if (!isSegstreamError(err)) return;
    expect(err.details).toEqual({ service: 'clickhouse', log: '/tmp/ch.log', timeoutMs: 300 });
    expect(err.retriable).toBe(true);
  });
});

describe('assertPortFree', () => {
  it('refuses a port another program listens on, and accepts it once closed', async () => {
    const other = net.createServer();
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    const port = (other.address() as net.AddressInfo).port;

    const err = await assertPortFree(port, 'redis').catch((e: unknown) => e);
    expect(isSegstreamError(err, 'SERVICE_START_FAILED')).toBe(true);
    if (isSegstreamError(err)) expect(err.details).toMatchObject({ port, reason: 'port in use' });

    await new Promise<void>((resolve) => other.close(() => resolve()));
    await expect(assertPortFree(port, 'redis')).resolves.toBeUndefined();
  });
});
