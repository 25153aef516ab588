// One whole pipeline on the test run's ClickHouse and Redis: its own database and key prefix,
// the API listening on a loopback socket in this process, and the writer and the engine as child
// processes started on demand.
import { uniqueName, testDatabase, testRedisUrl, type TestDatabase } from '../support/isolation.ts';
import { startApi, type Api } from './api.ts';
import { killAll, type Services } from './processes.ts';
import { openTruth, type Truth } from './truth.ts';

export interface Pipeline {
  readonly db: TestDatabase;
  readonly services: Services;
  readonly api: Api;
  readonly truth: Truth;
  close(): Promise<void>;
}

export async function startPipeline(name: string): Promise<Pipeline> {
  const db = await testDatabase(name);
  const services: Services = {
    clickhouseUrl: db.url,
    database: db.database,
    redisUrl: testRedisUrl(),
    prefix: `${uniqueName(name)}:`,
  };
  const api = await startApi(services);
  const truth = openTruth(db.store, services.redisUrl, services.prefix);
  return {
    ...{ db, services, api, truth },
    close: async () => {
      await killAll();
      await api.close();
      truth.close();
      await db.drop();
    },
  };
}

/**
 * Polls `probe` every 100 ms until `done` holds; throws with the last value at the deadline. A
 * probe that fails (ClickHouse just restarted) counts as "not yet".
 */
export async function until<T>(
  what: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const last = await probe().then(
      (value) => ({ value }),
      (err: unknown) => ({ error: String(err) }),
    );
    if ('value' in last && done(last.value)) return last.value;
    if (Date.now() > deadline) {
      throw new Error(`${what}: not reached in ${timeoutMs} ms, last ${JSON.stringify(last)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
