// Configuration is read from the environment once, validated, frozen and passed in explicitly.
// Every setting is declared once in SETTINGS with its default and unit; docs/configuration.md
// is checked against this table by a test so the two cannot drift apart.
import path from 'node:path';
import { SegstreamError } from '../errors/errors.ts';
import type { ClusterOptions } from '../store/cluster.ts';

export interface SettingSpec {
  readonly env: string;
  readonly default: string | undefined;
  readonly description: string;
  readonly kind: SettingKind;
}

/**
 * What a value must look like. URLs are checked for their scheme because `URL` alone accepts
 * `localhost:8123` (scheme `localhost:`), which would only fail later, far from the setting.
 */
export type SettingKind = 'string' | 'port' | 'http-url' | 'redis-url' | 'log-level';

export const SETTINGS = [
  spec(
    'CLICKHOUSE_URL',
    undefined,
    'http-url',
    'ClickHouse HTTP URL. When set, no local server is started.',
  ),
  spec('CLICKHOUSE_DATABASE', 'segstream', 'string', 'ClickHouse database holding all tables.'),
  spec('CLICKHOUSE_USER', 'default', 'string', 'ClickHouse user.'),
  spec('CLICKHOUSE_PASSWORD', '', 'string', 'ClickHouse password.'),
  spec('CLICKHOUSE_HTTP_PORT', '18123', 'port', 'HTTP port of the locally started ClickHouse.'),
  spec(
    'CLICKHOUSE_TCP_PORT',
    '19000',
    'port',
    'Native TCP port of the locally started ClickHouse.',
  ),
  spec(
    'CLICKHOUSE_CLUSTER',
    undefined,
    'string',
    "Cluster (remote_servers) over which the players' tables are sharded; one server when unset.",
  ),
  spec(
    'CLICKHOUSE_CLUSTER_URLS',
    undefined,
    'string',
    'HTTP URLs of every node of CLICKHOUSE_CLUSTER, comma-separated, where migrations run.',
  ),
  spec('REDIS_URL', undefined, 'redis-url', 'Redis URL. When set, no local server is started.'),
  spec('REDIS_PORT', '16379', 'port', 'Port of the locally started Redis.'),
  spec('REDIS_PREFIX', 'segstream:', 'string', 'Prefix of every Redis key Segstream writes.'),
  spec('SEGSTREAM_DATA_DIR', '.data', 'string', 'Directory for local ClickHouse and Redis data.'),
  spec('SEGSTREAM_TIMEZONE', 'UTC', 'string', 'Default IANA timezone of new segments.'),
  spec(
    'SEGSTREAM_CATALOGUE_FILE',
    undefined,
    'string',
    "JSON file with the operator's extra lists and fields, merged into the built-in catalogue.",
  ),
  spec(
    'SEGSTREAM_SUPPRESSION_FILE',
    undefined,
    'string',
    'JSON file with the global suppression group applied to actions.',
  ),
  spec('SEGSTREAM_ADMIN_TOKEN', undefined, 'string', 'First admin bearer token (API).'),
  spec('PORT', '8080', 'port', 'HTTP port of the API and UI (segstream serve).'),
  spec('HOST', '127.0.0.1', 'string', 'Address the API listens on.'),
  spec(
    'API_PREVIEW_PER_MINUTE',
    '600',
    'string',
    'Previews one token (or address) may ask for per minute.',
  ),
  spec(
    'API_EXPORT_PER_MINUTE',
    '30',
    'string',
    'CSV exports one token (or address) may start per minute.',
  ),
  spec('LOG_LEVEL', 'info', 'log-level', 'pino log level: trace, debug, info, warn, error, fatal.'),
  spec('INGEST_BODY_LIMIT_BYTES', '10485760', 'string', 'Largest body of one ingest request.'),
  spec('INGEST_BATCH_ITEMS', '20000', 'string', 'Items per batch the writer stores in ClickHouse.'),
  spec(
    'INGEST_FLUSH_INTERVAL_MS',
    '200',
    'string',
    'Longest wait before a partial batch is stored.',
  ),
  spec(
    'INGEST_LEASE_MS',
    '60000',
    'string',
    "Time after which a gone writer's lease and unacknowledged entries are taken over by a " +
      'standby writer. One writer at a time holds the lease and writes; the others wait.',
  ),
  spec(
    'INGEST_FUTURE_LIMIT_MS',
    '86400000',
    'string',
    'How far ahead of now an event may be stamped.',
  ),
  spec('ENGINE_TICK_MS', '100', 'string', 'Interval between incremental evaluations.'),
  spec(
    'ENGINE_SWEEP_INTERVAL_MS',
    '60000',
    'string',
    'Interval between full sweeps that evaluate every player.',
  ),
  spec(
    'ENGINE_WATERMARK_OVERLAP_MS',
    '5000',
    'string',
    'How far behind the watermark each tick re-reads events and profiles.',
  ),
  spec(
    'ENGINE_TICK_PLAYER_LIMIT',
    '50000',
    'string',
    'Touched players above which a tick becomes a full sweep.',
  ),
  spec(
    'ENGINE_LEASE_MS',
    '10000',
    'string',
    "Time after which a gone engine's lease is taken over by a standby engine.",
  ),
  spec(
    'ENGINE_COMPUTE_TIMEOUT_MS',
    '120000',
    'string',
    'Longest evaluation query; a longer one counts as stuck, is cancelled and retried.',
  ),
  spec('ENGINE_RETRY_MS', '30000', 'string', 'Wait before a failed segment is evaluated again.'),
  spec(
    'ENGINE_HISTORY_MINUTE_DAYS',
    '7',
    'string',
    'Days of per-minute segment size history; older minutes are rolled up into hours.',
  ),
  spec('LIVE_HEARTBEAT_MS', '15000', 'string', 'Interval between heartbeats on /v1/live sockets.'),
  spec(
    'LIVE_SUBSCRIPTIONS_MAX',
    '1000',
    'string',
    'Segments one /v1/live socket may subscribe to by id.',
  ),
  spec('LIVE_MESSAGE_MAX_BYTES', '65536', 'string', 'Largest message a /v1/live client may send.'),
  spec(
    'LIVE_MESSAGES_PER_SECOND',
    '20',
    'string',
    'Messages per second a /v1/live client may send.',
  ),
  spec(
    'LIVE_BUFFER_HIGH_BYTES',
    '65536',
    'string',
    'Unsent bytes of a /v1/live socket above which its updates are coalesced.',
  ),
  spec(
    'LIVE_BUFFER_STUCK_MS',
    '30000',
    'string',
    'Longest time a /v1/live socket may stay above LIVE_BUFFER_HIGH_BYTES before it is closed.',
  ),
] as const satisfies readonly SettingSpec[];

function spec(
  env: string,
  def: string | undefined,
  kind: SettingKind,
  description: string,
): SettingSpec {
  return { env, default: def, kind, description };
}

export interface Config {
  readonly clickhouse: {
    readonly url: string | undefined;
    readonly database: string;
    readonly user: string;
    readonly password: string;
    readonly httpPort: number;
    readonly tcpPort: number;
    /** Sharded players' tables (docs/scaling.md); undefined for one server. */
    readonly cluster: ClusterOptions | undefined;
  };
  readonly redis: {
    readonly url: string | undefined;
    readonly port: number;
    readonly prefix: string;
  };
  readonly dataDir: string;
  readonly timezone: string;
  /** Absolute path of the operator's catalogue file; the built-in catalogue when unset. */
  readonly catalogueFile: string | undefined;
  readonly suppressionFile: string | undefined;
  readonly adminToken: string | undefined;
  readonly port: number;
  readonly host: string;
  readonly logLevel: string;
  /** Rate limits of the costly API routes, requests per minute per token. */
  readonly api: {
    readonly previewPerMinute: number;
    readonly exportPerMinute: number;
  };
  readonly ingest: {
    readonly bodyLimitBytes: number;
    readonly batchItems: number;
    readonly flushIntervalMs: number;
    readonly leaseMs: number;
    readonly futureLimitMs: number;
  };
  readonly engine: EngineConfig;
  readonly live: LiveConfig;
}

/** The streaming engine's settings (ENGINE_*); every duration in milliseconds. */
export interface EngineConfig {
  readonly tickMs: number;
  readonly sweepIntervalMs: number;
  readonly overlapMs: number;
  readonly tickPlayerLimit: number;
  readonly leaseMs: number;
  readonly computeTimeoutMs: number;
  readonly retryMs: number;
  readonly historyMinuteDays: number;
}

/** Limits of the live-count websocket (LIVE_*); durations in milliseconds. */
export interface LiveConfig {
  readonly heartbeatMs: number;
  readonly subscriptionsMax: number;
  readonly messageMaxBytes: number;
  readonly messagesPerSecond: number;
  readonly bufferHighBytes: number;
  readonly bufferStuckMs: number;
}

type Env = Readonly<Record<string, string | undefined>>;

export function loadConfig(env: Env = process.env, cwd = process.cwd()): Config {
  const read = (name: string): string | undefined => {
    const setting = SETTINGS.find((s) => s.env === name);
    if (!setting) throw new Error(`undeclared setting ${name}`);
    const raw = env[name];
    const value = raw === undefined || raw === '' ? setting.default : raw;
    if (value !== undefined) checkKind(setting, value);
    return value;
  };
  const str = (name: string): string => read(name) ?? '';
  const int = (name: string): number => Number(read(name));
  const count = (name: string): number => {
    const value = str(name);
    if (!/^\d{1,15}$/.test(value) || Number(value) < 1) {
      throw new SegstreamError('CONFIG_INVALID', { field: name, value });
    }
    return Number(value);
  };

  const database = str('CLICKHOUSE_DATABASE');
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(database)) {
    throw new SegstreamError('CONFIG_INVALID', { field: 'CLICKHOUSE_DATABASE', value: database });
  }
  checkTimezone(str('SEGSTREAM_TIMEZONE'));

  return Object.freeze({
    clickhouse: Object.freeze({
      url: read('CLICKHOUSE_URL'),
      database,
      user: str('CLICKHOUSE_USER'),
      password: str('CLICKHOUSE_PASSWORD'),
      httpPort: int('CLICKHOUSE_HTTP_PORT'),
      tcpPort: int('CLICKHOUSE_TCP_PORT'),
      cluster: clusterOf(read('CLICKHOUSE_CLUSTER'), read('CLICKHOUSE_CLUSTER_URLS')),
    }),
    redis: Object.freeze({
      url: read('REDIS_URL'),
      port: int('REDIS_PORT'),
      prefix: str('REDIS_PREFIX'),
    }),
    dataDir: path.resolve(cwd, str('SEGSTREAM_DATA_DIR')),
    timezone: str('SEGSTREAM_TIMEZONE'),
    catalogueFile: optionalPath(read('SEGSTREAM_CATALOGUE_FILE'), cwd),
    suppressionFile: optionalPath(read('SEGSTREAM_SUPPRESSION_FILE'), cwd),
    adminToken: read('SEGSTREAM_ADMIN_TOKEN'),
    port: int('PORT'),
    host: str('HOST'),
    logLevel: str('LOG_LEVEL'),
    api: Object.freeze({
      previewPerMinute: count('API_PREVIEW_PER_MINUTE'),
      exportPerMinute: count('API_EXPORT_PER_MINUTE'),
    }),
    ingest: Object.freeze({
      bodyLimitBytes: count('INGEST_BODY_LIMIT_BYTES'),
      batchItems: count('INGEST_BATCH_ITEMS'),
      flushIntervalMs: count('INGEST_FLUSH_INTERVAL_MS'),
      leaseMs: count('INGEST_LEASE_MS'),
      futureLimitMs: count('INGEST_FUTURE_LIMIT_MS'),
    }),
    engine: Object.freeze({
      tickMs: count('ENGINE_TICK_MS'),
      sweepIntervalMs: count('ENGINE_SWEEP_INTERVAL_MS'),
      overlapMs: count('ENGINE_WATERMARK_OVERLAP_MS'),
      tickPlayerLimit: count('ENGINE_TICK_PLAYER_LIMIT'),
      leaseMs: count('ENGINE_LEASE_MS'),
      computeTimeoutMs: count('ENGINE_COMPUTE_TIMEOUT_MS'),
      retryMs: count('ENGINE_RETRY_MS'),
      historyMinuteDays: count('ENGINE_HISTORY_MINUTE_DAYS'),
    }),
    live: Object.freeze({
      heartbeatMs: count('LIVE_HEARTBEAT_MS'),
      subscriptionsMax: count('LIVE_SUBSCRIPTIONS_MAX'),
      messageMaxBytes: count('LIVE_MESSAGE_MAX_BYTES'),
      messagesPerSecond: count('LIVE_MESSAGES_PER_SECOND'),
      bufferHighBytes: count('LIVE_BUFFER_HIGH_BYTES'),
      bufferStuckMs: count('LIVE_BUFFER_STUCK_MS'),
    }),
  });
}

const URL_SCHEMES = {
  'http-url': ['http:', 'https:'],
  'redis-url': ['redis:', 'rediss:'],
} as const;

// pino itself compares level names case-insensitively.
const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'];

/** Both cluster settings or neither: a cluster without its nodes cannot be migrated. */
function clusterOf(name: string | undefined, urls: string | undefined): ClusterOptions | undefined {
  if (name === undefined && urls === undefined) return undefined;
  if (urls === undefined) {
    throw new SegstreamError('CONFIG_INVALID', { field: 'CLICKHOUSE_CLUSTER_URLS', value: '' });
  }
  if (name === undefined || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    throw new SegstreamError('CONFIG_INVALID', { field: 'CLICKHOUSE_CLUSTER', value: name ?? '' });
  }
  const nodeUrls = urls.split(',').map((u) => u.trim());
  if (!nodeUrls.every((u) => fitsKind('http-url', u))) {
    throw new SegstreamError('CONFIG_INVALID', { field: 'CLICKHOUSE_CLUSTER_URLS', value: urls });
  }
  return Object.freeze({ name, nodeUrls: Object.freeze(nodeUrls) });
}

function optionalPath(value: string | undefined, cwd: string): string | undefined {
  return value === undefined ? undefined : path.resolve(cwd, value);
}

function checkKind(setting: SettingSpec, value: string): void {
  if (!fitsKind(setting.kind, value)) {
    throw new SegstreamError('CONFIG_INVALID', { field: setting.env, value });
  }
}

function fitsKind(kind: SettingKind, value: string): boolean {
  switch (kind) {
    case 'port':
      return /^\d+$/.test(value) && Number(value) <= 65535;
    case 'http-url':
    case 'redis-url': {
      const schemes: readonly string[] = URL_SCHEMES[kind];
      return schemes.includes(URL.parse(value)?.protocol ?? '');
    }
    case 'log-level':
      return LOG_LEVELS.includes(value.toLowerCase());
    case 'string':
      return true;
  }
}

export function checkTimezone(tz: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
  } catch {
    throw new SegstreamError('CONFIG_INVALID', { field: 'SEGSTREAM_TIMEZONE', value: tz });
  }
}
