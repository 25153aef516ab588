// The API figures of the real-data bench (see real-data.ts): previews of the starter rules and
// the CSV export of a starter segment, each against its bare ClickHouse query in the same run.
import { Redis } from 'ioredis';
import { parseColumns, parseSort } from '../api/members/columns.ts';
import { membersSql, type MembersPlan } from '../api/members/query.ts';
import { memberCondition, readSnapshot } from '../api/members/snapshot.ts';
import { compileMembersQuery } from '../engine/compiler/index.ts';
import { timeEnv } from '../engine/compiler/time.ts';
import { REAL_STARTER_SEGMENTS } from '../engine/demo/real/segments.ts';
import { membershipKeys } from '../engine/membership/keys.ts';
import { validateRule } from '../engine/rules/validate.ts';
import type { BenchApi } from './api.ts';
import { bare, download, rate } from './export.ts';
import { timedPreview } from './preview.ts';
import type { RealData } from './real-data.ts';
import { fmt, type FigureRow } from './report.ts';
import { nowMs, percentile, round } from './stats.ts';

const PREVIEW_TARGET_MS = 200;
const PREVIEW_TARGET_RATIO = 1.5;
/** The largest bwin starter segment, and the columns a CRM export of it would take. */
const EXPORT_SEGMENT = 'bwin-lapsed';
const EXPORT_COLUMNS = 'country,language,gender,registered_at,bwin_age,application_id';
const EXPORT_SORT = 'registered_at:desc';

/** Every starter rule previewed (count + first 20 rows) `runs` rounds after a warm-up round. */
export async function realPreview(api: BenchApi, data: RealData, runs: number) {
  const asOf = new Date(data.asOfMs).toISOString();
  const preview: number[] = [];
  const bareMs: number[] = [];
  for (let run = 0; run <= runs; run++) {
    for (const segment of REAL_STARTER_SEGMENTS) {
      const body = JSON.stringify({ rule: segment.rule, as_of: asOf, limit: 20 });
      const http = await timedPreview(api.url, api.token, body);
      const rule = validateRule(segment.rule, data.catalogue, 'rule');
      const sql = compileMembersQuery(rule, {
        ...{ catalogue: data.catalogue, timezone: 'UTC', asOf: data.asOfMs },
        resolveSegment: () => undefined,
      });
      const started = nowMs();
      await data.store.rows(`SELECT count() AS n FROM (${sql})`);
      if (run > 0) {
        preview.push(http);
        bareMs.push(nowMs() - started);
      }
    }
  }
  const p95 = percentile(preview, 95);
  const bareP95 = percentile(bareMs, 95);
  const ratio = p95 / bareP95;
  const row = (size: string): FigureRow => ({
    figure: `real data: preview p95 of the starter rules, count + first 20 rows (${size})`,
    value: `${fmt(p95)} ms`,
    target: `< ${PREVIEW_TARGET_MS} ms, <= ${PREVIEW_TARGET_RATIO}x bare`,
    ratio: `${round(ratio, 2)}x the bare count query (p95 ${fmt(bareP95)} ms)`,
    verdict: p95 < PREVIEW_TARGET_MS && ratio <= PREVIEW_TARGET_RATIO ? 'met' : 'missed',
  });
  const notes = [
    `Previews: the ${REAL_STARTER_SEGMENTS.length} starter rules, ${runs} rounds after one ` +
      `warm-up round (${preview.length} previews), one at a time over HTTP to the API in the ` +
      `bench process, at the as-of time of the data. p50 ${fmt(percentile(preview, 50))} ms, ` +
      `max ${fmt(Math.max(...preview))} ms; bare count query of the compiled rule p50 ` +
      `${fmt(percentile(bareMs, 50))} ms.`,
  ];
  const details = {
    previewMs: { p50: round(percentile(preview, 50)), p95: round(p95) },
    bareMs: { p50: round(percentile(bareMs, 50)), p95: round(bareP95) },
  };
  return { row, notes, details };
}

/** The export of EXPORT_SEGMENT's members as the engine holds them, best of `runs`. */
export async function realExport(
  api: BenchApi,
  data: RealData,
  redisUrl: string,
  prefix: string,
  runs: number,
) {
  const redis = new Redis(redisUrl);
  const snapshot = await readSnapshot(redis, membershipKeys(prefix), EXPORT_SEGMENT).finally(() =>
    redis.disconnect(),
  );
  const members = memberCondition(snapshot.bits);
  if (!members) throw new Error(`bench: ${EXPORT_SEGMENT} has no members`);
  const plan: MembersPlan = {
    columns: parseColumns(data.catalogue, [EXPORT_COLUMNS]),
    sort: parseSort(data.catalogue, EXPORT_SORT),
    env: timeEnv('UTC', Date.now()),
  };
  const query = `columns=${EXPORT_COLUMNS}&sort=${EXPORT_SORT}&access_token=${api.token}`;
  const url = `${api.url}/v1/segments/${EXPORT_SEGMENT}/export.csv?${query}`;
  const ours: number[] = [];
  const bareRates: number[] = [];
  for (let run = 0; run < runs; run++) {
    bareRates.push(await rate(() => bare(data.store, membersSql(plan, members, 'csv'))));
    ours.push(await rate(() => download(url)));
  }
  const best = Math.max(...ours);
  const bestBare = Math.max(...bareRates);
  const ratio = best / bestBare;
  const row: FigureRow = {
    figure: `real data: CSV export of ${EXPORT_SEGMENT}, sorted by registered_at (${fmt(snapshot.count)} rows)`,
    value: `${fmt(best)} rows/s`,
    target: '>= 0.5 of bare',
    ratio: `${round(ratio, 2)} of a bare CSVWithNames export (${fmt(bestBare)} rows/s)`,
    verdict: ratio >= 0.5 ? 'met' : 'missed',
  };
  const notes = [
    `Export: GET /v1/segments/${EXPORT_SEGMENT}/export.csv over a real socket, columns ` +
      `${EXPORT_COLUMNS} (player_id first), sorted by ${EXPORT_SORT}, the members the engine's ` +
      `sweep left in Redis; best of ${runs} runs. Anchor: the same query written by ClickHouse ` +
      `as CSVWithNames, in the same run. Runs, rows/s: ours ${ours.map((r) => fmt(r)).join(', ')}; ` +
      `bare ${bareRates.map((r) => fmt(r)).join(', ')}.`,
  ];
  return { row, notes, details: { rows: snapshot.count, ours, bare: bareRates } };
}
