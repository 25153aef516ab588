// Sharded ClickHouse (CLICKHOUSE_CLUSTER, docs/scaling.md). Every table keyed by player is split
// over the cluster's shards by a hash of player_id: a local table on each node holds the rows of
// its share of players, and a Distributed table of the original name sits in front of it on every
// node. All rows of one player live on one shard, so the per-player joins of a compiled rule
// (profile, event aggregates, static members, player numbers) can run on each shard against its
// own local tables (distributed_product_mode = 'local') and give the same players as one server.
// Tables not keyed by player (segment versions, transitions, sizes, tokens ...) are small and
// live on the node at CLICKHOUSE_URL only.
import { sqlIdentifier } from '../sql/literal.ts';

export interface ClusterOptions {
  /** The cluster's name in the servers' remote_servers configuration. */
  readonly name: string;
  /** HTTP URL of every node of the cluster, where migrations create the sharded tables. */
  readonly nodeUrls: readonly string[];
}

/** Tables whose rows belong to one player, all sharded by cityHash64(player_id). */
export const SHARDED_TABLES: readonly string[] = [
  'players',
  'events',
  'static_segment_members',
  'player_numbers',
];

/**
 * Settings of every query in cluster mode. 'local' makes a subquery or JOIN over a Distributed
 * table inside a query over a Distributed table read the shard's own local table (right because
 * a player's rows share one shard); insert_distributed_sync makes an insert return only once
 * every shard stored its rows, so the ingest writer acknowledges nothing still in flight.
 */
export const CLUSTER_SETTINGS = {
  distributed_product_mode: 'local',
  insert_distributed_sync: 1,
} as const;

/** Where a migration statement runs: on every node of the cluster, or on the main node only. */
export interface Placement {
  readonly everyNode: boolean;
  readonly sql: string;
}

const TARGET = /^(CREATE TABLE IF NOT EXISTS|ALTER TABLE)\s+([A-Za-z_][A-Za-z0-9_]*)\b/;

/**
 * The statements that carry out one migration statement on a cluster. A CREATE of a sharded
 * table becomes its local table plus the Distributed table in front of it, an ALTER of one is
 * applied to both, on every node; anything else runs on the main node as written.
 */
export function placeStatement(
  statement: string,
  cluster: ClusterOptions,
  database: string,
): Placement[] {
  const match = TARGET.exec(statement);
  const table = match?.[2];
  if (!match || !table || !SHARDED_TABLES.includes(table)) {
    return [{ everyNode: false, sql: statement }];
  }
  const local = `${table}_local`;
  const onLocal = `${match[1]} ${local}${statement.slice(match[0].length)}`;
  if (match[1] === 'ALTER TABLE') {
    return [
      { everyNode: true, sql: onLocal },
      { everyNode: true, sql: statement },
    ];
  }
  const names = [cluster.name, database, local].map(sqlIdentifier).join(', ');
  const engine = `Distributed(${names}, cityHash64(player_id))`;
  return [
    { everyNode: true, sql: onLocal },
    { everyNode: true, sql: `CREATE TABLE IF NOT EXISTS ${table} AS ${local} ENGINE = ${engine}` },
  ];
}
