// The bench's output: a table on the terminal (figure, value, target, ratio, verdict), and
// bench/results.json plus bench/results.md with the machine, the versions and each figure's
// details (where the time goes).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as prettier from 'prettier';
import { mergeResults, type DatedFigure, type Results } from './merge.ts';
import type { BenchOptions, Figure } from './options.ts';

export type Verdict = 'met' | 'missed' | 'info';

export interface FigureRow {
  readonly figure: string;
  readonly value: string;
  readonly target: string;
  /** The ratio beside the figure, e.g. "0.42 of a bare TSV insert". */
  readonly ratio: string;
  readonly verdict: Verdict;
}

export interface FigureResult {
  readonly name: Figure;
  readonly rows: readonly FigureRow[];
  /** Markdown lines explaining the figure: setup, breakdown, caveats. */
  readonly notes: readonly string[];
  /** Raw numbers for results.json. */
  readonly details: Record<string, unknown>;
  /** Set when the figure found something wrong (e.g. counts that differ): the bench fails. */
  readonly failure?: string;
}

export interface Machine {
  readonly date: string;
  readonly cores: number;
  readonly cpu: string;
  readonly memoryGiB: number;
  readonly node: string;
  readonly clickhouse: string;
  readonly redis: string;
}

export function machine(clickhouse: string, redis: string): Machine {
  return {
    date: new Date().toISOString(),
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    clickhouse,
    redis,
  };
}

export function printTable(results: readonly FigureResult[]): void {
  const rows = results.flatMap((r) => r.rows);
  const header = ['figure', 'value', 'target', 'ratio', 'verdict'];
  const cells = rows.map((r) => [r.figure, r.value, r.target, r.ratio, r.verdict]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (c: readonly string[]) => c.map((v, i) => v.padEnd(widths[i]!)).join('  ');
  console.log(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}`);
  for (const c of cells) console.log(line(c));
  console.log('');
}

export async function writeResults(
  options: BenchOptions,
  host: Machine,
  results: readonly FigureResult[],
): Promise<void> {
  fs.mkdirSync(options.outDir, { recursive: true });
  const merged = mergeResults(options, host, results);
  const formatted = await prettier.format(JSON.stringify(merged), {
    parser: 'json',
    printWidth: 100,
  });
  fs.writeFileSync(path.join(options.outDir, 'results.json'), formatted);
  fs.writeFileSync(path.join(options.outDir, 'results.md'), markdown(merged));
  // The README's table shows every kept figure with the date it was measured, so a partial run
  // (`--only preview`) updates its rows and leaves the others as they were.
  if (path.resolve(options.outDir) === path.resolve('bench')) updateReadme(host, merged.figures);
}

const README_START = '<!-- bench:start -->';
const README_END = '<!-- bench:end -->';

/** The README shows the latest figures: the table between its bench markers is replaced. */
function updateReadme(host: Machine, figures: readonly DatedFigure[]): void {
  const readme = fs.readFileSync('README.md', 'utf8');
  const start = readme.indexOf(README_START);
  const end = readme.indexOf(README_END);
  if (start < 0 || end < start) return;
  const table = [
    README_START,
    '',
    `Each figure as last measured (${host.cores} cores, ClickHouse ${host.clickhouse}); ` +
      'details and anchors in [bench/results.md](bench/results.md).',
    '',
    '| figure | value | target | ratio | verdict | measured |',
    '|---|---|---|---|---|---|',
    ...figures.flatMap((f) =>
      f.rows.map(
        (r) =>
          `| ${r.figure} | ${r.value} | ${r.target} | ${r.ratio} | ${r.verdict} | ${f.date.slice(0, 10)} |`,
      ),
    ),
    '',
  ].join('\n');
  fs.writeFileSync('README.md', `${readme.slice(0, start)}${table}${readme.slice(end)}`);
}

function markdown({ machine: host, runs, figures: results }: Results): string {
  const rows = results.flatMap((r) => r.rows);
  const written = runs.map((run) => {
    const names = results.filter((f) => f.date === run.date).map((f) => f.name);
    return `${names.join(', ')} on ${run.date.slice(0, 10)}`;
  });
  return [
    '# Segstream benchmark results',
    '',
    `Written by \`npm run bench\` (${written.join('; ')}).`,
    '',
    `Machine: ${host.cores} cores (${host.cpu}), ${host.memoryGiB} GiB, Node ${host.node}, ` +
      `ClickHouse ${host.clickhouse}, Redis ${host.redis}. ClickHouse, Redis, the API, the engine ` +
      'and the load generator all share these cores, and other work (test suites of other ' +
      'sessions) may have run on the machine at the same time: the figures are noisy, a ' +
      'repeated run can differ by tens of percent.',
    '',
    '| figure | value | target | ratio | verdict |',
    '|---|---|---|---|---|',
    ...rows.map((r) => `| ${r.figure} | ${r.value} | ${r.target} | ${r.ratio} | ${r.verdict} |`),
    '',
    ...results.flatMap((r) => [`## ${r.name}`, '', ...r.notes, '']),
    'Raw numbers: [results.json](results.json).',
    '',
  ].join('\n');
}

export function fmt(value: number, digits = 0): string {
  return value.toLocaleString('en-US', {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}
