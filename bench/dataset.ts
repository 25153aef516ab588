// The sweep and memory figures share one generated data set (1M players, 10M events and the 50
// bench segments by default) in the database `bench_sweep`; it is made once per run.
import type { Store } from '../engine/store/clickhouse.ts';
import type { BenchOptions } from './options.ts';
import { generatePopulation, saveSegments } from './population.ts';
import { benchSegments, type BenchSegment } from './segments.ts';
import type { BenchServices } from './services.ts';
import { nowMs } from './stats.ts';

export interface SweepDataset {
  readonly store: Store;
  readonly database: string;
  /** Redis key prefix of the engines on this data set. */
  readonly prefix: string;
  /** The newest event time, epoch milliseconds (whole seconds). */
  readonly asOfMs: number;
  readonly segments: readonly BenchSegment[];
  readonly setupMs: number;
}

const DATABASE = 'bench_sweep';

export function sweepDatasetOnce(
  services: BenchServices,
  options: BenchOptions,
): () => Promise<SweepDataset> {
  let made: Promise<SweepDataset> | undefined;
  return () => (made ??= makeDataset(services, options));
}

async function makeDataset(services: BenchServices, options: BenchOptions): Promise<SweepDataset> {
  const started = nowMs();
  const store = await services.database(DATABASE);
  const asOfMs = Math.floor(Date.now() / 1000) * 1000;
  const segments = benchSegments(options.segments);
  console.log(
    `bench: generating ${options.players} players and ${options.events} events in ClickHouse`,
  );
  await generatePopulation(store, { players: options.players, events: options.events, asOfMs });
  await saveSegments(store, segments);
  const setupMs = nowMs() - started;
  console.log(`bench: data set ready in ${Math.round(setupMs / 1000)} s`);
  return { store, database: DATABASE, prefix: 'bench:sweep:', asOfMs, segments, setupMs };
}
