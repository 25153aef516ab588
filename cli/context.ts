import type { Command } from 'commander';
import type { Config } from '../engine/config/config.ts';

/** What every command module receives: lazy config (read once per command) and the exit code. */
export interface CliContext {
  config(): Config;
  setExit(code: number): void;
}

export type RegisterCommand = (program: Command, ctx: CliContext) => void;
