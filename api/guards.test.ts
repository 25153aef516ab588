// What sits in front of every route: security headers, rate limits on preview and export (429
// RATE_LIMITED with Retry-After, per token), the OpenAPI description at /docs and Prometheus
// metrics at /metrics, against real ClickHouse and Redis.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testApi, type TestApi } from './test-support.ts';

let api: TestApi;
beforeAll(async () => {
  api = await testApi('guards', {
    env: { API_PREVIEW_PER_MINUTE: '2', API_EXPORT_PER_MINUTE: '1' },
  });
});
afterAll(() => api.close());

const rule = { include: { all: [{ field: 'country', op: 'eq', value: 'DE' }] } };

describe('security headers', () => {
  it.each(['/health', '/v1/segments', '/docs/json'])('are set on %s', async (url) => {
    const res = await api.as('viewer').get(url);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['content-security-policy']).toContain("default-src 'self'");
    expect(res.headers['x-frame-options']).toBe('SAMEORIGIN');
  });
});

describe('rate limits', () => {
  it('let API_PREVIEW_PER_MINUTE previews through, then answer 429 RATE_LIMITED', async () => {
    const preview = () => api.as('editor').post('/v1/segments/preview', { rule, limit: 0 });
    expect((await preview()).statusCode).toBe(200);
    expect((await preview()).statusCode).toBe(200);
    const refused = await preview();
    expect([refused.statusCode, refused.json().code]).toEqual([429, 'RATE_LIMITED']);
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    // The same token spelled otherwise is still the same token.
    const respelled = await api.app.inject({
      method: 'POST',
      url: '/v1/segments/preview',
      headers: {
        authorization: `bearer   ${api.tokens.editor}`,
        'content-type': 'application/json',
      },
      payload: { rule, limit: 0 },
    });
    expect(respelled.statusCode).toBe(429);
    // Per token: another token still gets its previews.
    expect(
      (await api.as('admin').post('/v1/segments/preview', { rule, limit: 0 })).statusCode,
    ).toBe(200);
  });

  it('limit exports to API_EXPORT_PER_MINUTE', async () => {
    const created = await api.as('editor').post('/v1/segments', { name: 'de', rule });
    const url = `/v1/segments/${created.json().id}/export.csv`;
    expect((await api.as('editor').get(url)).statusCode).not.toBe(429);
    const refused = await api.as('editor').get(url);
    expect([refused.statusCode, refused.json().code]).toEqual([429, 'RATE_LIMITED']);
  });
});

describe('/docs', () => {
  it('serves the OpenAPI description of the routes', async () => {
    const res = await api.as('none').get('/docs/json');
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    for (const path of ['/v1/segments', '/v1/segments/preview', '/v1/events', '/v1/lists']) {
      expect(Object.keys(doc.paths)).toContain(path);
    }
  });

  it('serves the browsable page', async () => {
    const res = await api.as('none').get('/docs/');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });
});

describe('/metrics', () => {
  it('counts ingested items by outcome and reports the queue depth', async () => {
    const events = [
      { event_id: 'm1', player_id: 'p1', type: 'deposit', event_time: '2026-12-01T10:00:00Z' },
      { event_id: 'm2', player_id: '', type: 'deposit', event_time: '2026-12-01T10:00:00Z' },
    ];
    expect((await api.as('ingest').post('/v1/events', events)).statusCode).toBe(202);
    const res = await api.as('none').get('/metrics');
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toMatch(/segstream_ingest_items_total\{kind="events",outcome="accepted"\} 1/);
    expect(text).toMatch(/segstream_ingest_items_total\{kind="events",outcome="rejected"\} 1/);
    // Nothing stores the queue in this test: the accepted event waits there.
    expect(text).toMatch(/segstream_ingest_queue_depth\{kind="events"\} 1/);
    expect(text).toMatch(/segstream_live_clients 0/);
    expect(text).toMatch(/segstream_preview_seconds_count \d+/);
    expect(text).toMatch(/segstream_http_request_seconds_count\{route="\/v1\/events"/);
    // The process metrics once, under the one prefix (not segstream_process_process_…).
    expect(text).toMatch(/^segstream_process_cpu_user_seconds_total \d/m);
    expect(text).not.toContain('process_process');
  });
});
