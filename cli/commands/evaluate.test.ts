// `segstream evaluate` as a user runs it: the real CLI in a child process against a test
// database holding a few players and events.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_CATALOGUE } from '../../engine/catalogue/default.ts';
import { SETTINGS } from '../../engine/config/config.ts';
import { createSegmentRepository } from '../../engine/segments/repository.ts';
import { insertEvents, type EventRow } from '../../engine/store/events.ts';
import { insertPlayers } from '../../engine/store/players.ts';
import { testDatabase, type TestDatabase } from '../../test/support/isolation.ts';

const BIN = fileURLToPath(new URL('../../bin/segstream.js', import.meta.url));
const AT = '2026-03-10T17:00:00Z';

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

const deposit = (id: string, player: string, iso: string): EventRow => ({
  event_id: id,
  player_id: player,
  type: 'deposit',
  event_time: Date.parse(iso),
  amount: '25.00',
});

const depositors = {
  include: {
    all: [
      { list: 'deposits', window: { last: 7, unit: 'day' }, measure: 'count', op: 'gte', value: 2 },
      { field: 'country', op: 'in', value: ['DE', 'AT'] },
      { not: { field: 'self_excluded', op: 'is_true' } },
    ],
  },
};
const loggedInToday = (timezone: string) => ({
  name: 'Logged in today',
  timezone,
  rule: {
    include: {
      all: [
        { list: 'logins', window: { calendar: 'today' }, measure: 'count', op: 'gte', value: 1 },
      ],
    },
  },
});

describe('segstream evaluate (real ClickHouse)', () => {
  let db: TestDatabase;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  const file = (name: string, content: unknown) => {
    const target = path.join(dir, name);
    fs.writeFileSync(target, typeof content === 'string' ? content : JSON.stringify(content));
    return target;
  };

  beforeAll(async () => {
    db = await testDatabase('evaluate');
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-evaluate-'));
    env = { ...process.env };
    for (const setting of SETTINGS) delete env[setting.env];
    Object.assign(env, {
      CLICKHOUSE_URL: db.url,
      CLICKHOUSE_DATABASE: db.database,
      SEGSTREAM_DATA_DIR: path.join(dir, 'data'),
      LOG_LEVEL: 'silent',
    });

    await insertPlayers(db.store, [
      { player_id: 'p1', version: 1, country: 'DE' },
      { player_id: 'p2', version: 1, country: 'AT', self_excluded: false },
      { player_id: 'p3', version: 1, country: 'DE', self_excluded: true },
      { player_id: 'p4', version: 1, country: 'FR' },
    ]);
    await insertEvents(db.store, [
      deposit('d1', 'p1', '2026-03-05T10:00:00Z'),
      deposit('d2', 'p1', '2026-03-10T16:59:59Z'),
      deposit('d3', 'p2', '2026-03-04T09:00:00Z'),
      deposit('d4', 'p2', '2026-03-09T09:00:00Z'),
      deposit('d5', 'p3', '2026-03-08T09:00:00Z'),
      deposit('d6', 'p3', '2026-03-09T09:00:00Z'),
      // p4 is not from DE/AT; p5 has no profile; p2's third deposit is after the as-of time.
      deposit('d7', 'p4', '2026-03-08T09:00:00Z'),
      deposit('d8', 'p4', '2026-03-09T09:00:00Z'),
      deposit('d9', 'p5', '2026-03-08T09:00:00Z'),
      deposit('d10', 'p5', '2026-03-09T09:00:00Z'),
      {
        event_id: 'l1',
        player_id: 'p4',
        type: 'login',
        event_time: Date.parse('2026-03-10T14:00:00Z'),
      },
    ]);
    const segments = createSegmentRepository(db.store, {
      catalogue: DEFAULT_CATALOGUE,
      defaultTimezone: 'UTC',
    });
    await segments.create(
      { name: 'Managed', static_members: ['p2'] },
      { createdBy: 't', id: 'managed' },
    );
  });
  afterAll(async () => {
    await db.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['a rule with its members', depositors, ['--members'], '2\np1\np2\n'],
    ['a rule, count only', depositors, [], '2\n'],
    [
      'a rule one second earlier',
      depositors,
      ['--members', '--at', '2026-03-10T16:59:58Z'],
      '1\np2\n',
    ],
    ['a rule at a date alone', depositors, ['--members', '--at', '2026-03-09'], '0\n'],
    [
      'a rule excluding a static segment',
      { ...depositors, exclude: { any: [{ segment: 'managed', op: 'in' }] } },
      ['--members'],
      '1\np1\n',
    ],
    ['a definition in UTC', loggedInToday('UTC'), ['--members'], '1\np4\n'],
    [
      'a definition in Tokyo, where today began after the login',
      loggedInToday('Asia/Tokyo'),
      ['--members'],
      '0\n',
    ],
  ])('prints the members of %s', async (_name, input, args, expected) => {
    const run = await segstream(['evaluate', file('input.json', input), '--at', AT, ...args], env);
    expect(run).toEqual({ code: 0, stdout: expected, stderr: '' });
  });

  it.each([
    [
      'an invalid rule',
      {
        include: {
          all: [
            {
              list: 'deposits',
              window: { last: 7, unit: 'days' },
              measure: 'count',
              op: 'gte',
              value: 1,
            },
          ],
        },
      },
      [],
      'error RULE_INVALID: The rule is not valid at include.all[0].window.unit: ' +
        'must be one of minute, hour, day, week, month\n',
    ],
    [
      'an unknown field in a definition',
      { name: 'x', rule: { include: { all: [{ field: 'nickname', op: 'eq', value: 'x' }] } } },
      [],
      'error RULE_UNKNOWN_FIELD: The rule names an unknown field at rule.include.all[0].field: ' +
        'nickname is not a field of players\n',
    ],
    [
      'an unknown segment',
      { ...depositors, exclude: { any: [{ segment: 'nope', op: 'in' }] } },
      [],
      'error RULE_SEGMENT_UNKNOWN: The referenced segment does not exist at ' +
        'exclude.any[0].segment: nope does not exist\n',
    ],
    [
      'a bad as-of time',
      depositors,
      ['--at', 'yesterday'],
      'error VALIDATION_FAILED: --at must be an ISO date-time with an offset or Z, or a date ' +
        '(YYYY-MM-DD)\n',
    ],
    [
      'a static segment',
      { name: 'Upload', static_members: ['p1'] },
      [],
      'error VALIDATION_FAILED: a static segment has no rule to evaluate\n',
    ],
  ])('refuses %s with its code and path', async (_name, input, args, expected) => {
    const run = await segstream(['evaluate', file('bad.json', input), ...args], env);
    expect(run).toEqual({ code: 1, stdout: '', stderr: expected });
  });

  it('refuses a file that is not JSON', async () => {
    const run = await segstream(['evaluate', file('broken.json', '{ "include": ')], env);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^error VALIDATION_FAILED: .*JSON/);
  });
});
