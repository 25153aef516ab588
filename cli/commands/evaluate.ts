// `segstream evaluate FILE.json [--at ISO] [--members]`: validates a rule (or a whole segment
// definition) from a file and evaluates it against the data in ClickHouse. Prints the member
// count on the first line and, with --members, the member ids one per line. Validation runs
// before any connection, so a bad rule fails fast with its code and path.
import fs from 'node:fs';
import { DateTime } from 'luxon';
import { loadCatalogue } from '../../engine/catalogue/load.ts';
import type { Catalogue } from '../../engine/catalogue/types.ts';
import { evaluateRule } from '../../engine/compiler/evaluate.ts';
import type { Config } from '../../engine/config/config.ts';
import { SegstreamError } from '../../engine/errors/errors.ts';
import type { Rule } from '../../engine/rules/schema.ts';
import {
  checkTimezone,
  validateRule,
  validateSegmentDefinition,
} from '../../engine/rules/validate.ts';
import { parseTime } from '../../engine/rules/validate-time.ts';
import { loadResolver } from '../../engine/segments/references.ts';
import { createSegmentRepository } from '../../engine/segments/repository.ts';
import { createStore } from '../../engine/store/clickhouse.ts';
import type { RegisterCommand } from '../context.ts';
import { localClickHouse } from '../runtime.ts';
import { clickhouseUrl, startClickHouse } from '../services/clickhouse.ts';

interface EvaluateOptions {
  readonly at?: string;
  readonly members?: boolean;
}

export const registerEvaluate: RegisterCommand = (program, ctx) => {
  program
    .command('evaluate')
    .description('evaluate a rule or segment definition (JSON file) and print its member count')
    .argument('<file>', 'JSON file: a rule ({ "include": ... }) or a segment definition')
    .option('--at <time>', 'as-of time: ISO date-time with offset, or a date (default: now)')
    .option('--members', 'print the member ids, one per line, after the count')
    .action(async (file: string, opts: EvaluateOptions) => {
      const config = ctx.config();
      const catalogue = loadCatalogue(config.catalogueFile);
      const { rule, timezone } = readRule(file, catalogue, checkTimezone(config.timezone));
      const asOf = opts.at === undefined ? Date.now() : asOfTime(opts.at, timezone);

      const members = await evaluate(config, catalogue, rule, timezone, asOf);
      const lines = [String(members.length), ...(opts.members ? members : [])];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
};

function readRule(file: string, catalogue: Catalogue, defaultTimezone: string) {
  let input: unknown;
  try {
    input = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    const reason = (err as Error).message;
    throw new SegstreamError('VALIDATION_FAILED', { path: '', file, reason }, reason);
  }
  const isRule = typeof input === 'object' && input !== null && 'include' in input;
  if (isRule) return { rule: validateRule(input, catalogue), timezone: defaultTimezone };

  const definition = validateSegmentDefinition(input, catalogue);
  if (!definition.rule) {
    const reason = 'a static segment has no rule to evaluate';
    throw new SegstreamError('VALIDATION_FAILED', { path: 'static_members', reason }, reason);
  }
  return { rule: definition.rule, timezone: definition.timezone ?? defaultTimezone };
}

/** A date alone means midnight at its start in the segment's timezone, as in rule values. */
function asOfTime(text: string, timezone: string): number {
  const parsed = parseTime(text);
  if (parsed?.kind === 'instant') return parsed.epochMs;
  if (parsed?.kind === 'date') return DateTime.fromISO(parsed.text, { zone: timezone }).toMillis();
  const reason = 'must be an ISO date-time with an offset or Z, or a date (YYYY-MM-DD)';
  throw new SegstreamError('VALIDATION_FAILED', { path: '--at', reason }, `--at ${reason}`);
}

async function evaluate(
  config: Config,
  catalogue: Catalogue,
  rule: Rule,
  timezone: string,
  asOf: number,
): Promise<string[]> {
  const url = config.clickhouse.url ?? (await startLocalClickHouse(config));
  const { database, user, password } = config.clickhouse;
  const store = createStore({ url, database, user, password });
  try {
    const segments = createSegmentRepository(store, { catalogue, defaultTimezone: timezone });
    const resolveSegment = await loadResolver(segments, rule);
    return await evaluateRule(store, rule, { catalogue, timezone, asOf, resolveSegment });
  } finally {
    await store.close();
  }
}

/** Evaluation needs ClickHouse only; Redis is not started for it. */
async function startLocalClickHouse(config: Config): Promise<string> {
  const server = localClickHouse(config);
  await startClickHouse(server);
  return clickhouseUrl(server);
}
