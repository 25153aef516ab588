// An engine with its own connections, as a process runs it: `segstream serve`, `segstream engine`
// or the stand-alone engine-main.ts. Several processes may run one each: the lease decides which
// one evaluates.
import { hostname } from 'node:os';
import { loadCatalogue } from '../catalogue/load.ts';
import type { Config } from '../config/config.ts';
import type { Logger } from '../log.ts';
import { createSegmentRepository } from '../segments/repository.ts';
import { openWorkerConnections, type Endpoints } from '../store/connections.ts';
import { Engine } from './engine.ts';

export interface RunningEngine {
  readonly engine: Engine;
  /** Stops the engine (finishing its step, giving up the lease) and closes its connections. */
  close(): Promise<void>;
}

/** Slack on top of the query timeout: the engine cancels a stuck query itself first. */
const REQUEST_SLACK_MS = 30_000;

export function runEngine(
  config: Config,
  endpoints: Endpoints,
  log: Logger,
  owner = `${hostname()}:${process.pid}`,
): RunningEngine {
  const catalogue = loadCatalogue(config.catalogueFile);
  const connections = openWorkerConnections(
    config,
    endpoints,
    log,
    config.engine.computeTimeoutMs + REQUEST_SLACK_MS,
  );
  const { redis, store } = connections;
  const segments = createSegmentRepository(store, {
    catalogue,
    defaultTimezone: config.timezone,
  });
  const engine = new Engine({
    ...{ redis, store, log, prefix: config.redis.prefix, catalogue, segments, owner },
    settings: config.engine,
  });
  engine.start();
  return {
    engine,
    close: async () => {
      await engine.stop();
      await connections.close();
    },
  };
}
