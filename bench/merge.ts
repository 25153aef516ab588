// A bench run of some figures (`--only real`) adds to the results already written instead of
// replacing them: figures of this run replace their earlier values, the others stay as they
// were, with the date and options of the run that measured them (`runs`).
import fs from 'node:fs';
import path from 'node:path';
import { FIGURES, type BenchOptions } from './options.ts';
import type { FigureResult, Machine } from './report.ts';

export type DatedFigure = FigureResult & { readonly date: string };

export interface RunRecord {
  readonly date: string;
  readonly machine: Machine;
  readonly options: BenchOptions;
}

export interface Results {
  readonly machine: Machine;
  readonly options: BenchOptions;
  /** Every run a kept figure comes from, oldest first. */
  readonly runs: readonly RunRecord[];
  readonly figures: readonly DatedFigure[];
}

interface Earlier {
  readonly machine?: Machine;
  readonly options?: BenchOptions;
  readonly runs?: readonly RunRecord[];
  readonly figures?: readonly (FigureResult & { date?: string })[];
}

function readEarlier(file: string): Earlier {
  if (!fs.existsSync(file)) return {};
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Earlier;
}

/** This run's figures merged into the results in `outDir/results.json`. */
export function mergeResults(
  options: BenchOptions,
  host: Machine,
  results: readonly FigureResult[],
): Results {
  const earlier = readEarlier(path.join(options.outDir, 'results.json'));
  const earlierDate = earlier.machine?.date ?? host.date;
  const fresh = new Set(results.map((r) => r.name));
  const figures: DatedFigure[] = [
    ...(earlier.figures ?? [])
      .filter((f) => !fresh.has(f.name))
      .map((f) => ({ ...f, date: f.date ?? earlierDate })),
    ...results.map((r) => ({ ...r, date: host.date })),
  ].sort((a, b) => FIGURES.indexOf(a.name) - FIGURES.indexOf(b.name));

  const earlierRuns =
    earlier.runs ??
    (earlier.machine && earlier.options
      ? [{ date: earlierDate, machine: earlier.machine, options: earlier.options }]
      : []);
  const runs = [...earlierRuns, { date: host.date, machine: host, options }].filter((run) =>
    figures.some((f) => f.date === run.date),
  );
  return { machine: host, options, runs, figures };
}
