// The live ops screen in real Chromium against the real API, ClickHouse, Redis and engine: each
// active segment's live count equals the API's, new data changes the count and the movers of
// the minute without reload, ingest rate and freshness follow GET /v1/stats, a segment
// deactivated through the API leaves the screen live, and the connection state is shown.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPlayers } from '../../engine/store/players.ts';
import { liveUi, type LiveUi } from './live-fixture.ts';
import { apiTrend } from './trend-support.ts';

const country = (value: string) => ({ include: { all: [{ field: 'country', op: 'eq', value }] } });
const SLOW = { timeout: 15_000 };

let ui: LiveUi;
beforeAll(async () => {
  ui = await liveUi('browser_liveops', async (f, step) => {
    await insertPlayers(f.api.db.store, [
      { player_id: 'p1', version: 1, country: 'DE' },
      { player_id: 'p2', version: 1, country: 'DE' },
      { player_id: 'p3', version: 1, country: 'AT' },
    ]);
    await f.segment('de', country('DE'));
    await f.segment('at', country('AT'));
    await step();
  });
}, 120_000);
afterAll(() => ui?.close());

const panel = (id: string) => ui.browser.page.locator(`article[data-segment="${id}"]`);
const liveCount = (id: string) => panel(id).getByTestId('live-count').textContent();
const apiCount = async (id: string) =>
  (await ui.f.api.as('viewer').get(`/v1/segments/${id}`)).json().status.count;
const apiStats = async () => (await ui.f.api.as('viewer').get('/v1/stats')).json();
/** `+entered −exited` of segment `id` in the minute starting `minute` (epoch ms), per the API. */
const apiMovers = async (id: string, minute: number) => {
  const since = encodeURIComponent(new Date(minute).toISOString());
  const url = `/v1/segments/${id}/transitions?since=${since}&limit=1000`;
  const all: { at: string; kind: string }[] = (await ui.f.api.as('viewer').get(url)).json()
    .transitions;
  const inMinute = all.filter((t) => Date.parse(t.at) < minute + 60_000);
  const count = (kind: string) => inMinute.filter((t) => t.kind === kind).length;
  return `+${count('entered')} −${count('exited')}`;
};
/** 'same' when the panel's movers of this minute and the one before are the API's, else both. */
const moversAsApi = async (id: string) => {
  const minute = Math.floor(Date.now() / 60_000) * 60_000;
  const text = async (testId: string) =>
    (await panel(id).getByTestId(testId).textContent())?.replace(/\s+/g, ' ').trim();
  const shown = `${await text('this-minute')} / ${await text('minute-before')}`;
  const api = `${await apiMovers(id, minute)} / ${await apiMovers(id, minute - 60_000)}`;
  return shown === api ? 'same' : `${shown} vs ${api}`;
};

describe('live ops (Chromium)', () => {
  it('is reached from the home header and shows each active segment with the API count', async () => {
    const { page } = ui.browser;
    await ui.signIn('viewer');
    await page.getByRole('link', { name: 'Live ops' }).click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Live ops');
    await expect.poll(() => liveCount('de')).toBe(String(await apiCount('de')));
    expect(await liveCount('at')).toBe(String(await apiCount('at')));
    expect(await liveCount('de')).toBe('2');
  });

  it('shows the connection state of the live socket', async () => {
    await expect.poll(() => ui.browser.page.getByTestId('connection').textContent()).toBe('Live');
  });

  it('charts each segment and the ingest per minute', async () => {
    await expect.poll(() => panel('de').locator('[role="img"] canvas').count()).toBeGreaterThan(0);
    const label = await panel('de').getByRole('img').getAttribute('aria-label');
    expect(label).toContain('members and movers per minute');
    const ingest = ui.browser.page.getByRole('img', {
      name: 'Rows stored per minute over the last 15 minutes',
    });
    await expect.poll(() => ingest.locator('canvas').count()).toBeGreaterThan(0);
  });

  it('changes a count and the minute movers without reload when new data is evaluated', async () => {
    await insertPlayers(ui.f.api.db.store, [
      { player_id: 'p4', version: 1, country: 'DE' },
      { player_id: 'p5', version: 1, country: 'DE' },
    ]);
    await ui.step();
    await expect.poll(() => liveCount('de')).toBe('4');
    expect(await apiCount('de')).toBe(4);
    await expect
      .poll(() => panel('de').getByTestId('this-minute').textContent())
      .toMatch(/\+[2-9]/);
  });

  const bothAsApi = async () => `${await moversAsApi('de')}, ${await moversAsApi('at')}`;
  it('counts the movers of this minute and the one before as the API does, also those before opening', async () => {
    // The segments were computed before the screen opened, p4 and p5 entered after.
    await expect.poll(bothAsApi, SLOW).toBe('same, same');
    // A new tab opened now must count them too, not only what it sees live.
    const { page } = ui.browser;
    await page.reload();
    await expect.poll(() => liveCount('de')).toBe('4');
    await expect.poll(bothAsApi, SLOW).toBe('same, same');
  });

  it('shows ingest rate and freshness as GET /v1/stats answers', async () => {
    const { page } = ui.browser;
    const shown = async () => {
      const stats = await apiStats();
      const { events, players } = stats.ingest.last_minute;
      const text = await page.getByTestId('ingest-last-minute').textContent();
      return text?.replace(/\s+/g, ' ').trim() === `${events} events, ${players} profile updates`;
    };
    await expect.poll(shown, SLOW).toBe(true);
    expect((await apiStats()).ingest.last_minute.players).toBeGreaterThanOrEqual(5);
    await expect.poll(() => page.getByTestId('behind').textContent(), SLOW).toBe('0 s');
    await expect
      .poll(() => page.getByTestId('freshness').textContent(), SLOW)
      .toContain('Up to date');
    await ui.browser.screenshot('live-ops');
  });

  it('fits a laptop screen without sideways scrolling', async () => {
    const { page } = ui.browser;
    await page.setViewportSize({ width: 1024, height: 700 });
    await expect
      .poll(() => page.evaluate('document.documentElement.scrollWidth'))
      .toBeLessThanOrEqual(1024);
    await ui.browser.screenshot('live-ops-laptop');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('drops a segment deactivated through the API, without reload', async () => {
    const patched = await ui.f.api.as('editor').patch('/v1/segments/at', { active: false });
    expect(patched.statusCode, patched.body).toBe(200);
    await ui.step();
    await expect.poll(() => panel('at').count(), SLOW).toBe(0);
    expect(await panel('de').count()).toBe(1);
  });

  it('catches up after the connection is lost', async () => {
    const { page } = ui.browser;
    // The server closes every socket (as when an API process restarts); the page reconnects.
    for (const socket of ui.f.api.app.websocketServer.clients) socket.terminate();
    await insertPlayers(ui.f.api.db.store, [{ player_id: 'p6', version: 1, country: 'DE' }]);
    await ui.step();
    await expect.poll(() => page.getByTestId('connection').textContent(), SLOW).toBe('Live');
    await expect.poll(() => liveCount('de'), SLOW).toBe('5');
    expect(await apiCount('de')).toBe(5);
  });

  it("keeps a card's trend on the home screen up to date with the live count", async () => {
    const { page } = ui.browser;
    await page.getByRole('link', { name: '← Segments' }).click();
    const trend = page.locator('article[data-segment="de"]').getByTestId('trend');
    const text = () => trend.locator('.change').textContent();
    const asApi = async () =>
      (await text()) === (await apiTrend(ui.f.api, 'de')) ? 'same' : await text();
    // Computed in this test: "new this hour", counting from its first size once it is told apart.
    await expect.poll(text).toMatch(/^new this hour/);
    await expect.poll(asApi).toBe('same');
    await insertPlayers(ui.f.api.db.store, [{ player_id: 'p7', version: 1, country: 'DE' }]);
    await ui.step();
    const count = page.locator('article[data-segment="de"]').getByTestId('count');
    await expect.poll(() => count.textContent(), SLOW).toBe('6');
    await expect.poll(asApi, SLOW).toBe('same');
  });

  it('tells a viewer that explaining a player needs an editor token', async () => {
    const { page } = ui.browser;
    await page.goto(`${ui.url}/#/segments/de`);
    await page.getByLabel('Player id').fill('p1');
    await page.getByRole('button', { name: 'Explain' }).click();
    await expect
      .poll(() => page.getByRole('alert').textContent())
      .toBe('Explaining needs an editor token.');
  });

  it('logged no console errors but the refused explain request', () => {
    // Chromium logs every 4xx answer as a failed resource load; the 403 above is the expected one.
    const refused = /status of 403/;
    expect(ui.browser.errors.filter((e) => refused.test(e))).toHaveLength(1);
    expect(ui.browser.errors.filter((e) => !refused.test(e))).toEqual([]);
  });
});
