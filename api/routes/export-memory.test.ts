// The export streams: a 200k-member export (about 100 MB of CSV) over a real socket keeps the
// memory this process retains flat, measured after forced garbage collections while it flows.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import v8 from 'node:v8';
import vm from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memberFixture, type MemberFixture } from '../members/test-support.ts';

const MEMBERS = 200_000;
const MB = 1024 * 1024;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

let f: MemberFixture;
let base: string;
beforeAll(async () => {
  f = await memberFixture('export_memory');
  // Wide rows: a 400-character country per player (no two alike, so nothing compresses).
  await f.api.db.store.exec(`INSERT INTO players (player_id, version, country, vip_level)
    SELECT concat('p', toString(number)), 1,
      concat(toString(number), ',', arrayStringConcat(arrayMap(i -> hex(intHash64(number + i)),
        range(25)), '"')),
      toInt32(number % 7) - 3
    FROM numbers(${MEMBERS})`);
  await f.segment('all', { include: { all: [{ field: 'country', op: 'is_set' }] } });
  await f.engine.step();
  await f.api.app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(f.api.app.server.address() as AddressInfo).port}`;
}, 300_000);
afterAll(() => f.close());

/** Downloads the export; returns its size, rows and the largest retained-memory growth. */
function download(url: string): Promise<{ bytes: number; lines: number; growth: number }> {
  const retained = () => {
    // Twice: array buffers freed by the first collection are released by the second.
    gc();
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const start = retained();
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let bytes = 0;
        let lines = 0;
        let nextCheck = 10 * MB;
        let growth = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
          for (let i = chunk.indexOf(10); i >= 0; i = chunk.indexOf(10, i + 1)) lines += 1;
          if (bytes >= nextCheck) {
            nextCheck += 10 * MB;
            growth = Math.max(growth, retained() - start);
          }
        });
        res.on('end', () => resolve({ bytes, lines, growth }));
        res.on('error', reject);
      })
      .on('error', reject);
  });
}

describe('export memory (real ClickHouse, Redis and socket)', () => {
  it('streams 200k members with flat memory', async () => {
    const token = f.api.tokens.editor;
    const url = `${base}/v1/segments/all/export.csv?columns=country,vip_level&access_token=${token}`;
    await download(`${url}&sort=vip_level`); // warm-up: code paths and pools allocated once
    const { bytes, lines, growth } = await download(`${url}&sort=vip_level`);
    expect(lines).toBe(MEMBERS + 1);
    expect(bytes).toBeGreaterThan(80 * MB);
    // Buffering the export would retain its whole size; streaming retains a few chunks.
    expect(growth).toBeLessThan(8 * MB);
  }, 300_000);
});
