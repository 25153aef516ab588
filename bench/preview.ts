// Preview latency: POST /v1/segments/preview over a real socket on the sweep figure's data set
// (1M players, 10M events by default), for the rules of the bench segments, each previewed with
// its count and first 20 rows as the rule builder asks. Anchor: the same rule's members counted
// by one bare ClickHouse query (the compiled rule, SELECT count() FROM it), in the same run.
// Targets (issue 5): p95 under 200 ms, and at most 1.5x the bare query.
import { DEFAULT_CATALOGUE } from '../engine/catalogue/default.ts';
import { compileMembersQuery } from '../engine/compiler/index.ts';
import { validateRule } from '../engine/rules/validate.ts';
import { loadResolver } from '../engine/segments/references.ts';
import { createSegmentRepository } from '../engine/segments/repository.ts';
import { benchApi } from './api.ts';
import type { SweepDataset } from './dataset.ts';
import type { BenchOptions } from './options.ts';
import { fmt, type FigureResult } from './report.ts';
import type { BenchServices } from './services.ts';
import { nowMs, percentile, round } from './stats.ts';

const TARGET_P95_MS = 200;
const TARGET_RATIO = 1.5;
/** Bench segments previewed: every fifth, so that each kind of rule is among them. */
const EVERY = 5;

export async function benchPreview(
  services: BenchServices,
  options: BenchOptions,
  data: SweepDataset,
): Promise<FigureResult> {
  const api = await benchApi(services, data.store, 'bench:preview:', 'editor');
  try {
    const rules = data.segments.filter((_, i) => i % EVERY === 0);
    const repo = createSegmentRepository(data.store, {
      catalogue: DEFAULT_CATALOGUE,
      defaultTimezone: 'UTC',
    });
    const asOf = new Date(data.asOfMs).toISOString();
    const preview: number[] = [];
    const bare: number[] = [];
    for (let run = 0; run <= options.previewRuns; run++) {
      for (const segment of rules) {
        const body = JSON.stringify({ rule: segment.rule, as_of: asOf, limit: 20 });
        const http = await timedPreview(api.url, api.token, body);
        const rule = validateRule(segment.rule, DEFAULT_CATALOGUE, 'rule');
        const sql = compileMembersQuery(rule, {
          ...{ catalogue: DEFAULT_CATALOGUE, timezone: 'UTC', asOf: data.asOfMs },
          resolveSegment: await loadResolver(repo, rule),
        });
        const started = nowMs();
        await data.store.rows(`SELECT count() AS n FROM (${sql})`);
        // The first round warms caches on both sides and is not counted.
        if (run > 0) {
          preview.push(http);
          bare.push(nowMs() - started);
        }
      }
    }
    return result(options, data, rules.length, preview, bare);
  } finally {
    await api.close();
  }
}

export async function timedPreview(url: string, token: string, body: string): Promise<number> {
  const started = nowMs();
  const res = await fetch(`${url}/v1/segments/preview`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body,
  });
  if (res.status !== 200) throw new Error(`bench: preview answered ${res.status}`);
  await res.json();
  return nowMs() - started;
}

function result(
  options: BenchOptions,
  data: SweepDataset,
  rules: number,
  preview: number[],
  bare: number[],
): FigureResult {
  const p95 = percentile(preview, 95);
  const bareP95 = percentile(bare, 95);
  const ratio = p95 / bareP95;
  const size = `${fmt(options.players)} players, ${fmt(options.events)} events`;
  return {
    name: 'preview',
    rows: [
      {
        figure: `preview p95, count + first 20 rows (${size})`,
        value: `${fmt(p95)} ms`,
        target: `< ${TARGET_P95_MS} ms, <= ${TARGET_RATIO}x bare`,
        ratio: `${round(ratio, 2)}x the bare count query (p95 ${fmt(bareP95)} ms)`,
        verdict: p95 < TARGET_P95_MS && ratio <= TARGET_RATIO ? 'met' : 'missed',
      },
    ],
    notes: [
      `${rules} rules of the bench segments (every ${EVERY}th), ${options.previewRuns} rounds ` +
        `after one warm-up round, ${preview.length} previews in all, one at a time over HTTP ` +
        `(keep-alive) to the API in the bench process. Each preview gets the count and the ` +
        `first 20 rows from one ClickHouse query (api/preview/page.ts). ` +
        `p50 ${fmt(percentile(preview, 50))} ms, ` +
        `max ${fmt(Math.max(...preview))} ms; bare count query p50 ` +
        `${fmt(percentile(bare, 50))} ms. Data set as in the sweep figure ` +
        `(generated in ${fmt(data.setupMs / 1000)} s).`,
    ],
    details: {
      previewMs: {
        p50: round(percentile(preview, 50)),
        p95: round(p95),
        max: round(Math.max(...preview)),
      },
      bareMs: { p50: round(percentile(bare, 50)), p95: round(bareP95) },
      rules,
      rounds: options.previewRuns,
    },
  };
}
