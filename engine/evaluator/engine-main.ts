// Runs one engine process until SIGTERM or SIGINT:
//   tsx engine/evaluator/engine-main.ts [owner-name]
// It starts no local services: CLICKHOUSE_URL and REDIS_URL must name running servers and the
// schema must be migrated. The fault tests spawn it as a child process to kill it with SIGKILL.
import { loadConfig } from '../config/config.ts';
import { createLogger } from '../log.ts';
import { runEngine } from './run.ts';

const config = loadConfig();
const log = createLogger(config.logLevel, 'engine');
const { url: clickhouseUrl } = config.clickhouse;
const { url: redisUrl } = config.redis;
if (clickhouseUrl === undefined || redisUrl === undefined) {
  log.fatal({}, 'CLICKHOUSE_URL and REDIS_URL must be set');
  process.exit(2);
}

const running = runEngine(config, { clickhouseUrl, redisUrl }, log, process.argv[2]);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void running.close().then(() => process.exit(0));
  });
}
