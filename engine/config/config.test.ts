import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isSegstreamError } from '../errors/errors.ts';
import { loadConfig, SETTINGS, type Config } from './config.ts';

const CWD = '/srv/segstream';

const DEFAULTS: Config = {
  clickhouse: {
    url: undefined,
    database: 'segstream',
    user: 'default',
    password: '',
    httpPort: 18123,
    tcpPort: 19000,
    cluster: undefined,
  },
  redis: { url: undefined, port: 16379, prefix: 'segstream:' },
  dataDir: path.join(CWD, '.data'),
  timezone: 'UTC',
  catalogueFile: undefined,
  suppressionFile: undefined,
  adminToken: undefined,
  port: 8080,
  host: '127.0.0.1',
  logLevel: 'info',
  api: { previewPerMinute: 600, exportPerMinute: 30 },
  ingest: {
    bodyLimitBytes: 10_485_760,
    batchItems: 20_000,
    flushIntervalMs: 200,
    leaseMs: 60_000,
    futureLimitMs: 86_400_000,
  },
  engine: {
    tickMs: 100,
    sweepIntervalMs: 60_000,
    overlapMs: 5_000,
    tickPlayerLimit: 50_000,
    leaseMs: 10_000,
    computeTimeoutMs: 120_000,
    retryMs: 30_000,
    historyMinuteDays: 7,
  },
  live: {
    heartbeatMs: 15_000,
    subscriptionsMax: 1_000,
    messageMaxBytes: 65_536,
    messagesPerSecond: 20,
    bufferHighBytes: 65_536,
    bufferStuckMs: 30_000,
  },
};

function configError(env: Record<string, string>): unknown {
  try {
    loadConfig(env, CWD);
  } catch (err) {
    return err;
  }
  return undefined;
}

describe('loadConfig defaults', () => {
  it('gives every default when nothing is set', () => {
    expect(loadConfig({}, CWD)).toEqual(DEFAULTS);
  });

  it.each(SETTINGS.map((s) => [s.env]))('treats an empty %s as unset', (env) => {
    expect(loadConfig({ [env]: '' }, CWD)).toEqual(DEFAULTS);
  });

  it('ignores environment variables it does not declare', () => {
    expect(loadConfig({ CLICKHOUSE_DB: 'other', NODE_ENV: 'production' }, CWD)).toEqual(DEFAULTS);
  });
});

// One row per setting: the variable, a valid non-default value and where it lands in Config.
const OVERRIDES: ReadonlyArray<[string, string, (c: Config) => unknown, unknown]> = [
  ['CLICKHOUSE_URL', 'http://ch.internal:8123', (c) => c.clickhouse.url, 'http://ch.internal:8123'],
  ['CLICKHOUSE_URL', 'https://ch.example.com', (c) => c.clickhouse.url, 'https://ch.example.com'],
  ['CLICKHOUSE_DATABASE', 'crm_prod', (c) => c.clickhouse.database, 'crm_prod'],
  ['CLICKHOUSE_USER', 'segstream', (c) => c.clickhouse.user, 'segstream'],
  ['CLICKHOUSE_PASSWORD', 's3cret', (c) => c.clickhouse.password, 's3cret'],
  ['CLICKHOUSE_HTTP_PORT', '8123', (c) => c.clickhouse.httpPort, 8123],
  ['CLICKHOUSE_TCP_PORT', '9000', (c) => c.clickhouse.tcpPort, 9000],
  ['REDIS_URL', 'redis://cache:6379', (c) => c.redis.url, 'redis://cache:6379'],
  ['REDIS_URL', 'rediss://:pw@cache:6380/2', (c) => c.redis.url, 'rediss://:pw@cache:6380/2'],
  ['REDIS_PORT', '6379', (c) => c.redis.port, 6379],
  ['REDIS_PREFIX', 'crm:', (c) => c.redis.prefix, 'crm:'],
  ['SEGSTREAM_DATA_DIR', '/var/lib/segstream', (c) => c.dataDir, '/var/lib/segstream'],
  ['SEGSTREAM_DATA_DIR', 'state', (c) => c.dataDir, path.join(CWD, 'state')],
  ['SEGSTREAM_TIMEZONE', 'Europe/Malta', (c) => c.timezone, 'Europe/Malta'],
  [
    'SEGSTREAM_CATALOGUE_FILE',
    'catalogue.json',
    (c) => c.catalogueFile,
    path.join(CWD, 'catalogue.json'),
  ],
  [
    'SEGSTREAM_SUPPRESSION_FILE',
    'suppression.json',
    (c) => c.suppressionFile,
    path.join(CWD, 'suppression.json'),
  ],
  ['SEGSTREAM_ADMIN_TOKEN', 'tok-123', (c) => c.adminToken, 'tok-123'],
  ['PORT', '3000', (c) => c.port, 3000],
  ['PORT', '65535', (c) => c.port, 65535],
  ['HOST', '0.0.0.0', (c) => c.host, '0.0.0.0'],
  ['LOG_LEVEL', 'debug', (c) => c.logLevel, 'debug'],
  ['LOG_LEVEL', 'silent', (c) => c.logLevel, 'silent'],
  ['LOG_LEVEL', 'WARN', (c) => c.logLevel, 'WARN'],
  ['INGEST_BODY_LIMIT_BYTES', '1048576', (c) => c.ingest.bodyLimitBytes, 1_048_576],
  ['INGEST_BATCH_ITEMS', '500', (c) => c.ingest.batchItems, 500],
  ['INGEST_FLUSH_INTERVAL_MS', '750', (c) => c.ingest.flushIntervalMs, 750],
  ['INGEST_LEASE_MS', '5000', (c) => c.ingest.leaseMs, 5_000],
  ['INGEST_FUTURE_LIMIT_MS', '3600000', (c) => c.ingest.futureLimitMs, 3_600_000],
  ['API_PREVIEW_PER_MINUTE', '60', (c) => c.api.previewPerMinute, 60],
  ['API_EXPORT_PER_MINUTE', '5', (c) => c.api.exportPerMinute, 5],
  ['ENGINE_TICK_MS', '400', (c) => c.engine.tickMs, 400],
  ['ENGINE_SWEEP_INTERVAL_MS', '5000', (c) => c.engine.sweepIntervalMs, 5_000],
  ['ENGINE_WATERMARK_OVERLAP_MS', '2000', (c) => c.engine.overlapMs, 2_000],
  ['ENGINE_TICK_PLAYER_LIMIT', '1000', (c) => c.engine.tickPlayerLimit, 1_000],
  ['ENGINE_LEASE_MS', '3000', (c) => c.engine.leaseMs, 3_000],
  ['ENGINE_COMPUTE_TIMEOUT_MS', '9000', (c) => c.engine.computeTimeoutMs, 9_000],
  ['ENGINE_RETRY_MS', '1000', (c) => c.engine.retryMs, 1_000],
  ['ENGINE_HISTORY_MINUTE_DAYS', '30', (c) => c.engine.historyMinuteDays, 30],
  ['LIVE_HEARTBEAT_MS', '5000', (c) => c.live.heartbeatMs, 5_000],
  ['LIVE_SUBSCRIPTIONS_MAX', '50', (c) => c.live.subscriptionsMax, 50],
  ['LIVE_MESSAGE_MAX_BYTES', '4096', (c) => c.live.messageMaxBytes, 4_096],
  ['LIVE_MESSAGES_PER_SECOND', '5', (c) => c.live.messagesPerSecond, 5],
  ['LIVE_BUFFER_HIGH_BYTES', '1048576', (c) => c.live.bufferHighBytes, 1_048_576],
  ['LIVE_BUFFER_STUCK_MS', '10000', (c) => c.live.bufferStuckMs, 10_000],
];

describe('loadConfig overrides', () => {
  it.each(OVERRIDES)('%s=%s', (env, value, pick, expected) => {
    expect(pick(loadConfig({ [env]: value }, CWD))).toEqual(expected);
  });

  it('changes nothing but the overridden setting', () => {
    const config = loadConfig({ REDIS_PORT: '6379' }, CWD);
    expect(config).toEqual({ ...DEFAULTS, redis: { ...DEFAULTS.redis, port: 6379 } });
  });

  it('has an override case for every declared setting', () => {
    const covered = new Set([...OVERRIDES.map(([env]) => env), ...Object.keys(CLUSTER_ENV)]);
    expect(SETTINGS.map((s) => s.env).filter((env) => !covered.has(env))).toEqual([]);
  });
});

describe('loadConfig rejects invalid values with CONFIG_INVALID naming the field', () => {
  it.each([
    ['PORT', 'http'],
    ['PORT', '70000'],
    ['PORT', '65536'],
    ['PORT', '-1'],
    ['PORT', '80.5'],
    ['PORT', ' 8080'],
    ['CLICKHOUSE_HTTP_PORT', '8123/tcp'],
    ['CLICKHOUSE_TCP_PORT', '1e3'],
    ['REDIS_PORT', 'six'],
    ['CLICKHOUSE_URL', 'not a url'],
    ['CLICKHOUSE_URL', 'localhost:8123'],
    ['CLICKHOUSE_URL', 'redis://ch:8123'],
    ['REDIS_URL', 'cache:6379'],
    ['REDIS_URL', 'http://cache:6379'],
    ['SEGSTREAM_TIMEZONE', 'Mars/Olympus_Mons'],
    ['SEGSTREAM_TIMEZONE', 'UTC+25'],
    ['CLICKHOUSE_DATABASE', 'seg-stream'],
    ['CLICKHOUSE_DATABASE', '1segstream'],
    ['CLICKHOUSE_DATABASE', 'segstream; DROP TABLE events'],
    ['CLICKHOUSE_DATABASE', 'seg stream'],
    ['LOG_LEVEL', 'loud'],
    ['LOG_LEVEL', 'verbose'],
    ['INGEST_BATCH_ITEMS', '0'],
    ['INGEST_BATCH_ITEMS', '1e4'],
    ['INGEST_FLUSH_INTERVAL_MS', '-5'],
    ['INGEST_LEASE_MS', '1.5'],
    ['INGEST_BODY_LIMIT_BYTES', '10MB'],
    ['ENGINE_TICK_MS', '0'],
    ['ENGINE_LEASE_MS', '10s'],
    ['LIVE_HEARTBEAT_MS', '0'],
    ['LIVE_SUBSCRIPTIONS_MAX', '-1'],
    ['LIVE_BUFFER_HIGH_BYTES', '64KB'],
  ])('%s=%j', (env, value) => {
    const err = configError({ [env]: value });
    expect(isSegstreamError(err, 'CONFIG_INVALID')).toBe(true);
    if (!isSegstreamError(err)) return;
    expect(err.details).toEqual({ field: env, value });
    expect(err.message).toContain(env);
    expect(err.status).toBe(500);
    expect(err.retriable).toBe(false);
  });
});

// The two cluster settings go together: a cluster is sharded over nodes that migrations reach.
const CLUSTER_ENV = {
  CLICKHOUSE_CLUSTER: 'shards',
  CLICKHOUSE_CLUSTER_URLS: 'http://ch1:8123, https://ch2:8443',
};

describe('loadConfig cluster (CLICKHOUSE_CLUSTER with CLICKHOUSE_CLUSTER_URLS)', () => {
  it('reads the cluster name and every node URL', () => {
    expect(loadConfig(CLUSTER_ENV, CWD).clickhouse.cluster).toEqual({
      name: 'shards',
      nodeUrls: ['http://ch1:8123', 'https://ch2:8443'],
    });
  });

  it.each([
    [{ CLICKHOUSE_CLUSTER: 'shards' }, 'CLICKHOUSE_CLUSTER_URLS', ''],
    [{ CLICKHOUSE_CLUSTER_URLS: 'http://ch1:8123' }, 'CLICKHOUSE_CLUSTER', ''],
    [{ ...CLUSTER_ENV, CLICKHOUSE_CLUSTER: 'my-shards' }, 'CLICKHOUSE_CLUSTER', 'my-shards'],
    [
      { ...CLUSTER_ENV, CLICKHOUSE_CLUSTER_URLS: 'http://ch1:8123,ch2:8123' },
      'CLICKHOUSE_CLUSTER_URLS',
      'http://ch1:8123,ch2:8123',
    ],
    [
      { ...CLUSTER_ENV, CLICKHOUSE_CLUSTER_URLS: 'http://ch1:8123,' },
      'CLICKHOUSE_CLUSTER_URLS',
      'http://ch1:8123,',
    ],
  ])('%j is CONFIG_INVALID on %s', (env, field, value) => {
    const err = configError(env);
    expect(isSegstreamError(err, 'CONFIG_INVALID')).toBe(true);
    if (isSegstreamError(err)) expect(err.details).toEqual({ field, value });
  });
});

describe('loadConfig result', () => {
  it('is frozen, nested parts included', () => {
    const config = loadConfig({}, CWD);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.clickhouse)).toBe(true);
    expect(Object.isFrozen(config.redis)).toBe(true);
  });

  it('cannot be changed after loading', () => {
    const config = loadConfig({}, CWD);
    const writable = config as { port: number; clickhouse: { database: string } };
    expect(() => (writable.port = 1)).toThrow(TypeError);
    expect(() => (writable.clickhouse.database = 'x')).toThrow(TypeError);
    expect(config.port).toBe(8080);
    expect(config.clickhouse.database).toBe('segstream');
  });

  it('reads the environment it is given, not process.env', () => {
    const before = process.env.PORT;
    process.env.PORT = '4321';
    try {
      expect(loadConfig({}, CWD).port).toBe(8080);
    } finally {
      if (before === undefined) delete process.env.PORT;
      else process.env.PORT = before;
    }
  });
});
