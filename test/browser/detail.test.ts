// The segment detail screen in real Chromium against the real API, ClickHouse, Redis and engine:
// reached from a card's name (the card shows its last hour's trend), the size history chart,
// the recent entries and exits and the versions as the API lists them, and the explanation of
// a member and of a non-member with the right verdict, condition by condition.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPlayers } from '../../engine/store/players.ts';
import { dateTime } from '../../ui/src/lib/format.ts';
import { liveUi, type LiveUi } from './live-fixture.ts';

const rule = {
  include: {
    all: [
      { field: 'country', op: 'eq', value: 'DE' },
      { field: 'vip_level', op: 'gte', value: 3 },
    ],
  },
};

let ui: LiveUi;
beforeAll(async () => {
  ui = await liveUi('browser_detail', async (f, step) => {
    const store = f.api.db.store;
    await insertPlayers(store, [
      { player_id: 'p1', version: 1, country: 'DE', vip_level: 5 },
      { player_id: 'p2', version: 1, country: 'DE', vip_level: 1 },
      { player_id: 'p3', version: 1, country: 'AT', vip_level: 9 },
    ]);
    await f.segment('vip_de', rule);
    await step();
    await insertPlayers(store, [{ player_id: 'p2', version: 2, country: 'DE', vip_level: 4 }]);
    await step();
    const renamed = await f.api.as('editor').patch('/v1/segments/vip_de', { name: 'VIP Germany' });
    expect(renamed.statusCode, renamed.body).toBe(200);
    await step();
  });
}, 120_000);
afterAll(() => ui?.close());

const read = async (path: string) => (await ui.f.api.as('viewer').get(path)).json();
const section = (title: string) =>
  ui.browser.page
    .locator('section')
    .filter({ has: ui.browser.page.getByRole('heading', { name: title }) });

describe('segment detail (Chromium)', () => {
  it('shows a trend of the last hour on the card, and opens the detail from its name', async () => {
    const { page } = ui.browser;
    await ui.signIn('editor');
    const card = page.locator('article[data-segment="vip_de"]');
    await expect.poll(() => card.getByTestId('trend').locator('canvas').count()).toBeGreaterThan(0);
    await expect(
      card.getByTestId('trend').getByRole('img').getAttribute('aria-label'),
    ).resolves.toMatch(/^VIP Germany: members over the last hour/);
    await card.getByRole('link', { name: 'VIP Germany' }).click();
    await expect.poll(() => page.url()).toMatch(/#\/segments\/vip_de$/);
    await expect.poll(() => page.getByTestId('detail-count').textContent()).toMatch(/^2\b/);
    expect((await read('/v1/segments/vip_de')).status.count).toBe(2);
  });

  it('charts the size history', async () => {
    const chart = section('Size over time').getByRole('img');
    await expect.poll(() => chart.locator('canvas').count()).toBeGreaterThan(0);
    expect(await chart.getAttribute('aria-label')).toContain('Last hour, per minute');
    await section('Size over time')
      .getByLabel('Range')
      .selectOption({ label: 'Last 7 days, per hour' });
    await expect.poll(() => chart.getAttribute('aria-label')).toContain('Last 7 days, per hour');
    await expect.poll(() => chart.locator('canvas').count()).toBeGreaterThan(0);
    // The days before the segment existed are not drawn as a flat 0, and the chart says so.
    const { versions } = await read('/v1/segments/vip_de/versions');
    const created = dateTime(Date.parse(versions[0].created_at));
    await expect
      .poll(() => section('Size over time').getByTestId('chart-start').textContent())
      .toContain(`Not computed yet before the segment was created, ${created}: left empty.`);
  });

  it('shows times in tables as on chart axes: 2026-12-04 07:29:55, 24-hour', async () => {
    const rows = section('Versions').locator('tbody tr');
    await expect.poll(() => rows.count()).toBeGreaterThan(0);
    const { versions } = await read('/v1/segments/vip_de/versions');
    const newest = versions.at(-1);
    await expect(rows.nth(0).textContent()).resolves.toContain(
      dateTime(Date.parse(newest.created_at)),
    );
    expect(await rows.nth(0).textContent()).toMatch(/\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
  });

  it('lists the recent entries and exits as the API does', async () => {
    const { transitions } = await read('/v1/segments/vip_de/transitions?limit=50');
    expect(transitions.map((t: { player_id: string }) => t.player_id)).toEqual(['p2', 'p1']);
    const rows = section('Recent entries and exits').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(transitions.length);
    await expect(rows.nth(0).textContent()).resolves.toMatch(/p2.*entered/);
    await expect(rows.nth(1).textContent()).resolves.toMatch(/p1.*entered/);
  });

  it('lists every version, newest first', async () => {
    const { versions } = await read('/v1/segments/vip_de/versions');
    expect(versions).toHaveLength(2);
    const rows = section('Versions').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    await expect(rows.nth(0).textContent()).resolves.toMatch(/^2.*VIP Germany.*active$/);
    await expect(rows.nth(1).textContent()).resolves.toMatch(/^1.*vip_de.*active$/);
  });

  it.each<[string, string, string[]]>([
    ['p1', 'p1 is in this segment', ['matched', 'matched', 'matched']],
    ['p3', 'p3 is not in this segment', ['not matched', 'not matched', 'matched']],
    ['nobody', 'nobody is not in this segment (no profile stored)', ['not matched']],
  ])('explains %s: %s, condition by condition', async (player, verdict, marks) => {
    const { page } = ui.browser;
    const panel = section('Why is a player (not) in this segment?');
    await panel.getByLabel('Player id').fill(player);
    await panel.getByRole('button', { name: 'Explain' }).press('Enter');
    await expect.poll(() => panel.getByTestId('verdict').innerText()).toContain(verdict);
    const shown = await panel
      .locator('.tree .mark')
      .evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(shown.slice(0, marks.length)).toEqual(marks);
    const api = (await ui.f.api.as('editor').get(`/v1/segments/vip_de/explain/${player}`)).json();
    expect(verdict.includes('is in')).toBe(api.matched);
    if (player === 'p3') {
      await expect(panel.textContent()).resolves.toContain("player's value: AT");
      await expect(panel.textContent()).resolves.toContain('VIP level ≥ 3');
      await page.evaluate('window.scrollTo(0, 0)');
      await ui.browser.screenshot('segment-detail');
    }
  });

  it('fits a laptop screen without sideways scrolling', async () => {
    const { page } = ui.browser;
    await page.setViewportSize({ width: 1024, height: 700 });
    await expect
      .poll(() => page.evaluate('document.documentElement.scrollWidth'))
      .toBeLessThanOrEqual(1024);
    await ui.browser.screenshot('segment-detail-laptop');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('logged no console errors', () => {
    expect(ui.browser.errors).toEqual([]);
  });
});
