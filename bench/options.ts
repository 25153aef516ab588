// Bench sizes and switches: `npm run bench -- --players 100000 --only sweep`, or the same as
// environment variables (BENCH_PLAYERS=100000 BENCH_ONLY=sweep). Flags win over the environment;
// the defaults are the sizes of the targets in issue 4.
import { parseArgs } from 'node:util';
import { DEFAULT_REAL_DATA_DIR } from '../engine/demo/real/load.ts';

export const FIGURES = [
  ...['ingest', 'freshness', 'sweep', 'memory'],
  ...['preview', 'export', 'fanout'],
  'real',
] as const;
export type Figure = (typeof FIGURES)[number];

export interface BenchOptions {
  readonly only: readonly Figure[];
  /** Sweep and memory: players and events generated in ClickHouse, active segments. */
  readonly players: number;
  readonly events: number;
  readonly segments: number;
  /** Steady-state sweeps (and hand-query runs) whose median is reported. */
  readonly sweepRuns: number;
  /** Ingest: events sent, concurrent HTTP clients, events per request body. */
  readonly ingestEvents: number;
  readonly ingestClients: number;
  readonly ingestBody: number;
  /** Freshness: population, history events, background load and its duration. */
  readonly freshPlayers: number;
  readonly freshEvents: number;
  readonly freshRate: number;
  readonly freshSeconds: number;
  readonly freshWarmup: number;
  /** Probe segments among the active ones; each has at most one probe in flight. */
  readonly probeSlots: number;
  /** Memory: sweeps the engine process runs before its RSS is read. */
  readonly memorySweeps: number;
  /** Preview: rounds over the previewed rules (after one warm-up round). */
  readonly previewRuns: number;
  /** Export: players of the exported segment (90 % are members), downloads of each kind. */
  readonly exportRows: number;
  readonly exportRuns: number;
  /** Fan-out: websocket clients on one API process, updates published. */
  readonly fanoutClients: number;
  readonly fanoutUpdates: number;
  /** Real data: the folder of the bwin 2005 and CDNOW files (--real-data). */
  readonly realDataDir: string;
  /** Keep the services' data directory after the run (for inspection). */
  readonly keep: boolean;
  /** Where results.json and results.md go. */
  readonly outDir: string;
}

const NUMBERS = {
  players: 1_000_000,
  events: 10_000_000,
  segments: 50,
  'sweep-runs': 5,
  'ingest-events': 1_000_000,
  'ingest-clients': 8,
  'ingest-body': 10_000,
  'fresh-players': 100_000,
  'fresh-events': 1_000_000,
  'fresh-rate': 5_000,
  'fresh-seconds': 60,
  'fresh-warmup': 10,
  'probe-slots': 5,
  'memory-sweeps': 3,
  'preview-runs': 10,
  'export-rows': 1_000_000,
  'export-runs': 3,
  'fanout-clients': 1_000,
  'fanout-updates': 200,
} as const;

type NumberFlag = keyof typeof NUMBERS;

export function readOptions(
  argv: readonly string[] = process.argv.slice(2),
  env: NodeJS.ProcessEnv = process.env,
): BenchOptions {
  const numberFlags = Object.fromEntries(
    Object.keys(NUMBERS).map((name) => [name, { type: 'string' as const }]),
  );
  const { values } = parseArgs({
    args: [...argv],
    options: {
      ...numberFlags,
      only: { type: 'string' },
      keep: { type: 'boolean' },
      out: { type: 'string' },
      'real-data': { type: 'string' },
    },
    strict: true,
  });
  const flag = (name: string): string | undefined =>
    (values as Record<string, string | undefined>)[name] ?? env[envName(name)];
  const num = (name: NumberFlag): number => {
    const raw = flag(name);
    if (raw === undefined) return NUMBERS[name];
    const value = Number(raw.replace(/_/g, ''));
    if (!Number.isInteger(value) || value < 1) {
      throw new Error(`bench: --${name} must be a positive integer, got ${raw}`);
    }
    return value;
  };

  const options: BenchOptions = {
    only: figures(flag('only')),
    players: num('players'),
    events: num('events'),
    segments: num('segments'),
    sweepRuns: num('sweep-runs'),
    ingestEvents: num('ingest-events'),
    ingestClients: num('ingest-clients'),
    ingestBody: num('ingest-body'),
    freshPlayers: num('fresh-players'),
    freshEvents: num('fresh-events'),
    freshRate: num('fresh-rate'),
    freshSeconds: num('fresh-seconds'),
    freshWarmup: num('fresh-warmup'),
    probeSlots: num('probe-slots'),
    memorySweeps: num('memory-sweeps'),
    previewRuns: num('preview-runs'),
    exportRows: num('export-rows'),
    exportRuns: num('export-runs'),
    fanoutClients: num('fanout-clients'),
    fanoutUpdates: num('fanout-updates'),
    realDataDir: flag('real-data') ?? DEFAULT_REAL_DATA_DIR,
    keep: values.keep ?? env.BENCH_KEEP === '1',
    outDir: flag('out') ?? 'bench',
  };
  if (options.probeSlots >= options.segments) {
    throw new Error('bench: --probe-slots must be smaller than --segments');
  }
  return options;
}

function envName(flag: string): string {
  return `BENCH_${flag.toUpperCase().replace(/-/g, '_')}`;
}

function figures(raw: string | undefined): Figure[] {
  if (raw === undefined || raw === '' || raw === 'all') return [...FIGURES];
  const names = raw.split(',').map((s) => s.trim());
  for (const name of names) {
    if (!(FIGURES as readonly string[]).includes(name)) {
      throw new Error(`bench: --only takes ${FIGURES.join(', ')}; got ${name}`);
    }
  }
  return FIGURES.filter((f) => names.includes(f));
}
