import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../test/support/ports.ts';
import {
  CLICKHOUSE_BINARY,
  clickhouseStatus,
  clickhouseUrl,
  pingClickHouse,
  remoteServers,
  stopClickHouse,
  type LocalClickHouse,
} from './clickhouse.ts';
import { findBinary } from './process.ts';

describe('pingClickHouse', () => {
  let httpServer: http.Server;
  let httpUrl: string;

  beforeAll(async () => {
    httpServer = http.createServer((_req, res) => {
      res.statusCode = 503;
      res.end('starting');
    });
    await new Promise<void>((resolve) => httpServer.listen(0, '127.0.0.1', resolve));
    const address = httpServer.address();
    httpUrl = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  });
  afterAll(() => new Promise<void>((resolve) => httpServer.close(() => resolve())));

  it('is true for the running test server', async () => {
    expect(await pingClickHouse(inject('clickhouseUrl'))).toBe(true);
  });

  it('is false when nothing listens on the port', async () => {
    expect(await pingClickHouse(`http://127.0.0.1:${await freePort()}`)).toBe(false);
  });

  it('is false when the server answers with an error status', async () => {
    expect(await pingClickHouse(httpUrl)).toBe(false);
  });
});

describe('local ClickHouse bookkeeping', () => {
  let dir: string;
  let server: LocalClickHouse;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-ch-'));
    server = { dir, httpPort: 18999, tcpPort: 19999 };
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('builds the loopback URL from the HTTP port', () => {
    expect(clickhouseUrl(server)).toBe('http://127.0.0.1:18999');
  });

  it('is stopped when there is no pid file', () => {
    expect(clickhouseStatus(server)).toBeUndefined();
  });

  it('does not take an unrelated process for the server, and does not stop it', async () => {
    // After a reboot the recorded pid may belong to anything; this test process stands in.
    const pidFile = path.join(dir, 'clickhouse.pid');
    fs.writeFileSync(pidFile, String(process.pid));
    expect(clickhouseStatus(server)).toBeUndefined();
    await stopClickHouse(server);
    expect(fs.existsSync(pidFile)).toBe(false);
  });

  it('knows the Debian package that provides the server', () => {
    expect(CLICKHOUSE_BINARY.debianPackage).toBe('clickhouse-server');
    expect(CLICKHOUSE_BINARY.names).toContain('clickhouse-server');
    expect(path.basename(findBinary(CLICKHOUSE_BINARY))).toMatch(/^clickhouse(-server)?$/);
  });
});

describe('remoteServers', () => {
  const shards = [
    { host: '127.0.0.1', tcpPort: 9001 },
    { host: '127.0.0.1', tcpPort: 9002 },
  ];

  it('names one one-replica shard per entry, in order', () => {
    const xml = remoteServers({ name: 'shards', shards });
    expect(
      xml.match(/<shard><replica><host>127\.0\.0\.1<\/host><port>(\d+)<\/port>/g),
    ).toHaveLength(2);
    expect(xml.indexOf('9001')).toBeLessThan(xml.indexOf('9002'));
    expect(xml).toContain('<shards>');
  });

  it.each(['my-shards', '1shards', 'a><b', ''])('refuses the cluster name %j', (name) => {
    expect(() => remoteServers({ name, shards })).toThrow(RangeError);
  });
});
