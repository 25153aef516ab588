// Runs one batch writer until SIGTERM or SIGINT:
//   tsx engine/ingest/writer-main.ts [consumer-name]
// It starts no local services: CLICKHOUSE_URL and REDIS_URL must name running servers. The
// fault tests spawn it as a child process to kill it with SIGKILL mid-ingest.
import { loadConfig } from '../config/config.ts';
import { createLogger } from '../log.ts';
import { runWriter } from './run.ts';

const config = loadConfig();
const log = createLogger(config.logLevel, 'writer');
const { url: clickhouseUrl } = config.clickhouse;
const { url: redisUrl } = config.redis;
if (clickhouseUrl === undefined || redisUrl === undefined) {
  log.fatal({}, 'CLICKHOUSE_URL and REDIS_URL must be set');
  process.exit(2);
}

const running = runWriter(config, { clickhouseUrl, redisUrl }, log, process.argv[2]);
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    void running.close().then(() => process.exit(0));
  });
}
