// The batch writer and the engine as child processes (writer-main.ts, engine-main.ts), started
// with the settings of a quick loop, so the pipeline tests can kill them with SIGKILL like an
// out-of-memory killer or a power cut would.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WRITER_MAIN = fileURLToPath(new URL('../../engine/ingest/writer-main.ts', import.meta.url));
const ENGINE_MAIN = fileURLToPath(
  new URL('../../engine/evaluator/engine-main.ts', import.meta.url),
);

/** Where the pipeline's services are and the key prefix it owns. */
export interface Services {
  readonly clickhouseUrl: string;
  readonly database: string;
  readonly redisUrl: string;
  /** REDIS_PREFIX, e.g. `pipeline_ab12cd34ef:`. */
  readonly prefix: string;
}

export interface Worker {
  readonly child: ChildProcess;
  /** SIGKILL, resolved once the process is gone. */
  kill(): Promise<void>;
}

/** A quick loop: ticks every 100 ms, a lapsed lease taken over after 2 s, batches after 100 ms. */
const QUICK: Readonly<Record<string, string>> = {
  ENGINE_TICK_MS: '100',
  ENGINE_LEASE_MS: '2000',
  ENGINE_SWEEP_INTERVAL_MS: '4000',
  ENGINE_RETRY_MS: '500',
  INGEST_BATCH_ITEMS: '2000',
  INGEST_FLUSH_INTERVAL_MS: '100',
  LOG_LEVEL: 'error',
};

const running = new Set<ChildProcess>();

// A test that fails before its afterAll must not leave workers writing into the next test's run.
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** `tsx engine/ingest/writer-main.ts <consumer>`; keep the consumer name across restarts. */
export function spawnWriter(
  services: Services,
  consumer: string,
  env: Readonly<Record<string, string>> = {},
): Worker {
  return spawnMain(WRITER_MAIN, consumer, services, env);
}

/** `tsx engine/evaluator/engine-main.ts <owner>`; extra env overrides the quick loop. */
export function spawnEngine(
  services: Services,
  owner: string,
  env: Readonly<Record<string, string>> = {},
): Worker {
  return spawnMain(ENGINE_MAIN, owner, services, env);
}

/** Kills every worker still running (afterAll). */
export async function killAll(): Promise<void> {
  await Promise.all([...running].map((child) => killChild(child)));
}

function spawnMain(
  main: string,
  name: string,
  services: Services,
  extra: Readonly<Record<string, string>>,
): Worker {
  const env = {
    ...process.env,
    ...QUICK,
    CLICKHOUSE_URL: services.clickhouseUrl,
    CLICKHOUSE_DATABASE: services.database,
    REDIS_URL: services.redisUrl,
    REDIS_PREFIX: services.prefix,
    ...extra,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', main, name], {
    env,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return { child, kill: () => killChild(child) };
}

function killChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const gone = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return gone;
}
