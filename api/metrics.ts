// GET /metrics in the Prometheus text format (prom-client), one registry per API process. What
// the request path counts (ingested items, preview latency, request durations) is recorded as it
// happens; what lives in Redis (queue depth, segment states and evaluation durations, the
// engine's watermark) is read when Prometheus scrapes, so every API process reports the same
// engine-side values.
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { INGEST_KINDS, streamKey } from '../engine/ingest/queue.ts';
import { membershipKeys } from '../engine/membership/keys.ts';
import type { MembershipReader } from '../engine/membership/read.ts';
import type { LiveSockets } from './live/sockets.ts';

export interface ApiMetrics {
  readonly registry: Registry;
  /** Ingested items by kind (events, players) and outcome (accepted, rejected). */
  readonly ingestItems: Counter<'kind' | 'outcome'>;
  readonly previewSeconds: Histogram;
}

export interface MetricSources {
  readonly redis: Redis;
  /** REDIS_PREFIX. */
  readonly prefix: string;
  readonly membership: MembershipReader;
  readonly sockets: LiveSockets;
  readonly now?: () => number;
}

const SECONDS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 30];

export function installMetrics(app: FastifyInstance, sources: MetricSources): ApiMetrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'segstream_' });
  const metrics: ApiMetrics = {
    registry,
    ingestItems: new Counter({
      name: 'segstream_ingest_items_total',
      help: 'Items received by POST /v1/events and /v1/players, by kind and outcome',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    previewSeconds: new Histogram({
      name: 'segstream_preview_seconds',
      help: 'Time of POST /v1/segments/preview, validation to answer',
      buckets: SECONDS,
      registers: [registry],
    }),
  };
  requestDurations(app, registry);
  engineGauges(registry, sources);
  app.get('/metrics', async (_req, reply) => {
    reply.type(registry.contentType);
    return registry.metrics();
  });
  return metrics;
}

function requestDurations(app: FastifyInstance, registry: Registry): void {
  const seconds = new Histogram({
    name: 'segstream_http_request_seconds',
    help: 'HTTP request durations by route pattern, method and status',
    labelNames: ['route', 'method', 'status'],
    buckets: SECONDS,
    registers: [registry],
  });
  app.addHook('onResponse', async (req, reply) => {
    // The route pattern, never the raw URL: ids in URLs would make a series per segment.
    const route = req.routeOptions.url ?? 'unmatched';
    const labels = { route, method: req.method, status: String(reply.statusCode) };
    seconds.observe(labels, reply.elapsedTime / 1000);
  });
}

function engineGauges(registry: Registry, sources: MetricSources): void {
  const { redis, prefix, membership, sockets } = sources;
  const now = sources.now ?? Date.now;
  new Gauge({
    name: 'segstream_ingest_queue_depth',
    help: 'Items accepted and queued in Redis, not yet stored in ClickHouse, by kind',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      for (const kind of INGEST_KINDS) {
        this.set({ kind }, await redis.xlen(streamKey(prefix, kind)).catch(() => 0));
      }
    },
  });
  new Gauge({
    name: 'segstream_live_clients',
    help: 'Websocket clients connected to /v1/live on this API process',
    registers: [registry],
    collect() {
      this.set(sockets.sessions.size);
    },
  });
  new Gauge({
    name: 'segstream_engine_watermark_lag_seconds',
    help: 'Seconds since the newest ingestion the engine has evaluated (its watermark)',
    registers: [registry],
    async collect() {
      const watermark = Number(await redis.get(membershipKeys(prefix).watermark).catch(() => 0));
      if (watermark > 0) this.set(Math.max(0, now() / 1000 - watermark));
    },
  });
  segmentGauges(registry, membership);
}

function segmentGauges(registry: Registry, membership: MembershipReader): void {
  const states = new Gauge({
    name: 'segstream_segments',
    help: 'Segments the engine keeps membership for, by state',
    labelNames: ['state'],
    registers: [registry],
  });
  const durations = new Gauge({
    name: 'segstream_segment_evaluation_seconds',
    help: "Duration of each segment's last evaluation",
    labelNames: ['segment'],
    registers: [registry],
  });
  new Gauge({
    name: 'segstream_segment_members',
    help: 'Members of each segment',
    labelNames: ['segment'],
    registers: [registry],
    // One read of every status fills all three gauges.
    async collect() {
      const statuses = await membership.statuses().catch(() => []);
      states.reset();
      durations.reset();
      this.reset();
      for (const s of statuses) {
        states.inc({ state: s.state ?? 'pending' });
        if (s.durationMs !== undefined) durations.set({ segment: s.segment }, s.durationMs / 1000);
        this.set({ segment: s.segment }, s.count);
      }
    },
  });
}
