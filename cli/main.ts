// The `segstream` command line. Each command lives in cli/commands/; this file only wires
// arguments to them and turns coded errors into a one-line message and a non-zero exit code.
import { Command, CommanderError } from 'commander';
import { loadConfig, type Config } from '../engine/config/config.ts';
import { isSegstreamError } from '../engine/errors/errors.ts';
import { createLogger } from '../engine/log.ts';
import { migrate } from '../engine/store/migrate.ts';
import { clickhouseOptions, ensureServices } from './runtime.ts';
import { servicesCommand, type ServicesAction } from './commands/services.ts';

export async function run(argv: string[]): Promise<number> {
  let exitCode = 0;
  const program = buildProgram((code) => (exitCode = code));
  program.exitOverride();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    if (err instanceof CommanderError) return err.exitCode;
    if (isSegstreamError(err)) {
      console.error(`error ${err.code}: ${err.message}`);
      return 1;
    }
    console.error(err);
    return 1;
  }
}

function buildProgram(setExit: (code: number) => void): Command {
  const program = new Command('segstream').description('Real-time player segmentation engine');
  const config = (): Config => loadConfig();

  program
    .command('services')
    .description('start, stop or show the local ClickHouse and Redis')
    .argument('<action>', 'up | down | status')
    .action(async (action: string) => {
      if (!['up', 'down', 'status'].includes(action))
        throw new CommanderError(2, 'args', `unknown action ${action}`);
      setExit(await servicesCommand(config(), action as ServicesAction));
    });

  program
    .command('migrate')
    .description('apply pending ClickHouse schema migrations')
    .action(async () => {
      const cfg = config();
      const log = createLogger(cfg.logLevel);
      const applied = await migrate(clickhouseOptions(cfg, await ensureServices(cfg)), log);
      console.log(applied.length === 0 ? 'schema up to date' : `applied ${applied.join(', ')}`);
    });

  return program;
}
