// `segstream import ...` as a user runs it: the real CLI in a child process, pointed at the
// test ClickHouse (and Redis) through the environment, with its own database.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { SETTINGS } from '../../engine/config/config.ts';
import { BWIN_FILES } from '../../engine/ingest/import/bwin/import.ts';
import { removeTemp, tempFiles } from '../../engine/ingest/import/testing.ts';
import { createStore, openClient, type Store } from '../../engine/store/clickhouse.ts';
import { uniqueName } from '../../test/support/isolation.ts';

const BIN = fileURLToPath(new URL('../../bin/segstream.js', import.meta.url));

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

const FILES = {
  'deposits.csv': [
    'Customer,When,Value,Channel',
    'c1,20260105,10.00,web',
    'c2,20260106,"1,234.50",app',
    'c3,20260107,7.25,app',
  ].join('\n'),
  'mapping.json': JSON.stringify({
    columns: { player_id: 'Customer', event_time: 'When', amount: 'Value' },
    dates: 'YYYYMMDD',
    defaults: { type: 'deposit', currency: 'EUR' },
  }),
  'cdnow.txt': ' customer_id  date number_of_cds  dollar_value\n 00001 19970101  1   11.77\n',
  'players.txt': 'player_id\np1\n',
  [BWIN_FILES.demographics]:
    'UserID,Country,Language,RegDate,FirstPay,FirstAct,FirstSp,FirstCa,FirstGa,FirstPo,' +
    'ApplicationID,Gender\n1001,276,2,2/1/2005,20050224,NULL,NULL,NULL,NULL,NULL,3,1\n',
  [BWIN_FILES.aggregates]:
    'USERID,AGE,FOTotalStakes,FOTotalWinnings,FOTotalBets,FOFirstActiveDate,FOLastActiveDate,' +
    'FOTotalDaysActive,LATotalStakes,LATotalWinnings,LATotalBets,LAFirstActiveDate,' +
    'LALastActiveDate,LATotalDaysActive\n1001,30,,,,,,,,,,,,\n',
  [BWIN_FILES.lookups]: 'table,code,label\nlanguage,2,German\n',
};

describe('segstream import (CLI)', () => {
  let dir: string;
  let database: string;
  let store: Store;
  let env: NodeJS.ProcessEnv;
  const file = (name: string) => path.join(dir, name);

  beforeAll(() => {
    dir = tempFiles(FILES);
    database = uniqueName('cli_import');
    const url = inject('clickhouseUrl');
    store = createStore({ url, database });
    env = envWith({
      CLICKHOUSE_URL: url,
      CLICKHOUSE_DATABASE: database,
      REDIS_URL: inject('redisUrl'),
      LOG_LEVEL: 'warn',
    });
  });
  afterAll(async () => {
    removeTemp(dir);
    await store.close();
    const admin = openClient({ url: inject('clickhouseUrl'), database });
    await admin.command({ query: `DROP DATABASE IF EXISTS ${database}` });
    await admin.close();
  });

  it('loads events through a mapping and exits 3 when a row is rejected', async () => {
    const args = ['import', 'events', file('deposits.csv')];
    const run = await segstream(
      [...args, '--mapping', file('mapping.json'), '--extra-to-props'],
      env,
    );
    expect(run.code).toBe(3);
    expect(run.stdout).toContain('rows read 3, rejected 1');
    expect(run.stdout).toContain('events loaded 2, duplicates skipped 0');
    expect(run.stdout).toContain('deposits.csv:3 amount IMPORT_ROW_INVALID');

    const rows = await store.rows<{ player_id: string; amount: string; prop_values: string[] }>(
      'SELECT player_id, toString(amount) AS amount, prop_values FROM events ORDER BY player_id',
    );
    expect(rows.map((r) => [r.player_id, Number(r.amount), r.prop_values])).toEqual([
      ['c1', 10, ['web']],
      ['c3', 7.25, ['app']],
    ]);
  });

  it('prints the summary as JSON and skips everything on a second run', async () => {
    const args = ['import', 'events', file('deposits.csv'), '--mapping', file('mapping.json')];
    const run = await segstream([...args, '--extra-to-props', '--json'], env);
    expect(run.code).toBe(3);
    expect(JSON.parse(run.stdout)).toMatchObject({
      read: 3,
      rejected: 1,
      events: { loaded: 0, duplicates: 2 },
      rejections: [{ file: 'deposits.csv', line: 3, field: 'amount' }],
    });
  });

  it('loads the built-in cdnow and bwin formats and exits 0', async () => {
    const cdnow = await segstream(['import', 'cdnow', file('cdnow.txt')], env);
    expect(cdnow).toMatchObject({ code: 0, stderr: '' });
    expect(cdnow.stdout).toContain('players loaded 1, duplicates skipped 0');
    const bwin = await segstream(['import', 'bwin', dir, '--json'], env);
    expect(bwin.code).toBe(0);
    expect(JSON.parse(bwin.stdout)).toMatchObject({
      players: { loaded: 1 },
      events: { loaded: 2 },
    });
  });

  it('names the problem and exits 1 when the file cannot be used', async () => {
    const run = await segstream(['import', 'players', file('players.txt')], env);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('error IMPORT_FILE_INVALID');
    const bad = await segstream(['import', 'players', file('players.txt'), '--show', '0'], env);
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('expected a whole number > 0');
  });
});

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
