// The figures of issue 7 on the real data (../shared/data: the bwin 2005 cohort and the CDNOW
// purchases), each beside its anchor measured in the same run:
//   - import: `segstream import bwin` + `import cdnow` into an empty database, events/s, against
//     a bare TabSeparated insert of the same event rows;
//   - sweep: the 15 real-data starter segments over the imported data plus the CDNOW replay,
//     engine.step() as in the sweep figure, against one hand-written query of the same
//     predicates (real-hand-query.ts); every count must be equal;
//   - preview: POST /v1/segments/preview of each starter rule, against the bare count query of
//     the compiled rule;
//   - export: GET /v1/segments/:id/export.csv of the largest bwin starter segment, against the
//     same query written by ClickHouse as CSVWithNames.
import fs from 'node:fs';
import path from 'node:path';
import { Redis } from 'ioredis';
import { loadCatalogue } from '../engine/catalogue/load.ts';
import type { Catalogue } from '../engine/catalogue/types.ts';
import { loadConfig } from '../engine/config/config.ts';
import { CDNOW_FILE, REAL_CATALOGUE_FILE, REAL_DATA_FILES } from '../engine/demo/real/load.ts';
import { createRealStarterSegments } from '../engine/demo/real/segments.ts';
import { replayCdnow } from '../engine/demo/replay.ts';
import { Engine } from '../engine/evaluator/engine.ts';
import { importBwin } from '../engine/ingest/import/bwin/import.ts';
import { importCdnow } from '../engine/ingest/import/cdnow.ts';
import { createLogger } from '../engine/log.ts';
import { membershipReader } from '../engine/membership/read.ts';
import { createSegmentRepository } from '../engine/segments/repository.ts';
import type { Store } from '../engine/store/clickhouse.ts';
import { insertEvents } from '../engine/store/events.ts';
import { benchApi } from './api.ts';
import { bareInsert } from './ingest.ts';
import type { BenchOptions } from './options.ts';
import { realExport, realPreview } from './real-api.ts';
import { readEvents } from './real-events.ts';
import { realHandCounts } from './real-hand-query.ts';
import { fmt, type FigureResult, type FigureRow } from './report.ts';
import type { BenchServices } from './services.ts';
import { median, round, timed } from './stats.ts';

const PREFIX = 'bench:real:';
const SWEEP_STEP_MS = 60_000;
const SWEEP_TARGET_MS = 2_000;

export interface RealData {
  readonly store: Store;
  readonly catalogue: Catalogue;
  readonly asOfMs: number;
  readonly events: number;
  readonly players: number;
}

export async function benchReal(
  services: BenchServices,
  options: BenchOptions,
): Promise<FigureResult> {
  if (!REAL_DATA_FILES.every((f) => fs.existsSync(path.join(options.realDataDir, f)))) {
    const note = `Skipped: the real data files are not all in ${options.realDataDir} (--real-data).`;
    console.log(`bench: ${note}`);
    return { name: 'real', rows: [], notes: [note], details: { skipped: true } };
  }
  const store = await services.database('bench_real');
  try {
    const imported = await importFigure(services, store, options.realDataDir);
    const data = await replayed(store, imported, options.realDataDir);
    const sweep = await sweepFigure(services, options, data);
    const api = await benchApi(services, store, PREFIX, 'editor', data.catalogue);
    try {
      const preview = await realPreview(api, data, options.previewRuns);
      const exported = await realExport(api, data, services.redisUrl, PREFIX, options.exportRuns);
      return result(data, imported, sweep, preview, exported);
    } finally {
      await api.close();
    }
  } finally {
    await store.close();
  }
}

async function importFigure(services: BenchServices, store: Store, dir: string) {
  const run = await timed(async () => ({
    bwin: await importBwin(store, dir),
    cdnow: await importCdnow(store, path.join(dir, CDNOW_FILE)),
  }));
  const { bwin, cdnow } = run.value;
  if (bwin.rejected + cdnow.rejected > 0) throw new Error('bench: real rows were rejected');
  const events = bwin.events.loaded + cdnow.events.loaded;
  const players = bwin.players.loaded + cdnow.players.loaded;
  const rows = await readEvents(store);
  const bareMs = await bareInsert(services, rows, 'bench_real_bare');
  console.log(`bench: imported ${events} events and ${players} players in ${fmt(run.ms)} ms`);
  return { ms: run.ms, events, players, bareMs };
}

type Imported = Awaited<ReturnType<typeof importFigure>>;

/** The CDNOW replay, all at once, its last purchase at the as-of time; then the segments. */
async function replayed(store: Store, imported: Imported, dir: string): Promise<RealData> {
  const sink = async (events: Parameters<typeof insertEvents>[1]) => {
    await insertEvents(store, events);
  };
  const replay = await replayCdnow(path.join(dir, CDNOW_FILE), {
    speed: 1e12,
    sink,
    runId: 'bench',
  });
  const catalogue = loadCatalogue(REAL_CATALOGUE_FILE);
  const segments = createSegmentRepository(store, { catalogue, defaultTimezone: 'UTC' });
  await createRealStarterSegments(segments);
  return {
    ...{ store, catalogue, asOfMs: Math.ceil(replay.endAt / 1000) * 1000 },
    ...{ events: imported.events + replay.emitted, players: imported.players },
  };
}

async function sweepFigure(services: BenchServices, options: BenchOptions, data: RealData) {
  const redis = new Redis(services.redisUrl);
  const clock = { now: data.asOfMs };
  const engine = new Engine({
    ...{ redis, store: data.store, log: createLogger('warn', 'bench-real'), prefix: PREFIX },
    catalogue: data.catalogue,
    segments: createSegmentRepository(data.store, {
      ...{ catalogue: data.catalogue, defaultTimezone: 'UTC' },
    }),
    settings: { ...loadConfig({}).engine, sweepIntervalMs: 3_600_000, computeTimeoutMs: 600_000 },
    ...{ owner: 'bench-real', now: () => clock.now },
  });
  try {
    const first = await timed(() => engine.step());
    await engine.drainJournal();
    const runs: number[] = [];
    for (let i = 0; i < options.sweepRuns; i++) {
      clock.now += SWEEP_STEP_MS;
      engine.requestSweep();
      const step = await timed(() => engine.step());
      if (step.value.role !== 'leader' || !step.value.sweep) throw new Error('bench: no sweep');
      runs.push(step.ms);
    }
    await engine.drainJournal();
    const hand: number[] = [];
    await realHandCounts(data.store, clock.now);
    let handCounts = new Map<string, number>();
    for (let i = 0; i < options.sweepRuns; i++) {
      const run = await timed(() => realHandCounts(data.store, clock.now));
      hand.push(run.ms);
      handCounts = run.value;
    }
    const reader = membershipReader({ redis, store: data.store, prefix: PREFIX });
    const counts = new Map((await reader.statuses()).map((s) => [s.segment, s.count]));
    const differ = [...handCounts].filter(([id, n]) => counts.get(id) !== n).map(([id]) => id);
    return { firstMs: first.ms, runs, hand, counts, differ };
  } finally {
    await engine.stop();
    redis.disconnect();
  }
}

type Sweep = Awaited<ReturnType<typeof sweepFigure>>;
type Preview = Awaited<ReturnType<typeof realPreview>>;
type Exported = Awaited<ReturnType<typeof realExport>>;

function result(
  data: RealData,
  imported: Imported,
  sweep: Sweep,
  preview: Preview,
  exported: Exported,
): FigureResult {
  const size = `${fmt(data.players)} players, ${fmt(data.events)} events`;
  const importRate = (imported.events / imported.ms) * 1000;
  const bareRate = (imported.events / imported.bareMs) * 1000;
  const sweepMs = median(sweep.runs);
  const handMs = median(sweep.hand);
  const rows: FigureRow[] = [
    {
      figure: `real data: import of the bwin 2005 and CDNOW files (${fmt(imported.events)} events)`,
      value: `${fmt(importRate)} events/s`,
      target: 'none (information)',
      ratio: `${round(importRate / bareRate, 2)} of a bare TSV insert (${fmt(bareRate)} rows/s)`,
      verdict: 'info',
    },
    {
      figure: `real data: sweep of the 15 starter segments (${size}), median`,
      value: `${fmt(sweepMs)} ms`,
      target: `< ${fmt(SWEEP_TARGET_MS)} ms`,
      ratio: `${round(sweepMs / handMs, 2)}x the hand query (${fmt(handMs)} ms)`,
      verdict: sweepMs < SWEEP_TARGET_MS ? 'met' : 'missed',
    },
    preview.row(size),
    exported.row,
  ];
  return {
    name: 'real',
    rows,
    notes: notes(data, imported, sweep, preview, exported),
    details: {
      import: { ...imported, rate: round(importRate), bareRate: round(bareRate) },
      sweep: { firstMs: round(sweep.firstMs), runsMs: sweep.runs.map((ms) => round(ms)) },
      handMs: sweep.hand.map((ms) => round(ms)),
      counts: Object.fromEntries(sweep.counts),
      preview: preview.details,
      export: exported.details,
    },
    ...(sweep.differ.length > 0
      ? { failure: `engine and hand query counts differ for ${sweep.differ.join(', ')}` }
      : {}),
  };
}

function notes(
  data: RealData,
  imported: Imported,
  sweep: Sweep,
  preview: Preview,
  exported: Exported,
): string[] {
  const counts = [...sweep.counts].map(([id, n]) => `${id} ${fmt(n)}`).join(', ');
  return [
    `The real files of ../shared/data (bwin 2005 cohort, CDNOW purchases) imported with ` +
      `\`segstream import bwin\` and \`import cdnow\` into an empty database: ` +
      `${fmt(imported.events)} events and ${fmt(imported.players)} players in ` +
      `${fmt(imported.ms)} ms (files read and parsed, duplicate checks, players included). ` +
      `Anchor: the same event rows inserted bare as one TabSeparated stream into an empty ` +
      `table, ${fmt(imported.bareMs)} ms.`,
    '',
    `Then the CDNOW file replayed at once as in \`demo --data real\`, its last purchase at the ` +
      `as-of time (${new Date(data.asOfMs).toISOString()}): ${fmt(data.events)} events in all. ` +
      `The 15 starter segments of engine/demo/real/segments.ts, first computation ` +
      `${fmt(sweep.firstMs)} ms; steady sweeps (as-of +60 s each): ` +
      `${sweep.runs.map((ms) => fmt(ms)).join(', ')} ms. Hand query (bench/real-hand-query.ts, ` +
      `one GROUP BY player_id joined to the profiles): ${sweep.hand.map((ms) => fmt(ms)).join(', ')} ` +
      `ms. Member counts (equal in both): ${counts}.`,
    '',
    ...preview.notes,
    '',
    ...exported.notes,
  ];
}
