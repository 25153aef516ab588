// A bench run of some figures (`npm run bench -- --only real`) merges them into the results of
// earlier runs (bench/merge.ts): its figures replace their earlier values, every other figure
// stays as it was, with the date and options of the run that measured it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { mergeResults } from '../../bench/merge.ts';
import { readOptions, type Figure } from '../../bench/options.ts';
import type { FigureResult, Machine } from '../../bench/report.ts';

const machine = (date: string): Machine => ({
  ...{ date, cores: 2, cpu: 'cpu', memoryGiB: 1, node: 'v20' },
  ...{ clickhouse: '18.16', redis: '7' },
});
const figure = (name: Figure, value: string): FigureResult => ({
  name,
  rows: [{ figure: name, value, target: '-', ratio: '-', verdict: 'info' }],
  notes: [],
  details: {},
});
const EARLY = '2026-01-01T00:00:00.000Z';
const LATE = '2026-02-01T00:00:00.000Z';

interface Case {
  readonly name: string;
  /** results.json already there (undefined: none). */
  readonly earlier?: object;
  readonly only: string;
  readonly run: readonly FigureResult[];
  /** Expected figures as name@date=value, in figure order. */
  readonly figures: readonly string[];
  readonly runs: readonly string[];
}

const earlierFull = {
  machine: machine(EARLY),
  options: readOptions(['--only', 'sweep,export']),
  figures: [figure('sweep', '8 s'), figure('export', '300k')],
};

const CASES: Case[] = [
  {
    name: 'no earlier results: this run alone',
    only: 'real',
    run: [figure('real', '1 s')],
    figures: [`real@${LATE}=1 s`],
    runs: [LATE],
  },
  {
    name: 'earlier figures are kept, with their own date, and the new one added in figure order',
    earlier: earlierFull,
    only: 'real',
    run: [figure('real', '1 s')],
    figures: [`sweep@${EARLY}=8 s`, `export@${EARLY}=300k`, `real@${LATE}=1 s`],
    runs: [EARLY, LATE],
  },
  {
    name: 'a figure measured again replaces its earlier value',
    earlier: earlierFull,
    only: 'sweep',
    run: [figure('sweep', '7 s')],
    figures: [`sweep@${LATE}=7 s`, `export@${EARLY}=300k`],
    runs: [EARLY, LATE],
  },
  {
    name: 'a run none of whose figures are left is dropped from the runs',
    earlier: earlierFull,
    only: 'sweep,export',
    run: [figure('export', '310k'), figure('sweep', '7 s')],
    figures: [`sweep@${LATE}=7 s`, `export@${LATE}=310k`],
    runs: [LATE],
  },
];

describe('bench results of a partial run are merged into the earlier ones', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each(CASES)('$name', (c) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-merge-'));
    dirs.push(dir);
    if (c.earlier) fs.writeFileSync(path.join(dir, 'results.json'), JSON.stringify(c.earlier));
    const options = readOptions(['--only', c.only, '--out', dir]);

    const merged = mergeResults(options, machine(LATE), c.run);

    expect(merged.figures.map((f) => `${f.name}@${f.date}=${f.rows[0]!.value}`)).toEqual(c.figures);
    expect(merged.runs.map((r) => r.date)).toEqual(c.runs);
    expect(merged.machine.date).toBe(LATE);
  });
});
