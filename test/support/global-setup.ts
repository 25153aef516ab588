// Starts one real ClickHouse and one real Redis for the whole test run on free ports (unless
// CLICKHOUSE_URL / REDIS_URL point at existing servers). Tests isolate themselves with their
// own database and key prefix (see test/support/isolation.ts).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { clickhouseUrl, startClickHouse, stopClickHouse } from '../../cli/services/clickhouse.ts';
import { redisUrl, startRedis, stopRedis } from '../../cli/services/redis.ts';
import { freePort } from './ports.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    clickhouseUrl: string;
    redisUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-test-'));
  const stops: Array<() => Promise<void>> = [];

  let chUrl = process.env.CLICKHOUSE_URL;
  if (!chUrl) {
    const ch = {
      dir: path.join(root, 'clickhouse'),
      httpPort: await freePort(),
      tcpPort: await freePort(),
    };
    fs.mkdirSync(ch.dir, { recursive: true });
    await startClickHouse(ch);
    stops.push(() => stopClickHouse(ch));
    chUrl = clickhouseUrl(ch);
  }

  let rUrl = process.env.REDIS_URL;
  if (!rUrl) {
    const redis = { dir: path.join(root, 'redis'), port: await freePort() };
    await startRedis(redis);
    stops.push(() => stopRedis(redis));
    rUrl = redisUrl(redis);
  }

  project.provide('clickhouseUrl', chUrl);
  project.provide('redisUrl', rUrl);

  return async () => {
    await Promise.all(stops.map((stop) => stop()));
    fs.rmSync(root, { recursive: true, force: true });
  };
}
