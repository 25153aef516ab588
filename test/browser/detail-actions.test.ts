// The Actions panel of the segment detail in real Chromium against the real API, ClickHouse,
// Redis and engine: an action created through the API is listed with the counts recorded at its
// creation; Add Action there lists the new action at once; Delete, confirmed, removes it from the
// panel and from GET /v1/actions; a viewer's refused delete and add are explained; a deactivated
// segment offers no Add Action; after Add Action on the home, the dialog links to the segment's
// page.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPlayers } from '../../engine/store/players.ts';
import { dateTime } from '../../ui/src/lib/format.ts';
import { liveUi, type LiveUi } from './live-fixture.ts';

const country = (value: string) => ({ include: { all: [{ field: 'country', op: 'eq', value }] } });
const weekly = {
  ...{ type: 'scheduled', channel: 'sms', name: 'Weekly VIP SMS' },
  schedule: { every: 'week', at: '09:30' },
};

let ui: LiveUi;
let seeded: { id: string; member_count: number; suppressed_count: number; created_at: string };
beforeAll(async () => {
  ui = await liveUi('browser_detail_actions', async (f, step) => {
    await insertPlayers(f.api.db.store, [
      { player_id: 'p1', version: 1, country: 'DE' },
      { player_id: 'p2', version: 1, country: 'DE' },
      { player_id: 'p3', version: 1, country: 'AT' },
    ]);
    await f.segment('de', country('DE'));
    await f.segment('off', country('AT'));
    const off = await f.api.as('editor').patch('/v1/segments/off', { active: false });
    expect(off.statusCode, off.body).toBe(200);
    await step();
    const created = await f.api.as('editor').post('/v1/segments/de/actions', weekly);
    expect(created.statusCode, created.body).toBe(201);
    seeded = created.json();
  });
}, 120_000);
afterAll(() => ui?.close());

const listed = async () => (await ui.f.api.as('viewer').get('/v1/actions')).json().actions;
const panel = () =>
  ui.browser.page
    .locator('section')
    .filter({ has: ui.browser.page.getByRole('heading', { name: 'Actions' }) });
const row = (name: string) => panel().locator('tbody tr').filter({ hasText: name });
const dialog = () => ui.browser.page.getByRole('dialog');
const open = async (id: string) => {
  await ui.browser.page.goto(`${ui.url}#/segments/${id}`);
  await panel().waitFor();
};

describe('segment actions panel (Chromium)', () => {
  it('lists an action created through the API with its counts, time and author', async () => {
    await ui.signIn('viewer');
    await open('de');
    expect(seeded.member_count).toBe(2);
    const text = () => row('Weekly VIP SMS').innerText();
    await expect.poll(text).toContain('Scheduled recurring');
    const cells = await row('Weekly VIP SMS').locator('td').allInnerTexts();
    expect(cells.slice(0, 6)).toEqual([
      'Weekly VIP SMS',
      'Scheduled recurring',
      'SMS',
      "every week at 09:30 (segment's timezone)",
      String(seeded.member_count),
      String(seeded.suppressed_count),
    ]);
    expect(cells[6]).toContain(dateTime(Date.parse(seeded.created_at)));
    expect(cells[6]).toContain('by test editor');
  });

  it("explains a viewer's refused delete, and the action stays", async () => {
    await row('Weekly VIP SMS').getByRole('button', { name: 'Delete Weekly VIP SMS' }).click();
    await panel().getByRole('button', { name: 'Yes, delete' }).click();
    await expect
      .poll(() => panel().getByRole('alert').textContent())
      .toContain('Only editors can delete actions: your access is read-only.');
    expect(await row('Weekly VIP SMS').count()).toBe(1);
    expect((await listed()).map((a: { id: string }) => a.id)).toEqual([seeded.id]);
  });

  it("explains a viewer's refused Add Action, and nothing is listed", async () => {
    await panel().getByRole('button', { name: 'Add Action' }).click();
    await dialog().getByRole('button', { name: 'Create action' }).click();
    await expect
      .poll(() => dialog().getByRole('alert').textContent())
      .toBe('Only editors can add actions: your access is read-only.');
    await dialog().getByRole('button', { name: 'Cancel' }).click();
    await expect.poll(() => dialog().count()).toBe(0);
    expect(await panel().locator('tbody tr').count()).toBe(1);
    expect(await listed()).toHaveLength(1);
  });

  it('adds an action from the detail screen, by keyboard, and lists it without reload', async () => {
    const { page } = ui.browser;
    await page.evaluate('localStorage.clear()');
    await ui.signIn('editor');
    await open('de');
    await row('Weekly VIP SMS').waitFor();
    await panel().getByRole('button', { name: 'Add Action' }).focus();
    await page.keyboard.press('Enter');
    await dialog().getByLabel('Push').check();
    await dialog().getByLabel('Name (optional)').fill('Welcome push');
    await dialog().getByRole('button', { name: 'Create action' }).press('Enter');
    await expect
      .poll(() => dialog().getByTestId('action-created').textContent())
      .toContain('listed under Actions below');
    await dialog().getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => row('Welcome push').innerText()).toContain('on entering');
    expect(await panel().locator('tbody tr').count()).toBe(2);
    const added = (await listed()).find((a: { name: string }) => a.name === 'Welcome push');
    expect(added).toMatchObject({
      segment_id: 'de',
      type: 'triggered',
      channel: 'push',
      trigger: 'entered',
    });
    await panel().scrollIntoViewIfNeeded();
    await ui.browser.screenshot('segment-actions');
  });

  it.each<[string, string, number]>([
    ['Keep leaves the action', 'Keep', 2],
    ['Yes, delete removes it, here and in GET /v1/actions', 'Yes, delete', 1],
  ])('deleting: %s', async (_name, answer, left) => {
    await row('Welcome push').getByRole('button', { name: 'Delete Welcome push' }).click();
    const confirm = panel().getByRole('group', { name: 'Confirm deleting Welcome push' });
    await confirm.getByRole('button', { name: answer }).click();
    await expect.poll(() => panel().locator('tbody tr').count()).toBe(left);
    const names = (await listed()).map((a: { name: string }) => a.name);
    expect(names.includes('Welcome push')).toBe(left === 2);
    expect(names).toHaveLength(left);
  });

  it('offers no Add Action on a deactivated segment', async () => {
    await open('off');
    await expect.poll(() => panel().textContent()).toContain('Deactivated: activate the segment');
    expect(await panel().getByRole('button', { name: 'Add Action' }).count()).toBe(0);
    await expect.poll(() => panel().textContent()).toContain('No actions yet.');
  });

  it("links from Add Action on the home to the segment's page, where the action is listed", async () => {
    const { page } = ui.browser;
    await page.goto(`${ui.url}#/`);
    const card = page.locator('article[data-segment="de"]');
    await card.getByLabel('Actions for de').click();
    await card.getByRole('button', { name: 'Add Action' }).click();
    await dialog().getByLabel('Single send').check();
    await dialog().getByLabel('Name (optional)').fill('One-off email');
    await dialog().getByRole('button', { name: 'Create action' }).click();
    await dialog().getByRole('link', { name: "See it on the segment's page" }).click();
    await expect.poll(() => page.url()).toMatch(/#\/segments\/de$/);
    await expect
      .poll(() => row('One-off email').innerText())
      .toContain('once, as soon as possible');
    expect(await dialog().count()).toBe(0);
  });

  it("logged no console errors but the viewer's refused requests", () => {
    const unexpected = ui.browser.errors.filter((e) => !/status of 403/.test(e));
    expect(unexpected.join('\n')).toBe('');
  });
});
