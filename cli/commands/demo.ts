// `segstream demo`: everything a first look needs. Starts the services and the API (so a port
// conflict shows before any work is done), loads the demo population when the players table is
// empty, starts the live stream and, when asked, the CDNOW replay, then prints the URL to open.
// SIGINT or SIGTERM stop the generators first (their last batch is stored), then the API.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { loadCatalogue } from '../../engine/catalogue/load.ts';
import type { Config } from '../../engine/config/config.ts';
import { DEFAULT_REAL_DATA_DIR } from '../../engine/demo/real/load.ts';
import { createStarterSegments } from '../../engine/demo/starter-segments.ts';
import { createSegmentRepository } from '../../engine/segments/repository.ts';
import { SegstreamError } from '../../engine/errors/errors.ts';
import { createLogger, type Logger } from '../../engine/log.ts';
import { replayCdnow, type ReplaySink } from '../../engine/demo/replay.ts';
import { loadRoster, nextPlayerIndex } from '../../engine/demo/roster.ts';
import { seedPopulation } from '../../engine/demo/seed.ts';
import { DEFAULT_RATE, runStream, storeSink } from '../../engine/demo/stream.ts';
import type { Store } from '../../engine/store/clickhouse.ts';
import { insertEvents } from '../../engine/store/events.ts';
import type { RegisterCommand } from '../context.ts';
import { DATA_KINDS, realDemo, type DataKind } from './demo-real.ts';
import { shutdownSignal, startApi } from './serve.ts';

export interface DemoOptions {
  /** Players in the demo population. Default 20000. */
  readonly players: number;
  /** Live events per second. Default 50. */
  readonly rate: number;
  readonly seed: number;
  /** CDNOW transactions file to replay as deposits, if any. */
  readonly replayCdnow?: string;
  /** CDNOW seconds per wall-clock second. Default 86400 (a day per second). */
  readonly replaySpeed: number;
  /** False with --no-stream. */
  readonly stream: boolean;
  /** `generated` (default) or `real`: the bwin 2005 and CDNOW files of `dataDir`. */
  readonly data: DataKind;
  readonly dataDir: string;
}

export const DEFAULT_PLAYERS = 20_000;
export const DEFAULT_REPLAY_SPEED = 86_400;

export const registerDemo: RegisterCommand = (program, ctx) => {
  program
    .command('demo')
    .description('load a demo population, stream live events and start the API and the UI')
    .option('--players <n>', 'players in the demo population', count('--players'), DEFAULT_PLAYERS)
    .option('--rate <events_per_s>', 'live events per second', positive('--rate'), DEFAULT_RATE)
    .option('--seed <s>', 'seed of the generated data', count('--seed'), 1)
    .option('--replay-cdnow <file>', 'also replay a CDNOW transactions file as deposits')
    .option(
      '--replay-speed <x>',
      'replay seconds per real second',
      positive('--replay-speed'),
      DEFAULT_REPLAY_SPEED,
    )
    .option('--no-stream', 'do not start the live stream')
    .option(
      '--data <kind>',
      'generated population or the real bwin and CDNOW files',
      dataKind,
      'generated',
    )
    .option(
      '--data-dir <dir>',
      'folder of the real data files (--data real)',
      DEFAULT_REAL_DATA_DIR,
    )
    .action(async (opts: DemoOptions) => {
      if (opts.replayCdnow !== undefined && !fs.existsSync(opts.replayCdnow)) {
        throw new SegstreamError('IMPORT_FILE_INVALID', {
          field: '--replay-cdnow',
          file: opts.replayCdnow,
        });
      }
      const real = opts.data === 'real' ? realDemo(opts.dataDir, opts.replayCdnow) : undefined;
      const config = withDemoToken(real?.config(ctx.config()) ?? ctx.config());
      const log = createLogger(config.logLevel);
      const server = await startApi(config, log);
      const stop = new AbortController();
      try {
        await (real ? real.load(server.store) : seed(server.store, opts, log));
        await (real
          ? real.starterSegments(server.store, config)
          : starterSegments(server.store, config));
        const generating = real ? { ...opts, stream: false, replayCdnow: real.replayCdnow } : opts;
        const generators = await startGenerators(server.store, generating, stop.signal, log);
        console.log(`Segstream is running: ${server.url}`);
        console.log(`admin token: ${config.adminToken} (send "Authorization: Bearer <token>")`);

        const signal = await shutdownSignal();
        log.info({ signal }, 'shutting down');
        stop.abort();
        await generators.stopped;
      } finally {
        stop.abort();
        await server.close();
      }
    });
};

/**
 * The demo's admin token: SEGSTREAM_ADMIN_TOKEN when set, else one made up once and kept in
 * SEGSTREAM_DATA_DIR (so a restarted demo keeps the same token), so a first look needs no setup.
 */
function withDemoToken(config: Config): Config {
  if (config.adminToken !== undefined) return config;
  const file = path.join(config.dataDir, 'demo-admin-token');
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true });
    fs.writeFileSync(file, `sgs_demo_${randomBytes(18).toString('base64url')}\n`, { mode: 0o600 });
  }
  return { ...config, adminToken: fs.readFileSync(file, 'utf8').trim() };
}

async function starterSegments(store: Store, config: Config): Promise<void> {
  const segments = createSegmentRepository(store, {
    catalogue: loadCatalogue(config.catalogueFile),
    defaultTimezone: config.timezone,
  });
  const created = await createStarterSegments(segments);
  if (created > 0) console.log(`created ${created} starter segments`);
}

async function seed(store: Store, opts: DemoOptions, log: Logger): Promise<void> {
  const report = await seedPopulation(
    store,
    { players: opts.players, seed: opts.seed, now: Date.now() },
    log,
  );
  if (!report.seeded) {
    console.log('players table not empty: demo population not loaded again');
    return;
  }
  const seconds = (report.durationMs / 1000).toFixed(1);
  console.log(`loaded ${report.players} players and ${report.events} events in ${seconds} s`);
}

/**
 * Starts the stream and the replay as asked. `stopped` resolves once both have ended; a
 * generator that fails is logged and ends, the API stays up.
 */
async function startGenerators(
  store: Store,
  opts: DemoOptions,
  signal: AbortSignal,
  log: Logger,
): Promise<{ stopped: Promise<unknown> }> {
  const running: Promise<unknown>[] = [];
  const watch = (what: string, work: Promise<unknown>) =>
    running.push(work.catch((err: unknown) => log.error({ err, what }, 'demo generator failed')));

  if (opts.stream) {
    const roster = await loadRoster(store);
    const firstNewIndex = await nextPlayerIndex(store);
    const sink = storeSink(store);
    const { rate, seed } = opts;
    watch('stream', runStream({ rate, seed, roster, firstNewIndex, sink, signal, log }));
    console.log(`live stream: ${opts.rate} events/s over ${roster.length} players`);
  }
  if (opts.replayCdnow !== undefined) {
    const file = opts.replayCdnow;
    const sink: ReplaySink = async (events) => {
      await insertEvents(store, events);
    };
    const replay = replayCdnow(file, { speed: opts.replaySpeed, sink, signal });
    watch(
      'replay',
      replay.then((summary) => {
        log.info({ replay: summary }, 'cdnow replay ended');
        // Said on the console too: from here on counts move only as windows age.
        if (!summary.aborted) console.log(`replay finished: ${summary.emitted} purchases sent`);
      }),
    );
    console.log(`replaying ${file} at ${opts.replaySpeed}x`);
  }
  return { stopped: Promise.all(running) };
}

function dataKind(raw: string): DataKind {
  const kind = DATA_KINDS.find((k) => k === raw);
  if (kind === undefined) throw invalid('--data', raw);
  return kind;
}

/** A whole number >= 0 from a command-line flag. */
function count(flag: string) {
  return (raw: string): number => {
    if (!/^\d{1,10}$/.test(raw) || Number(raw) > 0xffffffff) throw invalid(flag, raw);
    return Number(raw);
  };
}

/** A finite number > 0 from a command-line flag. */
function positive(flag: string) {
  return (raw: string): number => {
    const value = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(value) || value <= 0) throw invalid(flag, raw);
    return value;
  };
}

function invalid(flag: string, value: string): SegstreamError {
  return new SegstreamError('VALIDATION_FAILED', { field: flag, value });
}
