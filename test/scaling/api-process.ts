// API processes for the scaling tests: test/scaling/api-main.ts as a child process with the
// pipeline's services, on a free port, killed with the other workers at the end of a test.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { TOKEN } from '../pipeline/api.ts';
import type { Services } from '../pipeline/processes.ts';

const API_MAIN = fileURLToPath(new URL('./api-main.ts', import.meta.url));

export interface ApiProcess {
  readonly child: ChildProcess;
  /** http://127.0.0.1:<port> */
  readonly url: string;
}

const running = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of running) child.kill('SIGKILL');
});

/** Extra environment (e.g. CLICKHOUSE_CLUSTER) overrides the pipeline's. */
export async function spawnApi(
  services: Services,
  extra: Readonly<Record<string, string>> = {},
): Promise<ApiProcess> {
  const env = {
    ...process.env,
    CLICKHOUSE_URL: services.clickhouseUrl,
    CLICKHOUSE_DATABASE: services.database,
    REDIS_URL: services.redisUrl,
    REDIS_PREFIX: services.prefix,
    SEGSTREAM_ADMIN_TOKEN: TOKEN,
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'error',
    ...extra,
  };
  const child = spawn(process.execPath, ['--import', 'tsx', API_MAIN], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  running.add(child);
  child.once('exit', () => running.delete(child));
  return { child, url: await firstLine(child) };
}

/** SIGKILL to every API process still running. */
export async function killApis(): Promise<void> {
  await Promise.all(
    [...running].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once('exit', () => resolve());
          child.kill('SIGKILL');
        }),
    ),
  );
}

/** The URL the process prints once it listens; the rest of its output is drained. */
function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += String(chunk);
      const end = text.indexOf('\n');
      if (end >= 0) resolve(text.slice(0, end));
    });
    child.once('exit', (code) => reject(new Error(`API process exited with ${code}`)));
  });
}
