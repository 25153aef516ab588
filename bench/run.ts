// `npm run bench`: the figures of issues 4, 5 and 7 (real data), each with the ratio beside it. Starts its
// own ClickHouse and Redis, runs the selected figures (all by default, at the sizes),
// prints a table, writes bench/results.json and bench/results.md, and stops the services.
//   npm run bench -- --players 100000 --events 1000000 --only sweep,memory
// See bench/options.ts for every flag and its BENCH_* variable.
import { sweepDatasetOnce } from './dataset.ts';
import { benchFreshness } from './freshness.ts';
import { benchExport } from './export.ts';
import { benchFanout } from './fanout.ts';
import { benchIngest } from './ingest.ts';
import { benchPreview } from './preview.ts';
import { benchMemory } from './memory.ts';
import { readOptions, type Figure } from './options.ts';
import { machine, printTable, writeResults, type FigureResult } from './report.ts';
import { startServices, type BenchServices } from './services.ts';
import { benchSweep } from './sweep.ts';
import { benchReal } from './real-data.ts';

async function main(): Promise<number> {
  const options = readOptions();
  const services = await startServices(options.keep);
  const stopOnSignal = () => void services.stop().finally(() => process.exit(130));
  process.once('SIGINT', stopOnSignal);
  process.once('SIGTERM', stopOnSignal);
  try {
    const host = machine(await services.clickhouseVersion(), await services.redisVersion());
    console.log(`bench: ClickHouse ${host.clickhouse}, Redis ${host.redis}, ${host.cores} cores`);
    const results: FigureResult[] = [];
    const run = runner(services, options);
    for (const figure of options.only) {
      console.log(`bench: ${figure}`);
      // A figure that fails is reported as failed; the figures before and after it still count.
      results.push(await run(figure).catch((err: unknown) => failed(figure, err)));
    }
    printTable(results);
    await writeResults(options, host, results);
    console.log(`bench: results in ${options.outDir}/results.md`);
    const failures = results.filter((r) => r.failure !== undefined);
    for (const f of failures) console.error(`bench FAILED (${f.name}): ${f.failure}`);
    return failures.length > 0 ? 1 : 0;
  } finally {
    await services.stop();
  }
}

function failed(name: Figure, err: unknown): FigureResult {
  console.error(`bench: ${name} failed`, err);
  const reason = err instanceof Error ? err.message : String(err);
  return { name, rows: [], notes: [`This figure failed: ${reason}`], details: {}, failure: reason };
}

function runner(services: BenchServices, options: ReturnType<typeof readOptions>) {
  const dataset = sweepDatasetOnce(services, options);
  return async (figure: Figure): Promise<FigureResult> => {
    switch (figure) {
      case 'ingest':
        return benchIngest(services, options);
      case 'freshness':
        return benchFreshness(services, options);
      case 'sweep':
        return benchSweep(services, options, await dataset());
      case 'memory':
        return benchMemory(services, options, await dataset());
      case 'preview':
        return benchPreview(services, options, await dataset());
      case 'export':
        return benchExport(services, options);
      case 'fanout':
        return benchFanout(services, options);
      case 'real':
        return benchReal(services, options);
    }
  };
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error('bench: error', err);
    process.exit(1);
  },
);
