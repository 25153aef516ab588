// The segments home in real Chromium against the real API, ClickHouse, Redis and engine: sign in
// with a token, see each card's live count equal the API's, see a count change without reload
// when the engine applies new data, deactivate a segment with the card's toggle, switch to the
// table view and find it remembered after a reload. Screenshots go to test-results/screens/.
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPlayers } from '../../engine/store/players.ts';
import { memberFixture, type MemberFixture } from '../../api/members/test-support.ts';
import { buildUi, openBrowser, type Browser } from './browser.ts';
import { apiTrend } from './trend-support.ts';
import { recordUrls, urlsWithToken } from './urls.ts';

const country = (value: string) => ({ include: { all: [{ field: 'country', op: 'eq', value }] } });

let f: MemberFixture;
let browser: Browser;
let url: string;
let uiDir: string;
/** Every URL the page asked for. */
let urls: string[];

beforeAll(async () => {
  uiDir = await buildUi();
  f = await memberFixture('browser_home', { uiDir });
  await insertPlayers(f.api.db.store, [
    { player_id: 'p1', version: 1, country: 'DE' },
    { player_id: 'p2', version: 1, country: 'DE' },
    { player_id: 'p3', version: 1, country: 'DE' },
    { player_id: 'p4', version: 1, country: 'AT' },
  ]);
  await f.segment('de', country('DE'));
  await f.segment('at', country('AT'));
  await f.engine.step();
  await f.api.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(f.api.app.server.address() as AddressInfo).port}`;
  browser = await openBrowser();
  urls = recordUrls(browser.page);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await f?.close();
  fs.rmSync(uiDir, { recursive: true, force: true });
});

const card = (id: string) => browser.page.locator(`article[data-segment="${id}"]`);
const apiCount = async (id: string) =>
  (await f.api.as('viewer').get(`/v1/segments/${id}`)).json().status.count;

describe('segments home (Chromium)', () => {
  it('signs in with a token and shows each card with the live count of the API', async () => {
    const { page } = browser;
    await page.goto(url);
    await page.getByLabel('Access token').fill(f.api.tokens.editor);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => card('de').getByTestId('count').textContent()).toBe('3');
    expect(await card('de').getByTestId('count').textContent()).toBe(String(await apiCount('de')));
    expect(await card('at').getByTestId('count').textContent()).toBe(String(await apiCount('at')));
    await expect.poll(() => page.getByRole('status').first().textContent()).toBe('Live');
    await expect(card('de').textContent()).resolves.toContain('Country is DE');
    // Computed a moment ago: its first members are its size, not growth over the hour.
    const trend = () => card('de').getByTestId('trend').locator('.change').textContent();
    await expect.poll(trend).toBe('new this hour');
    await browser.screenshot('home-cards');
  });

  it('changes a count without reload when the engine applies new data', async () => {
    await insertPlayers(f.api.db.store, [{ player_id: 'p5', version: 1, country: 'DE' }]);
    await f.engine.step();
    await expect.poll(() => card('de').getByTestId('count').textContent()).toBe('4');
    expect(await apiCount('de')).toBe(4);
    const trend = () => card('de').getByTestId('trend').locator('.change').textContent();
    // Grown since its first size (or, in the minute of the computation, not told apart yet).
    await expect.poll(trend).toMatch(/^new this hour(, \+1 since \d\d:\d\d)?$/);
    expect(await trend()).toBe(await apiTrend(f.api, 'de'));
  });

  it('deactivates a segment with the toggle in its card', async () => {
    await card('at').getByRole('switch').click();
    await expect
      .poll(async () => (await f.api.as('viewer').get('/v1/segments/at')).json().active)
      .toBe(false);
    await expect.poll(() => card('at').textContent()).toContain('Inactive');
    const active = (await f.api.as('viewer').get('/v1/segments?active=true')).json().segments;
    expect(active.map((s: { id: string }) => s.id)).toEqual(['de']);
  });

  it('switches to the table view and remembers it across a reload', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Table' }).click();
    await page.reload();
    const row = page.locator('tr[data-segment="de"]');
    await expect.poll(() => row.getByTestId('count').textContent()).toBe('4');
    await browser.screenshot('home-table');
  });

  it('finds segments by search', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Cards' }).click();
    await page.getByPlaceholder('Search name, tag or rule').fill('AT');
    await expect.poll(() => page.locator('article').count()).toBe(1);
    await expect(card('at').isVisible()).resolves.toBe(true);
  });

  it('logged no console errors', () => {
    expect(browser.errors).toEqual([]);
  });

  it('opened the live socket with a single-use ticket and never put the token in a URL', () => {
    const sockets = urls.filter((u) => new URL(u).pathname === '/v1/live');
    expect(sockets.length).toBeGreaterThan(0);
    for (const socket of sockets) {
      expect(new URL(socket).searchParams.get('ticket')).toMatch(/^[\w-]{43}$/);
    }
    expect(urlsWithToken(urls, Object.values(f.api.tokens))).toEqual([]);
  });
});
