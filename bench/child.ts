// A `segstream` command run as a child process of the bench (serve for freshness, engine for
// memory), so its work and memory are its own. Its stdout is read line by line; it is stopped by
// its pid with SIGTERM (SIGKILL if it does not exit in time).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../bin/segstream.js', import.meta.url));

export interface Child {
  readonly pid: number;
  /** Resolves with the first stdout line (from now on) that `match` accepts. */
  waitForLine(match: (line: string) => boolean, what: string, timeoutMs: number): Promise<string>;
  onLine(listener: (line: string) => void): void;
  stop(graceMs?: number): Promise<void>;
}

export function startCli(command: string, env: Record<string, string>): Child {
  const child = spawn(process.execPath, [CLI, command], {
    cwd: path.dirname(path.dirname(CLI)),
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  if (child.pid === undefined) throw new Error(`bench: could not start segstream ${command}`);
  const listeners = new Set<(line: string) => void>();
  createInterface({ input: child.stdout! }).on('line', (line) => {
    for (const listener of listeners) listener(line);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  return {
    pid: child.pid,
    onLine: (listener) => listeners.add(listener),
    waitForLine: (match, what, timeoutMs) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`bench: segstream ${command} gave no ${what} in ${timeoutMs} ms`));
        }, timeoutMs);
        const listener = (line: string) => {
          if (!match(line)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(line);
        };
        listeners.add(listener);
        void exited.then(() => {
          clearTimeout(timer);
          reject(new Error(`bench: segstream ${command} exited before ${what}`));
        });
      }),
    stop: (graceMs = 30_000) => stopChild(child, exited, graceMs),
  };
}

async function stopChild(child: ChildProcess, exited: Promise<void>, graceMs: number) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await exited;
  clearTimeout(timer);
}

/** A pino JSON log line, or undefined for any other line. */
export function logLine(line: string): Record<string, unknown> | undefined {
  if (!line.startsWith('{')) return undefined;
  try {
    return JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}
