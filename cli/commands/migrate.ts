import { createLogger } from '../../engine/log.ts';
import { migrate } from '../../engine/store/migrate.ts';
import type { RegisterCommand } from '../context.ts';
import { clickhouseOptions, ensureServices } from '../runtime.ts';

export const registerMigrate: RegisterCommand = (program, ctx) => {
  program
    .command('migrate')
    .description('apply pending ClickHouse schema migrations')
    .action(async () => {
      const config = ctx.config();
      const log = createLogger(config.logLevel);
      const applied = await migrate(clickhouseOptions(config, await ensureServices(config)), log);
      console.log(applied.length === 0 ? 'schema up to date' : `applied ${applied.join(', ')}`);
    });
};
