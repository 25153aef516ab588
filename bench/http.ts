// POSTs over real keep-alive sockets to the API, as ingest clients send them, with a bearer
// token (the bench starts the API with it as SEGSTREAM_ADMIN_TOKEN, which grants ingest).
import { randomBytes } from 'node:crypto';
import http from 'node:http';

export interface IngestReply {
  readonly status: number;
  readonly accepted: number;
  readonly rejected: number;
}

export type Poster = (
  path: string,
  body: Buffer | string,
  contentType: string,
) => Promise<IngestReply>;

/** A token for one bench run. */
export function benchToken(): string {
  return randomBytes(24).toString('hex');
}

export function poster(
  baseUrl: string,
  sockets: number,
  token: string,
): { post: Poster; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: sockets });
  const base = new URL(baseUrl);
  const post: Poster = (path, body, contentType) =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          agent,
          host: base.hostname,
          port: base.port,
          path,
          method: 'POST',
          headers: {
            'content-type': contentType,
            'content-length': Buffer.byteLength(body),
            authorization: `Bearer ${token}`,
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            try {
              resolve(reply(res.statusCode ?? 0, Buffer.concat(chunks).toString('utf8')));
            } catch (err) {
              reject(err as Error);
            }
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}

function reply(status: number, text: string): IngestReply {
  if (status !== 202) throw new Error(`bench: ingest answered ${status}: ${text.slice(0, 300)}`);
  const parsed = JSON.parse(text) as { accepted: number; rejected: unknown[] };
  return { status, accepted: parsed.accepted, rejected: parsed.rejected.length };
}
