// Each test file gets its own ClickHouse database (migrated) and its own Redis key prefix, so
// suites run side by side against the shared servers without seeing each other's data.
import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { createStore, openClient, type Store } from '../../engine/store/clickhouse.ts';
import { migrate } from '../../engine/store/migrate.ts';

export interface TestDatabase {
  readonly store: Store;
  readonly url: string;
  readonly database: string;
  drop(): Promise<void>;
}

export function uniqueName(prefix: string): string {
  return `${prefix}_${randomBytes(5).toString('hex')}`;
}

export async function testDatabase(prefix = 't'): Promise<TestDatabase> {
  const url = inject('clickhouseUrl');
  const database = uniqueName(prefix);
  await migrate({ url, database });
  const store = createStore({ url, database });
  return {
    store,
    url,
    database,
    drop: async () => {
      await store.close();
      const admin = openClient({ url, database });
      await admin.command({ query: `DROP DATABASE IF EXISTS ${database}` });
      await admin.close();
    },
  };
}

export function testRedisUrl(): string {
  return inject('redisUrl');
}
