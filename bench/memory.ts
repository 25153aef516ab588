// Figure 4: the engine's resident memory at the sweep data set's size (1M players x 50 segments
// by default), in its own process: `segstream engine` is started as a child process on the sweep
// figure's database and Redis prefix, sweeps continuously (ENGINE_SWEEP_INTERVAL_MS=1), and its
// VmRSS is read from /proc/<pid>/status after each sweep; VmHWM is its peak over the whole run.
// After the sweep figure the engine starts like a restarted one (it loads the bitmaps Redis
// holds); run alone it first computes every segment from scratch.
import fs from 'node:fs';
import type { SweepDataset } from './dataset.ts';
import { logLine, startCli } from './child.ts';
import type { BenchOptions } from './options.ts';
import { fmt, type FigureResult } from './report.ts';
import type { BenchServices } from './services.ts';
import { median } from './stats.ts';

const TARGET_MB = 300;
const SWEEP_TIMEOUT_MS = 600_000;

export async function benchMemory(
  services: BenchServices,
  options: BenchOptions,
  data: SweepDataset,
): Promise<FigureResult> {
  const engine = startCli('engine', {
    CLICKHOUSE_URL: services.clickhouseUrl,
    REDIS_URL: services.redisUrl,
    CLICKHOUSE_DATABASE: data.database,
    REDIS_PREFIX: data.prefix,
    LOG_LEVEL: 'info',
    ENGINE_SWEEP_INTERVAL_MS: '1',
    ENGINE_COMPUTE_TIMEOUT_MS: String(SWEEP_TIMEOUT_MS),
  });
  const afterSweeps: number[] = [];
  let loadedMb: number | undefined;
  let peakMb = 0;
  try {
    engine.onLine((line) => {
      if (logLine(line)?.msg === 'membership loaded') loadedMb = memoryMb(engine.pid).rss;
    });
    for (let i = 0; i < options.memorySweeps; i++) {
      await engine.waitForLine(isSweepDone, 'sweep', SWEEP_TIMEOUT_MS);
      const { rss, hwm } = memoryMb(engine.pid);
      afterSweeps.push(rss);
      peakMb = hwm;
      console.log(`bench: engine RSS after sweep ${i + 1}: ${rss} MB (peak ${hwm} MB)`);
    }
  } finally {
    await engine.stop();
  }
  const rss = median(afterSweeps);
  const size = `${fmt(options.players)} players x ${data.segments.length} segments`;
  return {
    name: 'memory',
    rows: [
      {
        figure: `engine RSS after a sweep (${size}), median`,
        value: `${fmt(rss)} MB`,
        target: `< ${TARGET_MB} MB`,
        ratio: `${Math.round((rss / TARGET_MB) * 100) / 100}x the target; peak ${fmt(peakMb)} MB`,
        verdict: rss < TARGET_MB ? 'met' : 'missed',
      },
    ],
    notes: [
      `\`segstream engine\` as its own process (node, loaded through tsx as bin/segstream.js ` +
        `does) on the sweep figure's data (${fmt(options.players)} players, ` +
        `${fmt(options.events)} events, ${data.segments.length} segments), sweeping ` +
        `continuously. VmRSS after each of ${afterSweeps.length} sweeps: ` +
        `${afterSweeps.map((mb) => fmt(mb)).join(', ')} MB; after loading the membership ` +
        `bitmaps: ${loadedMb === undefined ? 'not logged' : `${fmt(loadedMb)} MB`}; peak ` +
        `(VmHWM) over the run, first evaluation included: ${fmt(peakMb)} MB.`,
    ],
    details: { afterSweepsMb: afterSweeps, loadedMb, peakMb, pid: engine.pid },
  };
}

function isSweepDone(line: string): boolean {
  const log = logLine(line);
  return log?.msg === 'segments evaluated' && log.cause === 'sweep';
}

/** VmRSS and VmHWM of a process, in MB. */
function memoryMb(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(status)?.[1]);
  return { rss: Math.round(kb('VmRSS') / 1024), hwm: Math.round(kb('VmHWM') / 1024) };
}
