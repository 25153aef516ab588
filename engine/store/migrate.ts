// Ordered, idempotent schema migrations from clickhouse/migrations/NNNN_name.sql. Each file may
// hold several statements separated by `;` at the end of a line (ClickHouse accepts one
// statement per request). Every statement is written to be safe to re-run (IF NOT EXISTS), so a
// crash between a statement and its record in schema_migrations only repeats harmless work.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { SegstreamError } from '../errors/errors.ts';
import { sqlIdentifier, sqlString } from '../sql/literal.ts';
import { openClient, type ClickHouseOptions } from './clickhouse.ts';
import { placeStatement } from './cluster.ts';
import type { Logger } from '../log.ts';

export const MIGRATIONS_DIR = fileURLToPath(
  new URL('../../clickhouse/migrations/', import.meta.url),
);

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly statements: readonly string[];
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.replace(/\.sql$/, ''),
      statements: splitStatements(fs.readFileSync(path.join(dir, file), 'utf8')),
    }));
}

export function splitStatements(sql: string): string[] {
  const withoutComments = sql
    .split('\n')
    .filter((line) => !line.trim().startsWith('--'))
    .join('\n');
  return withoutComments
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/**
 * Applies every migration not yet recorded. With a cluster, the sharded tables are created on
 * every node (docs/scaling.md) and the record stays on the main node with the other tables.
 */
export async function migrate(opts: ClickHouseOptions, log?: Logger): Promise<string[]> {
  const db = sqlIdentifier(opts.database);
  const nodeUrls = opts.cluster ? [...opts.cluster.nodeUrls] : [opts.url];
  for (const url of nodeUrls) {
    const server = openClient({ ...opts, url });
    try {
      await server.command({ query: `CREATE DATABASE IF NOT EXISTS ${db}` });
    } finally {
      await server.close();
    }
  }

  const client = openClient(opts, db);
  const nodes = nodeUrls.map((url) => openClient({ ...opts, url }, db));
  try {
    await client.command({
      query: `CREATE TABLE IF NOT EXISTS schema_migrations
        (version UInt32, name String, applied_at DateTime('UTC') DEFAULT now())
        ENGINE = MergeTree ORDER BY version`,
    });
    const done = await client.query({
      query: 'SELECT DISTINCT version FROM schema_migrations',
      format: 'JSONEachRow',
    });
    const applied = new Set((await done.json<{ version: number }>()).map((r) => Number(r.version)));
    const run = async (statement: string): Promise<void> => {
      const placements = opts.cluster
        ? placeStatement(statement, opts.cluster, opts.database)
        : [{ everyNode: false, sql: statement }];
      for (const { everyNode, sql } of placements) {
        for (const target of everyNode ? nodes : [client]) await target.command({ query: sql });
      }
    };
    const now: string[] = [];
    for (const m of readMigrations()) {
      if (applied.has(m.version)) continue;
      await applyOne(m, run);
      await client.command({
        query: `INSERT INTO schema_migrations (version, name) VALUES (${m.version}, ${sqlString(m.name)})`,
      });
      log?.info({ migration: m.name }, 'migration applied');
      now.push(m.name);
    }
    return now;
  } finally {
    await Promise.all([client, ...nodes].map((c) => c.close()));
  }
}

async function applyOne(m: Migration, run: (sql: string) => Promise<void>): Promise<void> {
  for (const [i, statement] of m.statements.entries()) {
    try {
      await run(statement);
    } catch (err) {
      throw new SegstreamError(
        'MIGRATION_FAILED',
        { migration: m.name, statement: i + 1 },
        undefined,
        {
          cause: err,
        },
      );
    }
  }
}
