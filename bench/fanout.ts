// Live fan-out: one API process with N websocket clients (default 1,000, in a child process)
// subscribed to every segment, while changes are published through the engine's own apply
// script (as the engine publishes them) at a steady rate. Added latency is the time from a
// change's publication until a client has its update. Target (issue 5): every client receives
// every update, p95 added latency under 100 ms.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { MembershipWriter } from '../engine/membership/apply.ts';
import { membershipKeys } from '../engine/membership/keys.ts';
import { Lease } from '../engine/membership/lease.ts';
import { writeStatus } from '../engine/membership/status.ts';
import { benchApi } from './api.ts';
import type { BenchOptions } from './options.ts';
import { fmt, type FigureResult } from './report.ts';
import type { BenchServices } from './services.ts';
import { round, sleep } from './stats.ts';

const PREFIX = 'bench:fanout:';
const SEGMENTS = ['fan-a', 'fan-b', 'fan-c', 'fan-d', 'fan-e'];
const UPDATES_PER_S = 20;
const TARGET_P95_MS = 100;
const CLIENTS = fileURLToPath(new URL('./fanout-clients.ts', import.meta.url));

interface Summary {
  updates: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  minChangeSets: number;
  maxChangeSets: number;
}

export async function benchFanout(
  services: BenchServices,
  options: BenchOptions,
): Promise<FigureResult> {
  const store = await services.database('bench_fanout');
  const api = await benchApi(services, store, PREFIX, 'viewer');
  const keys = membershipKeys(PREFIX);
  const lease = new Lease(api.redis, keys, 600_000, 'bench-fanout');
  if (!(await lease.acquire())) throw new Error('bench: fan-out lease not acquired');
  const writer = new MembershipWriter(api.redis, keys);
  for (const segment of SEGMENTS) {
    await writeStatus(api.redis, keys, lease.token, segment, { state: 'live', version: 1 });
  }
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      CLIENTS,
      `${api.url.replace('http', 'ws')}/v1/live`,
      api.token,
      String(options.fanoutClients),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout! });
  const next = () => new Promise<string>((resolve) => lines.once('line', resolve));
  try {
    if ((await next()) !== 'ready') throw new Error('bench: fan-out clients did not get ready');
    const clients = api.app.websocketServer.clients.size;
    for (let i = 0; i < options.fanoutUpdates; i++) {
      const segment = SEGMENTS[i % SEGMENTS.length]!;
      const changes = [{ num: 1 + Math.floor(i / SEGMENTS.length), on: true }];
      await writer.apply(lease.token, {
        segment,
        version: 1,
        cause: 'tick',
        at: Date.now(),
        changes,
      });
      await sleep(1000 / UPDATES_PER_S);
    }
    await sleep(2_000);
    child.stdin!.write('done\n');
    const summary = JSON.parse(await next()) as Summary;
    return result(options, clients, summary);
  } finally {
    child.kill();
    await lease.release().catch(() => undefined);
    await api.close();
  }
}

function result(options: BenchOptions, clients: number, s: Summary): FigureResult {
  const expected = options.fanoutUpdates;
  const complete = s.minChangeSets === expected && s.maxChangeSets === expected;
  return {
    name: 'fanout',
    rows: [
      {
        figure: `live fan-out p95 added latency (${fmt(clients)} clients, ${fmt(expected)} updates)`,
        value: `${fmt(s.p95)} ms`,
        target: `< ${TARGET_P95_MS} ms, every update`,
        ratio:
          `${round(s.p95 / TARGET_P95_MS, 2)}x the target; ` +
          (complete ? 'every client got every update' : 'UPDATES MISSING'),
        verdict: s.p95 < TARGET_P95_MS && complete ? 'met' : 'missed',
      },
    ],
    notes: [
      `${fmt(clients)} websocket clients (one child process) on one API process, each ` +
        `subscribed to all ${SEGMENTS.length} segments; ${fmt(expected)} change sets published ` +
        `through the engine's apply script at ${UPDATES_PER_S}/s. Latency from publication to ` +
        `receipt, over ${fmt(s.updates)} received updates: p50 ${fmt(s.p50)} ms, p95 ` +
        `${fmt(s.p95)} ms, p99 ${fmt(s.p99)} ms, max ${fmt(s.max)} ms. Change sets each client ` +
        `was told of (coalesced updates count all they stand for): ${s.minChangeSets} to ` +
        `${s.maxChangeSets} of ${expected}.`,
    ],
    details: { clients, ...s },
    ...(complete ? {} : { failure: `clients missed updates (${s.minChangeSets} of ${expected})` }),
  };
}
