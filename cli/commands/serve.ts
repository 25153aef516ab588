// `segstream serve`: the API and the UI, with the ingest writer and the streaming engine in the
// same process. Starts the local services when needed, migrates the schema, listens on HOST:PORT
// and shuts down cleanly on SIGINT or SIGTERM.
import { hostname } from 'node:os';
import { startServer, type RunningServer } from '../../api/server.ts';
import type { Config } from '../../engine/config/config.ts';
import { createLogger, type Logger } from '../../engine/log.ts';
import { migrate } from '../../engine/store/migrate.ts';
import { runWriter } from '../../engine/ingest/run.ts';
import { runEngine } from '../../engine/evaluator/run.ts';
import type { RegisterCommand } from '../context.ts';
import { clickhouseOptions, ensureServices } from '../runtime.ts';

export const registerServe: RegisterCommand = (program, ctx) => {
  program
    .command('serve')
    .description('start the API and the UI')
    .action(async () => {
      const config = ctx.config();
      const log = createLogger(config.logLevel);
      const server = await startApi(config, log);
      console.log(`Segstream is running: ${server.url}`);

      const signal = await shutdownSignal();
      log.info({ signal }, 'shutting down');
      await server.close();
    });
};

/**
 * Local services if needed, schema migrations, then the API, the ingest batch writer and the
 * streaming engine in this process. Shared with `segstream demo`. Closing stops the API first
 * (no new ingest), then lets the writer finish the batch in hand, then stops the engine (which
 * gives up its lease so another engine process can take over at once).
 */
export async function startApi(config: Config, log: Logger): Promise<RunningServer> {
  const endpoints = await ensureServices(config);
  const clickhouse = clickhouseOptions(config, endpoints);
  await migrate(clickhouse, log);
  const server = await startServer({ config, log, clickhouse, redisUrl: endpoints.redisUrl });
  // Host and port name this process's writer: stable across its restarts, and unique among the
  // processes of one host, which cannot share a port.
  const consumer = `${hostname()}:${config.port}`;
  const writer = runWriter(config, endpoints, log.child({ component: 'writer' }), consumer);
  const engine = runEngine(config, endpoints, log.child({ component: 'engine' }));
  return {
    ...server,
    close: async () => {
      await server.close();
      await writer.close();
      await engine.close();
    },
  };
}

/**
 * Resolves on the first SIGINT or SIGTERM so the caller can shut down in order. A second signal
 * while that runs exits at once, for when something hangs.
 */
export function shutdownSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const first = (signal: NodeJS.Signals) => {
      process.off('SIGINT', first);
      process.off('SIGTERM', first);
      process.once('SIGINT', () => process.exit(130));
      process.once('SIGTERM', () => process.exit(143));
      resolve(signal);
    };
    process.on('SIGINT', first);
    process.on('SIGTERM', first);
  });
}
