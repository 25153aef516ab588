// Add Action and the home filters in real Chromium against the real API, ClickHouse, Redis and
// engine: from an active card's menu, choose a scheduled SMS, see the member and suppressed counts
// the API gives, confirm, and find the action in GET /v1/actions; an API refusal is shown in
// words; a deactivated segment offers no Add Action; the tag and retention-list filters show the
// segments the API lists for them.
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPlayers } from '../../engine/store/players.ts';
import { memberFixture, type MemberFixture } from '../../api/members/test-support.ts';
import { buildUi, openBrowser, type Browser } from './browser.ts';

const country = (value: string) => ({ include: { all: [{ field: 'country', op: 'eq', value }] } });

let f: MemberFixture;
let browser: Browser;
let uiDir: string;

beforeAll(async () => {
  uiDir = await buildUi();
  f = await memberFixture('browser_actions', { uiDir });
  await insertPlayers(f.api.db.store, [
    { player_id: 'p1', version: 1, country: 'DE' },
    { player_id: 'p2', version: 1, country: 'DE' },
    { player_id: 'p3', version: 1, country: 'AT' },
    { player_id: 'p4', version: 1, country: 'FR' },
  ]);
  for (const [id, value] of [
    ['de', 'DE'],
    ['at', 'AT'],
    ['fr', 'FR'],
  ] as const) {
    await f.segment(id, country(value));
  }
  const churn = await f.api.as('admin').post('/v1/retention-lists', { name: 'Churn' });
  const edits = {
    de: { tags: ['vip'], retention_lists: [churn.json().id] },
    at: { tags: ['vip'], active: false },
    fr: { tags: ['dach'] },
  };
  for (const [id, patch] of Object.entries(edits)) {
    const res = await f.api.as('editor').patch(`/v1/segments/${id}`, patch);
    expect(res.statusCode, res.body).toBe(200);
  }
  await f.engine.step();
  await f.api.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(f.api.app.server.address() as AddressInfo).port}`;
  browser = await openBrowser();
  const { page } = browser;
  await page.goto(url);
  await page.getByLabel('Access token').fill(f.api.tokens.editor);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('article[data-segment="de"]').waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await f?.close();
  fs.rmSync(uiDir, { recursive: true, force: true });
});

const card = (id: string) => browser.page.locator(`article[data-segment="${id}"]`);
const dialog = () => browser.page.getByRole('dialog');
const shownIds = () =>
  browser.page
    .locator('article[data-segment]')
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-segment')));

async function openAddAction(id: string) {
  await card(id).getByLabel(`Actions for ${id}`).click();
  await card(id).getByRole('button', { name: 'Add Action' }).click();
  await dialog().waitFor();
}

describe('Add Action (Chromium)', () => {
  it('shows the counts the API gives, creates the action and lists it in GET /v1/actions', async () => {
    await openAddAction('de');
    const status = (await f.api.as('editor').get('/v1/segments/de')).json().status;
    expect(status.count).toBe(2);
    const shown = (n: number | null) => (n === null ? '–' : String(n));
    const text = (id: string) => dialog().getByTestId(id).textContent();
    await expect.poll(() => text('action-members')).toBe(shown(status.count));
    await expect.poll(() => text('action-suppressed')).toBe(shown(status.suppressed_count));
    await dialog().getByLabel('Scheduled recurring').check();
    await dialog().getByLabel('SMS').check();
    await dialog().getByLabel('Every').selectOption('week');
    await dialog().getByLabel(/^At/).fill('09:30');
    await browser.screenshot('add-action');
    await dialog().getByRole('button', { name: 'Create action' }).click();
    await dialog().getByTestId('action-created').waitFor();

    const { actions } = (await f.api.as('viewer').get('/v1/actions')).json();
    expect(actions).toHaveLength(1);
    expect(actions[0]).toMatchObject({
      ...{ segment_id: 'de', type: 'scheduled', channel: 'sms' },
      schedule: { every: 'week', at: '09:30' },
      member_count: status.count,
    });
    expect(await text('action-created')).toContain(`${status.count} members`);
    await dialog().getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => dialog().count()).toBe(0);
  });

  it('shows an API refusal in words, naming the setting', async () => {
    await openAddAction('de');
    await dialog().getByLabel('Single send').check();
    await dialog().getByLabel('Web API').check();
    await dialog().getByLabel('Address the members are posted to').fill('ftp://crm.example/hook');
    await dialog().getByRole('button', { name: 'Create action' }).click();
    const alert = dialog().getByRole('alert');
    await expect.poll(() => alert.textContent()).toContain('url');
    const { actions } = (await f.api.as('viewer').get('/v1/actions')).json();
    expect(actions).toHaveLength(1);
    await dialog().getByRole('button', { name: 'Cancel' }).click();
  });

  it('offers no Add Action for a deactivated segment', async () => {
    await card('at').getByLabel('Actions for at').click();
    await card('at').getByRole('link', { name: 'Edit' }).waitFor();
    expect(await card('at').getByRole('button', { name: 'Add Action' }).count()).toBe(0);
    await card('at').getByLabel('Actions for at').click();
  });

  it('offers Add Action in the table view on the active segments only', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Table' }).click();
    const buttons = page.getByRole('button', { name: /^Add Action: / });
    await expect.poll(() => buttons.allTextContents()).toHaveLength(2);
    const names = await buttons.evaluateAll((els) => els.map((e) => e.getAttribute('aria-label')));
    expect(names).toEqual(['Add Action: de', 'Add Action: fr']);
    await page.getByRole('button', { name: 'Cards' }).click();
  });
});

describe('home filters (Chromium)', () => {
  it.each<[string, string, string, string[]]>([
    ['a tag', 'Filter by tag', 'vip', ['at', 'de']],
    ['another tag', 'Filter by tag', 'dach', ['fr']],
    ['a retention list', 'Filter by retention list', 'Churn', ['de']],
  ])('by %s shows what the API lists for it', async (_name, label, option, ids) => {
    const { page } = browser;
    await page.getByLabel(label, { exact: true }).selectOption({ label: option });
    await expect.poll(shownIds).toEqual(ids);
    await page.getByLabel(label, { exact: true }).selectOption({ label: 'any' });
    await expect.poll(shownIds).toEqual(['at', 'de', 'fr']);
  });

  it('binds a segment to a retention list in its form, and the filter then finds it', async () => {
    const { page } = browser;
    await card('fr').getByLabel('Actions for fr').click();
    await card('fr').getByRole('link', { name: 'Edit' }).click();
    await page.getByRole('group', { name: 'Retention lists' }).getByLabel('Churn').check();
    await page.getByRole('button', { name: 'Save' }).click();
    await card('fr').waitFor();
    const saved = (await f.api.as('editor').get('/v1/segments/fr')).json();
    expect(saved.retention_lists).toHaveLength(1);
    await page.getByLabel('Filter by retention list').selectOption({ label: 'Churn' });
    await expect.poll(shownIds).toEqual(['de', 'fr']);
    await page.getByLabel('Filter by retention list').selectOption({ label: 'any' });
  });

  it('logged no console errors but the refused action', () => {
    const unexpected = browser.errors.filter((e) => !/status of 400/.test(e));
    expect(unexpected.join('\n')).toBe('');
  });
});
