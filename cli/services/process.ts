// Shared plumbing for the local services: finding binaries, pid files, waiting until a server
// answers. The services run as detached child processes so `segstream services up` can return
// while they keep running; their pid files under the data directory let `down` find them again.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { SegstreamError } from '../../engine/errors/errors.ts';

export interface BinaryHint {
  readonly names: readonly string[];
  readonly debianPackage: string;
}

export function findBinary(hint: BinaryHint): string {
  const dirs = (process.env.PATH ?? '')
    .split(':')
    .concat(['/usr/bin', '/usr/sbin', '/usr/local/bin']);
  for (const name of hint.names) {
    for (const dir of dirs) {
      const candidate = path.join(dir, name);
      if (isExecutable(candidate)) return candidate;
    }
  }
  throw new SegstreamError(
    'SERVICE_BINARY_MISSING',
    { binary: hint.names[0], install: `apt-get install -y ${hint.debianPackage}` },
    `${hint.names[0]} is not installed; install it with: apt-get install -y ${hint.debianPackage}`,
  );
}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function startDetached(binary: string, args: string[], logFile: string): number {
  const out = fs.openSync(logFile, 'a');
  const child = spawn(binary, args, { detached: true, stdio: ['ignore', out, out] });
  fs.closeSync(out);
  child.unref();
  if (child.pid === undefined) {
    throw new SegstreamError('SERVICE_START_FAILED', { binary });
  }
  return child.pid;
}

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return procState(pid) !== 'Z';
}

// A server started by `services up` is re-parented when that command exits. Where PID 1 does not
// reap orphans (minimal containers and VMs), the stopped server stays a zombie that still answers
// kill(pid, 0) forever; its state in /proc tells it apart. Undefined where there is no /proc.
function procState(pid: number): string | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).charAt(0);
  } catch {
    return undefined;
  }
}

/**
 * The pid recorded in `pidFile` if that process is alive and, when `names` is given, runs one of
 * those programs. Pid files outlive reboots, so a recorded pid may since belong to an unrelated
 * process: taking it for our server would skip the start, and `down` would kill it.
 */
export function readPid(pidFile: string, names?: readonly string[]): number | undefined {
  let pid: number;
  try {
    pid = Number(fs.readFileSync(pidFile, 'utf8').trim());
  } catch {
    return undefined;
  }
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return undefined;
  return names === undefined || runsOneOf(pid, names) ? pid : undefined;
}

function runsOneOf(pid: number, names: readonly string[]): boolean {
  let cmdline: string;
  try {
    cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return true; // no /proc: the pid is all there is to go on
  }
  // Redis rewrites its title to "redis-server 127.0.0.1:PORT", so split on spaces as well.
  const program = cmdline.split(/[\0 ]/)[0] ?? '';
  return names.includes(path.basename(program));
}

/** Sends SIGTERM, then SIGKILL after `graceMs` if the process is still there. */
export async function stopPid(pid: number, graceMs = 15_000): Promise<void> {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (isAlive(pid) && Date.now() < deadline) await sleep(100);
  if (isAlive(pid)) process.kill(pid, 'SIGKILL');
  while (isAlive(pid)) await sleep(50);
}

export async function waitUntil(
  probe: () => Promise<boolean>,
  what: string,
  timeoutMs: number,
  logFile?: string,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(150);
  }
  throw new SegstreamError('SERVICE_START_FAILED', { service: what, log: logFile, timeoutMs });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Refuses to start a server on a port that something else already listens on: the new server
 * would fail to bind, while the old one answered our readiness probe in its place.
 */
export async function assertPortFree(port: number, service: string): Promise<void> {
  const taken = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ port, host: '127.0.0.1' });
    socket.setTimeout(1000, () => (socket.destroy(), resolve(false)));
    socket.on('error', () => resolve(false));
    socket.on('connect', () => (socket.destroy(), resolve(true)));
  });
  if (taken) {
    throw new SegstreamError(
      'SERVICE_START_FAILED',
      { service, port, reason: 'port in use' },
      `${service} cannot start: port ${port} is already in use by another program`,
    );
  }
}
