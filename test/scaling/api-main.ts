// The API alone as an OS process, the way a deployment runs several of them behind a load
// balancer: `tsx test/scaling/api-main.ts` with the usual environment (CLICKHOUSE_URL,
// REDIS_URL, PORT=0 ...). It prints its URL on the first line of stdout once it listens, and
// stops on SIGTERM. The ingest writer and the engine run as processes of their own.
import { startServer } from '../../api/server.ts';
import { loadConfig } from '../../engine/config/config.ts';
import { createLogger } from '../../engine/log.ts';

const config = loadConfig();
const { url, database, user, password, cluster } = config.clickhouse;
if (url === undefined || config.redis.url === undefined) {
  throw new Error('CLICKHOUSE_URL and REDIS_URL must be set');
}
const server = await startServer({
  config,
  log: createLogger(config.logLevel, 'api'),
  clickhouse: { url, database, user, password, cluster },
  redisUrl: config.redis.url,
  uiDir: '/nonexistent/segstream-ui',
});
process.stdout.write(`${server.url}\n`);
process.once('SIGTERM', () => {
  void server.close().then(() => process.exit(0));
});
