// No Docker engine runs here, so docker-compose.yml and the Dockerfile are checked as files: their
// shape, the images, health checks, volumes, start order, and that what they hand the app is a
// valid Segstream configuration.
import fs from 'node:fs';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig, SETTINGS } from '../engine/config/config.ts';

const root = new URL('../', import.meta.url);
const read = (file: string): string => fs.readFileSync(new URL(file, root), 'utf8');
const exists = (file: string): boolean => fs.existsSync(new URL(file, root));

const Healthcheck = Type.Object({
  test: Type.Array(Type.String(), { minItems: 2 }),
  interval: Type.String(),
  timeout: Type.String(),
  retries: Type.Integer({ minimum: 1 }),
});
const Service = Type.Object({
  image: Type.String(),
  build: Type.Optional(Type.Object({ context: Type.String(), dockerfile: Type.String() })),
  command: Type.Optional(Type.Array(Type.String())),
  environment: Type.Optional(Type.Record(Type.String(), Type.String())),
  volumes: Type.Optional(Type.Array(Type.String())),
  ports: Type.Optional(Type.Array(Type.String())),
  depends_on: Type.Optional(Type.Record(Type.String(), Type.Object({ condition: Type.String() }))),
  healthcheck: Healthcheck,
});
const Compose = Type.Object({
  name: Type.String(),
  services: Type.Record(Type.String(), Service),
  volumes: Type.Record(Type.String(), Type.Null()),
});
type Compose = Static<typeof Compose>;
type Service = Static<typeof Service>;

// `merge` resolves the `<<: *anchor` keys the way docker compose does.
const raw: unknown = parse(read('docker-compose.yml'), { merge: true });
const compose = raw as Compose;
const service = (name: string): Service => {
  const found = compose.services[name];
  if (!found) throw new Error(`no service ${name} in docker-compose.yml`);
  return found;
};

/** Compose's `${VAR}`, `${VAR:-default}`, `${VAR-default}` and `${VAR:?error}` forms. */
function interpolate(value: string, host: Record<string, string>): string {
  return value.replace(/\$\{(\w+)(?:(:?)([-?])([^}]*))?\}/g, (_all, name, colon, op, arg) => {
    const given: string | undefined = host[name];
    const missing = colon ? !given : given === undefined;
    if (missing && op === '?') throw new Error(`${name}: ${arg}`);
    if (missing && op === '-') return arg;
    return given ?? '';
  });
}

function resolvedEnv(name: string, host: Record<string, string>): Record<string, string> {
  const env = service(name).environment ?? {};
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, interpolate(v, host)]));
}

/** Dockerfile instructions of the final stage, continuation lines joined. */
function finalStage(): Array<{ op: string; args: string }> {
  const all = read('Dockerfile')
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [op = '', ...args] = line.split(/\s+/);
      return { op: op.toUpperCase(), args: args.join(' ') };
    });
  return all.slice(all.map((i) => i.op).lastIndexOf('FROM'));
}

function dockerfile(op: string): string[] {
  const text = read('Dockerfile').replace(/\\\n/g, ' ');
  return [...text.matchAll(new RegExp(`^${op}\\s+(.+)$`, 'gm'))].map((m) => (m[1] ?? '').trim());
}

const HOST_ENV = { SEGSTREAM_ADMIN_TOKEN: 'token-from-host' };

describe('docker-compose.yml', () => {
  it('has the expected shape', () => {
    expect([...Value.Errors(Compose, raw)].map((e) => `${e.path}: ${e.message}`)).toEqual([]);
  });

  it('runs ClickHouse, Redis and the app', () => {
    expect(Object.keys(compose.services).sort()).toEqual(['app', 'clickhouse', 'redis']);
  });

  it.each([
    ['clickhouse', /^clickhouse\/clickhouse-server:\d+\.\d+(\.\d+)*$/],
    ['redis', /^redis:7(\.\d+)*$/],
  ])('pins the official %s image to a release line', (name, image) => {
    expect(service(name).image).toMatch(image);
  });

  it('starts Redis with append-only persistence', () => {
    const command = service('redis').command ?? [];
    expect(command[0]).toBe('redis-server');
    expect(command[command.indexOf('--appendonly') + 1]).toBe('yes');
  });

  it.each([
    ['clickhouse', ['http://127.0.0.1:8123/ping']],
    ['redis', ['redis-cli', 'ping']],
    ['app', ['http://127.0.0.1:8080/health']],
  ])('health-checks %s', (name, expected) => {
    const test = service(name).healthcheck.test;
    expect(test[0]).toBe('CMD');
    for (const part of expected) expect(test.join(' ')).toContain(part);
  });

  it('keeps ClickHouse and Redis data in named volumes', () => {
    expect(service('clickhouse').volumes).toEqual(['clickhouse-data:/var/lib/clickhouse']);
    expect(service('redis').volumes).toEqual(['redis-data:/data']);
  });

  it('declares every named volume it uses and uses every one it declares', () => {
    const used = Object.values(compose.services)
      .flatMap((s) => s.volumes ?? [])
      .map((mount) => mount.split(':')[0] ?? '')
      .filter((source) => !source.startsWith('.') && !source.startsWith('/'));
    expect(used.sort()).toEqual(Object.keys(compose.volumes).sort());
  });

  it('starts the app only once ClickHouse and Redis are healthy', () => {
    expect(service('app').depends_on).toEqual({
      clickhouse: { condition: 'service_healthy' },
      redis: { condition: 'service_healthy' },
    });
  });

  it('builds the app from the Dockerfile', () => {
    expect(service('app').build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
    expect(exists('Dockerfile')).toBe(true);
  });

  it('gives the app only settings declared in engine/config/config.ts', () => {
    const declared = new Set<string>(SETTINGS.map((s) => s.env));
    const given = Object.keys(service('app').environment ?? {});
    expect(given.filter((name) => !declared.has(name))).toEqual([]);
    expect(given).toEqual(
      expect.arrayContaining([
        'CLICKHOUSE_URL',
        'CLICKHOUSE_DATABASE',
        'REDIS_URL',
        'SEGSTREAM_ADMIN_TOKEN',
      ]),
    );
  });

  it('gives the app a valid configuration pointing at the compose services', () => {
    const config = loadConfig(resolvedEnv('app', HOST_ENV), '/app');
    const clickhouse = resolvedEnv('clickhouse', HOST_ENV);
    expect(config.clickhouse).toMatchObject({
      url: 'http://clickhouse:8123',
      database: 'segstream',
      user: clickhouse.CLICKHOUSE_USER,
      password: clickhouse.CLICKHOUSE_PASSWORD,
    });
    expect(config.redis.url).toBe('redis://redis:6379');
    expect(config.adminToken).toBe('token-from-host');
    expect(config.timezone).toBe('UTC');
    expect(config.logLevel).toBe('info');
  });

  it('passes host overrides to the app and to ClickHouse alike', () => {
    const host = { ...HOST_ENV, CLICKHOUSE_PASSWORD: 'pw', LOG_LEVEL: 'debug' };
    const config = loadConfig(resolvedEnv('app', host), '/app');
    expect(config.clickhouse.password).toBe('pw');
    expect(resolvedEnv('clickhouse', host).CLICKHOUSE_PASSWORD).toBe('pw');
    expect(config.logLevel).toBe('debug');
  });

  it('refuses to start without SEGSTREAM_ADMIN_TOKEN from the host', () => {
    expect(() => resolvedEnv('app', {})).toThrow(/SEGSTREAM_ADMIN_TOKEN/);
    expect(() => resolvedEnv('app', { SEGSTREAM_ADMIN_TOKEN: '' })).toThrow();
  });

  it('publishes only the app, on the port it listens on', () => {
    expect(service('clickhouse').ports).toBeUndefined();
    expect(service('redis').ports).toBeUndefined();
    const [mapping] = service('app').ports ?? [];
    expect(mapping?.split(':').at(-1)).toBe(finalEnv().PORT);
  });
});

function finalEnv(): Record<string, string> {
  const pairs = finalStage()
    .filter((i) => i.op === 'ENV')
    .flatMap((i) => i.args.split(/\s+/))
    .map((pair) => pair.split('='));
  return Object.fromEntries(pairs.map(([k = '', ...v]) => [k, v.join('=')]));
}

describe('Dockerfile', () => {
  it('builds and runs on node 20 bookworm-slim', () => {
    const bases = dockerfile('FROM').map((from) => from.split(/\s+/)[0]);
    expect(bases.length).toBeGreaterThan(0);
    expect(new Set(bases)).toEqual(new Set(['node:20-bookworm-slim']));
  });

  it('installs with npm ci, then builds the UI', () => {
    const runs = dockerfile('RUN');
    const ci = runs.findIndex((run) => /\bnpm ci\b/.test(run));
    const ui = runs.findIndex((run) => run.includes('npm run build:ui'));
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(ui).toBeGreaterThan(ci);
    const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
    expect(pkg.scripts['build:ui']).toBeDefined();
  });

  it('runs segstream serve, listening on all interfaces on port 8080', () => {
    const cmd = finalStage().filter((i) => i.op === 'CMD');
    expect(cmd.map((i) => JSON.parse(i.args) as unknown)).toEqual([
      ['node', 'bin/segstream.js', 'serve'],
    ]);
    expect(exists('bin/segstream.js')).toBe(true);
    expect(finalEnv()).toMatchObject({ HOST: '0.0.0.0', PORT: '8080' });
    expect(loadConfig(finalEnv(), '/app')).toMatchObject({ host: '0.0.0.0', port: 8080 });
  });

  it('exposes the port the app listens on and is health-checked on', () => {
    const expose = finalStage().filter((i) => i.op === 'EXPOSE');
    expect(expose.map((i) => i.args)).toEqual([finalEnv().PORT]);
    const probe = service('app').healthcheck.test.join(' ');
    expect(probe).toContain(`:${finalEnv().PORT}/health`);
  });

  it('copies only files that exist and are not excluded by .dockerignore', () => {
    const ignored = read('.dockerignore')
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    expect(ignored).toEqual(expect.arrayContaining(['node_modules', '.data', '.git', '.env']));

    const sources = dockerfile('COPY')
      .filter((copy) => !copy.includes('--from='))
      .flatMap((copy) => copy.split(/\s+/).slice(0, -1))
      .filter((source) => source !== '.');
    expect(sources).toEqual(['package.json', 'package-lock.json']);
    for (const source of sources) {
      expect(exists(source)).toBe(true);
      expect(ignored).not.toContain(source);
    }
    for (const needed of ['bin', 'cli', 'engine', 'ui', 'clickhouse', 'package.json']) {
      expect(ignored).not.toContain(needed);
    }
  });
});
