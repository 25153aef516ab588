// `segstream demo --data real` as a user runs it: the real CLI in a child process against the
// test servers. Without the data folder it stops at once with a coded error naming the folder;
// with it, it imports the files, saves the real-data starter segments, replays CDNOW, and every
// starter segment goes live with members.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { SETTINGS } from '../../engine/config/config.ts';
import { REAL_DATA_FILES } from '../../engine/demo/real/load.ts';
import { REAL_STARTER_SEGMENTS } from '../../engine/demo/real/segments.ts';
import { hasSharedData, SHARED_DATA, SKIP_NO_DATA } from '../../engine/ingest/import/testing.ts';
import { openClient } from '../../engine/store/clickhouse.ts';
import { uniqueName } from '../support/isolation.ts';
import { freePort } from '../support/ports.ts';

const BIN = fileURLToPath(new URL('../../bin/segstream.js', import.meta.url));
const HAS_DATA = hasSharedData(...REAL_DATA_FILES);
if (!HAS_DATA) console.warn(SKIP_NO_DATA);

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Settings pointing the CLI at the test servers, with its own database, prefix and port. */
async function testEnv(database: string): Promise<NodeJS.ProcessEnv> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const setting of SETTINGS) delete env[setting.env];
  return {
    ...env,
    LOG_LEVEL: 'warn',
    CLICKHOUSE_URL: inject('clickhouseUrl'),
    CLICKHOUSE_DATABASE: database,
    REDIS_URL: inject('redisUrl'),
    REDIS_PREFIX: `${database}:`,
    PORT: String(await freePort()),
    SEGSTREAM_ADMIN_TOKEN: 'real-demo-test-token',
    SEGSTREAM_DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-real-demo-')),
  };
}

/** Runs `segstream demo ...args`; `output()` is everything printed so far. */
function demo(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, [BIN, 'demo', ...args], { env });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, exited, output: () => output };
}

describe('segstream demo --data real: bad options', () => {
  it.each([
    [
      ['--data', 'real', '--data-dir', '/nonexistent/data'],
      'IMPORT_FILE_INVALID',
      '/nonexistent/data does not exist',
    ],
    [
      ['--data', 'real', '--data-dir', os.tmpdir()],
      'IMPORT_FILE_INVALID',
      `${REAL_DATA_FILES[0]} is missing`,
    ],
    [['--data', 'fake'], 'VALIDATION_FAILED', '--data'],
  ])('%j exits 1 with %s', async (args, code, text) => {
    const run = demo(args, await testEnv(uniqueName('real_demo_bad')));
    expect(await run.exited).toBe(1);
    expect(run.output()).toContain(`error ${code}`);
    expect(run.output()).toContain(text);
  });
});

describe.skipIf(!HAS_DATA)('segstream demo --data real (real files)', () => {
  const database = uniqueName('real_demo');
  afterAll(async () => {
    const admin = openClient({ url: inject('clickhouseUrl'), database: 'default' });
    await admin.command({ query: `DROP DATABASE IF EXISTS ${database}_real` });
    await admin.close();
  });

  it('imports the files, replays CDNOW, and every starter segment goes live with members', async () => {
    const env = await testEnv(database);
    const args = ['--data', 'real', '--data-dir', SHARED_DATA, '--replay-speed', '1000000000'];
    const run = demo(args, env);
    try {
      const url = await waitFor(run.output, /Segstream is running: (http:\/\/\S+)/);
      expect(run.output()).toContain(
        `created ${REAL_STARTER_SEGMENTS.length} real-data starter segments`,
      );
      expect(run.output()).toMatch(/bwin: rows read \d+, rejected 0/);
      const segments = await liveSegments(url, env.SEGSTREAM_ADMIN_TOKEN!);
      expect(segments.map((s) => s.id).sort()).toEqual(
        REAL_STARTER_SEGMENTS.map((s) => s.id).sort(),
      );
      expect(segments.filter((s) => !(s.status.count > 0)).map((s) => s.id)).toEqual([]);
    } finally {
      run.child.kill('SIGTERM');
      expect(await run.exited).toBe(0);
    }
  });
});

async function waitFor(
  output: () => string,
  pattern: RegExp,
  timeoutMs = 100_000,
): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const match = output().match(pattern);
    if (match) return match[1]!;
    await sleep(200);
  }
  throw new Error(`no ${pattern} in output:\n${output()}`);
}

type Listed = { id: string; status: { state: string; count: number } };

/** The segments once all are live and the replayed CDNOW segments have members. */
async function liveSegments(url: string, token: string): Promise<Listed[]> {
  let segments: Listed[] = [];
  const done = () =>
    segments.length === REAL_STARTER_SEGMENTS.length &&
    segments.every((s) => s.status.state === 'live' && s.status.count > 0);
  for (let i = 0; i < 240 && !done(); i++) {
    await sleep(250);
    const res = await fetch(`${url}/v1/segments`, {
      headers: { authorization: `Bearer ${token}` },
    });
    segments = ((await res.json()) as { segments: Listed[] }).segments;
  }
  return segments;
}
