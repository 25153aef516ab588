// Figure 2: freshness, from an event's 202 answer to the count change it causes arriving on the
// Redis live channel, at a steady background load over a population with history. The product
// runs as `segstream serve` in a child process (API, batch writer and engine, default settings);
// this process is only its client: the background load, the probes (probes.ts) and a subscriber.
import { loadConfig } from '../engine/config/config.ts';
import { Redis } from 'ioredis';
import { membershipReader } from '../engine/membership/read.ts';
import { membershipKeys } from '../engine/membership/keys.ts';
import type { Store } from '../engine/store/clickhouse.ts';
import { startCli } from './child.ts';
import { benchToken, poster } from './http.ts';
import { startLoad } from './load.ts';
import type { BenchOptions } from './options.ts';
import { generatePopulation, saveSegments } from './population.ts';
import { runProbes, type ProbeRun } from './probes.ts';
import { fmt, type FigureResult } from './report.ts';
import { benchSegments, probeSegment } from './segments.ts';
import type { BenchServices } from './services.ts';
import { percentile, round, sleep, waitFor } from './stats.ts';
import { freePort } from '../test/support/ports.ts';

const TARGET_P95_MS = 1_000;
const DATABASE = 'bench_fresh';
const PREFIX = 'bench:fresh:';
const LOST_AFTER_MS = 30_000;

export async function benchFreshness(
  services: BenchServices,
  options: BenchOptions,
): Promise<FigureResult> {
  const reserve = Math.min(5_000, Math.floor(options.freshPlayers / 10));
  const probePlayers = Array.from(
    { length: reserve },
    (_, i) => `p${options.freshPlayers - reserve + i}`,
  );
  const segmentCount = await prepare(services, options, reserve);

  const port = await freePort();
  const token = benchToken();
  const serve = startCli('serve', {
    CLICKHOUSE_URL: services.clickhouseUrl,
    REDIS_URL: services.redisUrl,
    CLICKHOUSE_DATABASE: DATABASE,
    REDIS_PREFIX: PREFIX,
    HOST: '127.0.0.1',
    PORT: String(port),
    LOG_LEVEL: 'warn',
    SEGSTREAM_ADMIN_TOKEN: token,
  });
  const redis = new Redis(services.redisUrl);
  const subscriber = new Redis(services.redisUrl);
  const store = await services.database(DATABASE);
  const client = poster(`http://127.0.0.1:${port}`, 64, token);
  try {
    await serve.waitForLine((l) => l.startsWith('Segstream is running'), 'start', 120_000);
    await waitForLive(redis, store, segmentCount);
    console.log('bench: all segments live; background load starts');

    const load = startLoad(client.post, options.freshRate, options.freshPlayers - reserve);
    await sleep(options.freshWarmup * 1000);
    const before = load.accepted();
    const started = Date.now();
    const until = () => Date.now() - started >= options.freshSeconds * 1000;
    const run = await runProbes(
      {
        ...{ post: client.post, subscriber, store, slots: options.probeSlots },
        ...{ channel: membershipKeys(PREFIX).live, players: probePlayers },
        lostAfterMs: LOST_AFTER_MS,
      },
      until,
    );
    const seconds = (Date.now() - started) / 1000;
    const rate = (load.accepted() - before) / seconds;
    const backlog = load.inFlight();
    await load.stop();
    return result(options, run, { rate, backlog, segments: segmentCount });
  } finally {
    client.close();
    subscriber.disconnect();
    redis.disconnect();
    await serve.stop();
    await store.close();
  }
}

/** History and segments: the bench segments but the last few, plus one probe segment per slot. */
async function prepare(services: BenchServices, options: BenchOptions, reserve: number) {
  const store = await services.database(DATABASE);
  console.log(`bench: generating ${options.freshPlayers} players, ${options.freshEvents} events`);
  await generatePopulation(store, {
    players: options.freshPlayers,
    events: options.freshEvents,
    eventPlayers: options.freshPlayers - reserve,
    asOfMs: Math.floor(Date.now() / 1000) * 1000,
  });
  const probes = Array.from({ length: options.probeSlots }, (_, k) => probeSegment(k));
  const segments = [...benchSegments(options.segments - options.probeSlots), ...probes];
  await saveSegments(store, segments);
  await store.close();
  return segments.length;
}

async function waitForLive(redis: Redis, store: Store, n: number) {
  const reader = membershipReader({ redis, store, prefix: PREFIX });
  await waitFor(
    async () => {
      const statuses = await reader.statuses();
      return statuses.length === n && statuses.every((s) => s.state === 'live');
    },
    'every segment to be live',
    600_000,
    500,
  );
}

interface LoadFigures {
  readonly rate: number;
  readonly backlog: number;
  readonly segments: number;
}

function result(options: BenchOptions, run: ProbeRun, load: LoadFigures): FigureResult {
  const latencies = run.samples.map((s) => s.latencyMs);
  const p50 = percentile(latencies, 50);
  const p95 = percentile(latencies, 95);
  const traced = run.samples.filter((s) => s.storedMs !== undefined);
  const stored = traced.map((s) => s.storedMs!);
  const engine = traced.map((s) => s.latencyMs - s.storedMs!);
  const calm = run.samples.filter((s) => !duringSweep(s, run.sweepMessages));
  const calmP95 = percentile(
    calm.map((s) => s.latencyMs),
    95,
  );
  const population = `${fmt(options.freshPlayers)} players, ${load.segments} segments`;
  const failure =
    run.samples.length === 0
      ? 'no probe was published'
      : run.lost > 0
        ? `${run.lost} probes were never published`
        : undefined;
  return {
    name: 'freshness',
    rows: [
      {
        figure: `freshness p95, 202 to publish (${fmt(options.freshRate)} events/s, ${population})`,
        value: `${fmt(p95)} ms`,
        target: `< ${fmt(TARGET_P95_MS)} ms`,
        ratio: `${round(p95 / TARGET_P95_MS, 2)}x the target; p50 ${fmt(p50)} ms`,
        verdict: p95 < TARGET_P95_MS ? 'met' : 'missed',
      },
    ],
    notes: [
      `\`segstream serve\` (API, batch writer and engine in one child process, settings as ` +
        `the environment gives them: ${settingsInForce()}) over ` +
        `${fmt(options.freshPlayers)} players with ${fmt(options.freshEvents)} history events and ` +
        `${load.segments} active segments (${load.segments - options.probeSlots} bench segments and ` +
        `${options.probeSlots} probe segments). Background load: ${fmt(load.rate)} events/s ` +
        `achieved (asked ${fmt(options.freshRate)}), ${options.freshWarmup} s warm-up, then ` +
        `${options.freshSeconds} s of probes; ${load.backlog} load requests unanswered at the end.`,
      '',
      'Each probe is one event that makes one reserved player enter its probe segment; its ' +
        "latency runs from the 202 answer to the receipt of that segment's message on the live " +
        'channel (bench/probes.ts).',
      '',
      '| | p50 | p95 | max | probes |',
      '|---|---|---|---|---|',
      row('202 to publish, all probes', latencies),
      row(
        '202 to publish, probes not overlapping a sweep publish',
        calm.map((s) => s.latencyMs),
      ),
      row('traced probes: 202 until stored in ClickHouse (ingest)', stored),
      row('traced probes: stored until published (engine)', engine),
      '',
      `Lost probes: ${run.lost}; probe messages with more than one player: ${run.unexpected}; ` +
        `sweep messages seen: ${run.sweepMessages.length}. Without probes that overlapped a ` +
        `sweep the p95 is ${fmt(calmP95)} ms.`,
    ],
    details: {
      p50,
      p95,
      calmP95,
      loadRate: load.rate,
      backlog: load.backlog,
      lost: run.lost,
      unexpected: run.unexpected,
      samples: run.samples.map((s) => ({
        ...s,
        latencyMs: round(s.latencyMs, 1),
        ...(s.storedMs === undefined ? {} : { storedMs: round(s.storedMs, 1) }),
      })),
      sweepMessages: run.sweepMessages,
    },
    ...(failure ? { failure } : {}),
  };
}

function row(what: string, values: readonly number[]): string {
  const max = values.length ? Math.max(...values) : Number.NaN;
  return (
    `| ${what} | ${fmt(percentile(values, 50))} ms | ${fmt(percentile(values, 95))} ms | ` +
    `${fmt(max)} ms | ${values.length} |`
  );
}

/** Whether a sweep published while the probe waited (its wait then includes the sweep). */
function duringSweep(
  sample: { acceptedAt: number; latencyMs: number },
  sweeps: readonly number[],
): boolean {
  const end = sample.acceptedAt + sample.latencyMs;
  return sweeps.some((t) => t >= sample.acceptedAt && t <= end + 100);
}

/** The settings that decide freshness, as the child process reads them (defaults or env). */
function settingsInForce(): string {
  const config = loadConfig(process.env);
  return [
    `INGEST_FLUSH_INTERVAL_MS ${config.ingest.flushIntervalMs}`,
    `ENGINE_TICK_MS ${config.engine.tickMs}`,
    `ENGINE_SWEEP_INTERVAL_MS ${config.engine.sweepIntervalMs}`,
  ].join(', ');
}
