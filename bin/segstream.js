#!/usr/bin/env node
// Entry point for `npx segstream`: loads the TypeScript CLI through tsx so that no build step
// is needed between `npm ci` and running a command.
import { register } from 'tsx/esm/api';
import { fileURLToPath } from 'node:url';

register();
const main = fileURLToPath(new URL('../cli/main.ts', import.meta.url));
const { run } = await import(main);
process.exitCode = await run(process.argv.slice(2));
