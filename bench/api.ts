// The API in the bench process on a real loopback socket, over one of the bench's databases and
// Redis prefixes, with a token of the role a figure needs. Rate limits are lifted: the bench is
// one client making many requests on purpose.
import type { AddressInfo } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { buildApp } from '../api/app.ts';
import { createTokenStore } from '../api/auth/tokens.ts';
import type { Role } from '../api/auth/roles.ts';
import { loadConfig } from '../engine/config/config.ts';
import { createLogger } from '../engine/log.ts';
import type { Catalogue } from '../engine/catalogue/types.ts';
import type { Store } from '../engine/store/clickhouse.ts';
import type { BenchServices } from './services.ts';

export interface BenchApi {
  /** http://127.0.0.1:<port> */
  readonly url: string;
  readonly token: string;
  readonly app: FastifyInstance;
  readonly redis: Redis;
  close(): Promise<void>;
}

export async function benchApi(
  services: BenchServices,
  store: Store,
  prefix: string,
  role: Role,
  catalogue?: Catalogue,
): Promise<BenchApi> {
  const redis = new Redis(services.redisUrl);
  const config = loadConfig({
    ...{ REDIS_PREFIX: prefix, CLICKHOUSE_URL: services.clickhouseUrl },
    ...{ CLICKHOUSE_DATABASE: store.database, REDIS_URL: services.redisUrl },
    ...{ API_PREVIEW_PER_MINUTE: '1000000', API_EXPORT_PER_MINUTE: '1000000' },
  });
  const log = createLogger('silent');
  const app = await buildApp({ config, store, redis, log, catalogue, uiDir: '/nonexistent' });
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { token } = await createTokenStore(store, undefined).issue(`bench ${role}`, role, 'bench');
  const port = (app.server.address() as AddressInfo).port;
  return {
    ...{ url: `http://127.0.0.1:${port}`, token, app, redis },
    close: async () => {
      await app.close();
      redis.disconnect();
    },
  };
}
