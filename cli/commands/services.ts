// `segstream services up|down|status`: local ClickHouse and Redis as child processes.
import { CommanderError } from 'commander';
import type { Config } from '../../engine/config/config.ts';
import type { RegisterCommand } from '../context.ts';
import { clickhouseStatus, clickhouseUrl, stopClickHouse } from '../services/clickhouse.ts';
import { redisStatus, redisUrl, stopRedis } from '../services/redis.ts';
import { ensureServices, localClickHouse, localRedis } from '../runtime.ts';

export type ServicesAction = 'up' | 'down' | 'status';

export const registerServices: RegisterCommand = (program, ctx) => {
  program
    .command('services')
    .description('start, stop or show the local ClickHouse and Redis')
    .argument('<action>', 'up | down | status')
    .action(async (action: string) => {
      if (action !== 'up' && action !== 'down' && action !== 'status') {
        throw new CommanderError(2, 'segstream.services', `unknown action ${action}`);
      }
      ctx.setExit(await servicesCommand(ctx.config(), action));
    });
};

export async function servicesCommand(config: Config, action: ServicesAction): Promise<number> {
  const ch = localClickHouse(config);
  const redis = localRedis(config);

  if (action === 'up') {
    const endpoints = await ensureServices(config);
    console.log(
      `clickhouse ${endpoints.clickhouseUrl}${config.clickhouse.url ? ' (external)' : ''}`,
    );
    console.log(`redis ${endpoints.redisUrl}${config.redis.url ? ' (external)' : ''}`);
    return 0;
  }
  if (action === 'down') {
    if (!config.clickhouse.url) await stopClickHouse(ch);
    if (!config.redis.url) await stopRedis(redis);
    console.log('services stopped');
    return 0;
  }
  const chPid = config.clickhouse.url ? 'external' : clickhouseStatus(ch);
  const redisPid = config.redis.url ? 'external' : redisStatus(redis);
  console.log(`clickhouse ${describe(chPid)} ${config.clickhouse.url ?? clickhouseUrl(ch)}`);
  console.log(`redis ${describe(redisPid)} ${config.redis.url ?? redisUrl(redis)}`);
  return chPid !== undefined && redisPid !== undefined ? 0 : 3;
}

function describe(pid: number | string | undefined): string {
  if (pid === undefined) return 'stopped';
  return typeof pid === 'number' ? `running (pid ${pid})` : pid;
}
