// Two throw-away ClickHouse servers forming a cluster of two one-replica shards, each with its
// own ports and data directory under a temporary folder, and a database migrated for sharding
// through the product's own path (CLICKHOUSE_CLUSTER / CLICKHOUSE_CLUSTER_URLS).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  clickhouseUrl,
  startClickHouse,
  stopClickHouse,
  type LocalClickHouse,
} from '../../cli/services/clickhouse.ts';
import { createStore, type ClickHouseOptions, type Store } from '../../engine/store/clickhouse.ts';
import { migrate } from '../../engine/store/migrate.ts';
import { freePort } from '../support/ports.ts';

export const CLUSTER_NAME = 'segstream_shards';

export interface ShardedClickHouse {
  /** Connection options of the main node, cluster included, as loadConfig would give them. */
  readonly options: ClickHouseOptions;
  /** The product's store on the main node (Distributed tables, cluster settings). */
  readonly store: Store;
  /** A plain store per node, to look at that node's local tables. */
  readonly nodes: readonly Store[];
  /** The environment a Segstream process needs to use this cluster. */
  readonly env: Readonly<Record<string, string>>;
  /** Stops node i (0-based) like a crash of its machine; its data stays for startNode. */
  stopNode(i: number): Promise<void>;
  startNode(i: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startShardedClickHouse(database: string): Promise<ShardedClickHouse> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-shards-'));
  const ports: number[] = [];
  for (let i = 0; i < 4; i++) ports.push(await freePort());
  const shards = [0, 1].map((i) => ({ host: '127.0.0.1', tcpPort: ports[2 * i + 1]! }));
  const servers: LocalClickHouse[] = [0, 1].map((i) => ({
    dir: path.join(root, `shard${i + 1}`),
    httpPort: ports[2 * i]!,
    tcpPort: ports[2 * i + 1]!,
    cluster: { name: CLUSTER_NAME, shards },
  }));
  const stopAll = async () => {
    await Promise.all(servers.map((s) => stopClickHouse(s)));
    fs.rmSync(root, { recursive: true, force: true });
  };
  try {
    await Promise.all(servers.map((s) => startClickHouse(s)));
  } catch (err) {
    await stopAll();
    throw err;
  }

  const urls = servers.map(clickhouseUrl);
  const options: ClickHouseOptions = {
    url: urls[0]!,
    database,
    cluster: { name: CLUSTER_NAME, nodeUrls: urls },
  };
  await migrate(options);
  const store = createStore(options);
  const nodes = urls.map((url) => createStore({ url, database }));
  return {
    ...{ options, store, nodes },
    env: {
      CLICKHOUSE_URL: urls[0]!,
      CLICKHOUSE_DATABASE: database,
      CLICKHOUSE_CLUSTER: CLUSTER_NAME,
      CLICKHOUSE_CLUSTER_URLS: urls.join(','),
    },
    stopNode: (i) => stopClickHouse(servers[i]!),
    startNode: async (i) => {
      await startClickHouse(servers[i]!);
    },
    stop: async () => {
      await Promise.all([store, ...nodes].map((s) => s.close()));
      await stopAll();
    },
  };
}
