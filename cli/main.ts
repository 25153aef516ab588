// The `segstream` command line. Each command lives in cli/commands/ and registers itself; this
// file only wires them together and turns coded errors into a one-line message and an exit code.
import { Command, CommanderError } from 'commander';
import { loadConfig, type Config } from '../engine/config/config.ts';
import { isSegstreamError } from '../engine/errors/errors.ts';
import type { CliContext, RegisterCommand } from './context.ts';
import { registerServices } from './commands/services.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerImport } from './commands/import.ts';
import { registerServe } from './commands/serve.ts';
import { registerDemo } from './commands/demo.ts';
import { registerEvaluate } from './commands/evaluate.ts';
import { registerEngine } from './commands/engine.ts';

const COMMANDS: readonly RegisterCommand[] = [
  registerServices,
  registerMigrate,
  registerImport,
  registerServe,
  registerDemo,
  registerEvaluate,
  registerEngine,
];

export async function run(argv: string[]): Promise<number> {
  let exitCode = 0;
  let config: Config | undefined;
  const ctx: CliContext = {
    config: () => (config ??= loadConfig()),
    setExit: (code) => (exitCode = code),
  };
  const program = new Command('segstream').description('Real-time player segmentation engine');
  program.exitOverride();
  for (const register of COMMANDS) register(program, ctx);

  try {
    await program.parseAsync(argv, { from: 'user' });
    return exitCode;
  } catch (err) {
    return reportError(err);
  }
}

function reportError(err: unknown): number {
  if (err instanceof CommanderError) return err.exitCode;
  if (isSegstreamError(err)) {
    console.error(`error ${err.code}: ${err.message}`);
    return 1;
  }
  console.error(err);
  return 1;
}
