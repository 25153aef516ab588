// `segstream serve` and `segstream demo` as a user runs them: the real CLI in a child process,
// pointed at the test servers with its own database and a free port, stopped with SIGTERM.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SETTINGS } from '../../engine/config/config.ts';
import { createStore, openClient, type Store } from '../../engine/store/clickhouse.ts';
import { uniqueName } from '../../test/support/isolation.ts';
import { freePort } from '../../test/support/ports.ts';

const BIN = fileURLToPath(new URL('../../bin/segstream.js', import.meta.url));
const CDNOW = fileURLToPath(
  new URL('../../../shared/data/cdnow_master_transactions.txt', import.meta.url),
);
const URL_LINE = /Segstream is running: (http:\/\/\S+)/;
const TOKEN_LINE = /admin token: (\S+)/;

/** A running CLI process whose output is collected as it comes. */
class Cli {
  readonly child: ChildProcessWithoutNullStreams;
  output = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(args: string[], env: NodeJS.ProcessEnv) {
    this.child = spawn(process.execPath, [BIN, ...args], { env });
    this.child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => resolve({ code, signal }));
    });
  }

  /** The first match of `pattern` in the output; fails if the process exits first. */
  async waitFor(pattern: RegExp, timeoutMs = 90_000): Promise<RegExpMatchArray> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const match = this.output.match(pattern);
      if (match) return match;
      if (this.child.exitCode !== null) break;
      await sleep(100);
    }
    throw new Error(`no ${pattern} in output:\n${this.output}`);
  }

  async stop() {
    this.child.kill('SIGTERM');
    return this.exited;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The caller's environment without any Segstream setting, plus the given ones. */
function envWith(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const setting of SETTINGS) delete env[setting.env];
  return { ...env, LOG_LEVEL: 'warn', ...settings };
}

interface Target {
  readonly env: NodeJS.ProcessEnv;
  readonly store: Store;
  drop(): Promise<void>;
}

/** Settings that point the CLI at the test servers, its own database and a free port. */
async function target(port?: number): Promise<Target> {
  const url = inject('clickhouseUrl');
  const database = uniqueName('cli_demo');
  const env = envWith({
    CLICKHOUSE_URL: url,
    CLICKHOUSE_DATABASE: database,
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: `${database}:`,
    PORT: String(port ?? (await freePort())),
    SEGSTREAM_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-demo-')),
  });
  const store = createStore({ url, database });
  const drop = async () => {
    await store.close();
    const admin = openClient({ url, database });
    await admin.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await admin.close();
  };
  return { env, store, drop };
}

async function eventCount(store: Store): Promise<number> {
  const rows = await store.rows<{ n: number }>('SELECT count() AS n FROM events');
  return Number(rows[0]?.n);
}

/** Polls until the stored event count passes `than`; returns the new count. */
async function countAbove(store: Store, than: number, timeoutMs = 20_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  for (let n = await eventCount(store); Date.now() < deadline; n = await eventCount(store)) {
    if (n > than) return n;
    await sleep(250);
  }
  throw new Error(`event count stayed at ${than}`);
}

describe('segstream demo', () => {
  let t: Target;
  beforeAll(async () => (t = await target()));
  afterAll(() => t.drop());

  it('loads the population, serves the API, keeps streaming, stops on SIGTERM', async () => {
    const cli = new Cli(['demo', '--players', '500', '--rate', '20'], t.env);
    try {
      const [, url] = await cli.waitFor(URL_LINE);
      expect(cli.output).toMatch(/loaded 500 players and \d+ events in [\d.]+ s/);

      const health = await fetch(`${url}/health`);
      expect([health.status, await health.json()]).toEqual([200, { status: 'ok' }]);
      expect((await fetch(`${url}/ready`)).status).toBe(200);

      const first = await countAbove(t.store, 0);
      const second = await countAbove(t.store, first);
      await countAbove(t.store, second);

      // A first look needs no setup: a token is printed, and starter segments go live.
      expect(cli.output).toMatch(/created 5 starter segments/);
      const [, token] = await cli.waitFor(TOKEN_LINE);
      const auth = { authorization: `Bearer ${token}` };
      type Listed = { segments: { id: string; status: { state: string } }[] };
      let segments: Listed['segments'] = [];
      const allLive = () => segments.length > 0 && segments.every((s) => s.status.state === 'live');
      for (let i = 0; i < 80 && !allLive(); i++) {
        await sleep(250);
        const res = await fetch(`${url}/v1/segments`, { headers: auth });
        segments = ((await res.json()) as Listed).segments;
      }
      expect(segments.map((s) => s.id).sort()).toEqual(
        ['dach-depositors', 'high-stakes', 'lapsed', 'new-this-week', 'vip'].sort(),
      );
      expect(segments.map((s) => s.status.state)).toEqual(segments.map(() => 'live'));
    } finally {
      const exit = await cli.stop();
      expect(exit).toEqual({ code: 0, signal: null });
    }
    const players = await t.store.rows<{ n: number }>('SELECT count() AS n FROM players');
    expect(Number(players[0]?.n)).toBeGreaterThanOrEqual(500);
  });

  it.each([
    [['--rate', '0'], 'VALIDATION_FAILED', '--rate'],
    [['--players', '-3'], 'VALIDATION_FAILED', '--players'],
    [['--replay-speed', 'fast'], 'VALIDATION_FAILED', '--replay-speed'],
    [['--replay-cdnow', '/nonexistent/cdnow.txt'], 'IMPORT_FILE_INVALID', '--replay-cdnow'],
  ])('refuses %j with %s', async (args, code, field) => {
    const cli = new Cli(['demo', ...args], t.env);
    const exit = await cli.exited;
    expect(exit.code).toBe(1);
    expect(cli.output).toContain(`error ${code}`);
    expect(cli.output).toContain(field);
  });
});

describe.skipIf(!fs.existsSync(CDNOW))('segstream demo --replay-cdnow (real CDNOW file)', () => {
  let t: Target;
  beforeAll(async () => (t = await target()));
  afterAll(() => t.drop());

  it('replays the purchases as deposits next to an empty population', async () => {
    const args = ['--players', '0', '--no-stream', '--replay-cdnow', CDNOW];
    const cli = new Cli(['demo', ...args, '--replay-speed', '100000000'], t.env);
    try {
      await cli.waitFor(URL_LINE);
      await countAbove(t.store, 60_000, 60_000);
    } finally {
      expect((await cli.stop()).code).toBe(0);
    }
  });
});

describe('segstream serve', () => {
  let t: Target;
  beforeAll(async () => (t = await target()));
  afterAll(() => t.drop());

  it('migrates, answers /ready, stops on SIGTERM', async () => {
    const token = 'serve-test-admin-token';
    const cli = new Cli(['serve'], { ...t.env, SEGSTREAM_ADMIN_TOKEN: token });
    try {
      const [, url] = await cli.waitFor(URL_LINE);
      const ready = await fetch(`${url}/ready`);
      expect(ready.status).toBe(200);
      expect(await eventCount(t.store)).toBe(0);

      // Ingest goes through the API into the Redis queue; the writer in the same process
      // stores it in ClickHouse.
      const event = { event_id: 'e1', player_id: 'p1', type: 'deposit', amount: '10.50' };
      const res = await fetch(`${url}/v1/events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify([{ ...event, event_time: new Date().toISOString() }]),
      });
      expect(res.status).toBe(202);
      expect(await res.json()).toEqual({ accepted: 1, rejected_count: 0, rejected: [] });
      expect(await countAbove(t.store, 0)).toBe(1);
    } finally {
      expect(await cli.stop()).toEqual({ code: 0, signal: null });
    }
  });

  it('fails with a coded error when the port is taken', async () => {
    const blocker = net.createServer();
    const port = await new Promise<number>((resolve) =>
      blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as net.AddressInfo).port)),
    );
    try {
      const busy = await target(port);
      const cli = new Cli(['serve'], busy.env);
      expect((await cli.exited).code).toBe(1);
      expect(cli.output).toContain('error SERVICE_START_FAILED');
      await busy.drop();
    } finally {
      blocker.close();
    }
  });
});
