// A throw-away ClickHouse server for development and tests: a generated config file naming its
// ports and data paths under one directory. Works with Debian's 18.16 and current releases.
import fs from 'node:fs';
import path from 'node:path';
import {
  assertPortFree,
  findBinary,
  readPid,
  startDetached,
  stopPid,
  waitUntil,
} from './process.ts';

export interface LocalClickHouse {
  readonly dir: string;
  readonly httpPort: number;
  readonly tcpPort: number;
  /** A remote_servers cluster this server knows, for sharded tables (docs/scaling.md). */
  readonly cluster?: ClusterDefinition;
}

/** A cluster of one-replica shards, named as CLICKHOUSE_CLUSTER names it. */
export interface ClusterDefinition {
  readonly name: string;
  readonly shards: readonly { readonly host: string; readonly tcpPort: number }[];
}

export const CLICKHOUSE_BINARY = {
  names: ['clickhouse-server', 'clickhouse'],
  debianPackage: 'clickhouse-server',
} as const;

export function clickhouseUrl(server: LocalClickHouse): string {
  return `http://127.0.0.1:${server.httpPort}`;
}

export async function startClickHouse(
  server: LocalClickHouse,
  timeoutMs = 60_000,
): Promise<number> {
  const running = readPid(pidFile(server), CLICKHOUSE_BINARY.names);
  if (running !== undefined) return running;

  const binary = findBinary(CLICKHOUSE_BINARY);
  const configFile = writeConfig(server);
  const args = binary.endsWith('/clickhouse')
    ? ['server', `--config-file=${configFile}`]
    : [`--config-file=${configFile}`];
  const log = path.join(server.dir, 'stdout.log');
  await assertPortFree(server.httpPort, 'clickhouse');
  await assertPortFree(server.tcpPort, 'clickhouse');
  const pid = startDetached(binary, args, log);
  fs.writeFileSync(pidFile(server), String(pid));
  await waitUntil(() => pingClickHouse(clickhouseUrl(server)), 'clickhouse', timeoutMs, log);
  return pid;
}

export async function stopClickHouse(server: LocalClickHouse): Promise<void> {
  const pid = readPid(pidFile(server), CLICKHOUSE_BINARY.names);
  if (pid !== undefined) await stopPid(pid);
  fs.rmSync(pidFile(server), { force: true });
}

export function clickhouseStatus(server: LocalClickHouse): number | undefined {
  return readPid(pidFile(server), CLICKHOUSE_BINARY.names);
}

/** GET /ping; false (never a rejection) when the server is down, like pingRedis. */
export async function pingClickHouse(url: string): Promise<boolean> {
  try {
    const res = await fetch(new URL('/ping', url), { signal: AbortSignal.timeout(1000) });
    await res.body?.cancel();
    return res.ok;
  } catch {
    return false;
  }
}

function pidFile(server: LocalClickHouse): string {
  return path.join(server.dir, 'clickhouse.pid');
}

function writeConfig(server: LocalClickHouse): string {
  const dir = path.resolve(server.dir);
  for (const sub of ['data', 'tmp', 'user_files', 'format_schemas', 'log']) {
    fs.mkdirSync(path.join(dir, sub), { recursive: true });
  }
  const usersFile = path.join(dir, 'users.xml');
  fs.writeFileSync(usersFile, USERS_XML);
  const configFile = path.join(dir, 'config.xml');
  fs.writeFileSync(configFile, serverConfig(dir, server, usersFile));
  return configFile;
}

function serverConfig(dir: string, server: LocalClickHouse, usersFile: string): string {
  return `<?xml version="1.0"?>
<yandex>
  <logger>
    <level>warning</level>
    <log>${dir}/log/clickhouse-server.log</log>
    <errorlog>${dir}/log/clickhouse-server.err.log</errorlog>
    <size>100M</size>
    <count>2</count>
  </logger>
  <http_port>${server.httpPort}</http_port>
  <tcp_port>${server.tcpPort}</tcp_port>
  <listen_host>127.0.0.1</listen_host>
  <path>${dir}/data/</path>
  <tmp_path>${dir}/tmp/</tmp_path>
  <user_files_path>${dir}/user_files/</user_files_path>
  <format_schema_path>${dir}/format_schemas/</format_schema_path>
  <users_config>${usersFile}</users_config>
  <default_profile>default</default_profile>
  <default_database>default</default_database>
  <timezone>UTC</timezone>
  <mark_cache_size>1073741824</mark_cache_size>
  <uncompressed_cache_size>1073741824</uncompressed_cache_size>
  <max_concurrent_queries>200</max_concurrent_queries>
${server.cluster ? remoteServers(server.cluster) : ''}</yandex>
`;
}

/** The `remote_servers` section: one shard per entry, each a single replica. */
export function remoteServers(cluster: ClusterDefinition): string {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(cluster.name)) {
    throw new RangeError(`cluster name must be an identifier: ${cluster.name}`);
  }
  const shards = cluster.shards.map(
    (s) =>
      `      <shard><replica><host>${s.host}</host><port>${s.tcpPort}</port></replica></shard>\n`,
  );
  return `  <remote_servers>\n    <${cluster.name}>\n${shards.join('')}    </${cluster.name}>\n  </remote_servers>\n`;
}

const USERS_XML = `<?xml version="1.0"?>
<yandex>
  <profiles>
    <default>
      <max_memory_usage>10000000000</max_memory_usage>
      <load_balancing>random</load_balancing>
    </default>
    <readonly><readonly>1</readonly></readonly>
  </profiles>
  <users>
    <default>
      <password></password>
      <networks><ip>127.0.0.1</ip><ip>::1</ip></networks>
      <profile>default</profile>
      <quota>default</quota>
    </default>
  </users>
  <quotas>
    <default>
      <interval>
        <duration>3600</duration>
        <queries>0</queries>
        <errors>0</errors>
        <result_rows>0</result_rows>
        <read_rows>0</read_rows>
        <execution_time>0</execution_time>
      </interval>
    </default>
  </quotas>
</yandex>
`;
