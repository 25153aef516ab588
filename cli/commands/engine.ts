// `segstream engine`: runs only the streaming engine (no API), e.g. as extra engine processes
// beside `segstream serve`. Several may run at once; one holds the lease and evaluates, the
// others stand by and take over when it goes away. Starts the local services when needed and
// migrates the schema, then runs until SIGINT or SIGTERM.
import { createLogger } from '../../engine/log.ts';
import { runEngine } from '../../engine/evaluator/run.ts';
import { migrate } from '../../engine/store/migrate.ts';
import type { RegisterCommand } from '../context.ts';
import { clickhouseOptions, ensureServices } from '../runtime.ts';
import { shutdownSignal } from './serve.ts';

export const registerEngine: RegisterCommand = (program, ctx) => {
  program
    .command('engine')
    .description('run only the streaming segment engine (evaluation, membership, transitions)')
    .action(async () => {
      const config = ctx.config();
      const log = createLogger(config.logLevel);
      const endpoints = await ensureServices(config);
      await migrate(clickhouseOptions(config, endpoints), log);
      const running = runEngine(config, endpoints, log.child({ component: 'engine' }));
      console.log('Segstream engine is running');

      const signal = await shutdownSignal();
      log.info({ signal }, 'shutting down');
      await running.close();
    });
};
