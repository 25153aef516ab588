// The rule builder in real Chromium against the real API, ClickHouse, Redis and engine: build a
// segment from a Players rule and an event rule, see the preview count equal the API's preview
// of the same rule, see an error next to the offending rule, Execute to list the players, Save,
// and find the new card with the count the engine computed.
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertEvents } from '../../engine/store/events.ts';
import { insertPlayers } from '../../engine/store/players.ts';
import { memberFixture, type MemberFixture } from '../../api/members/test-support.ts';
import { buildUi, openBrowser, type Browser } from './browser.ts';

let f: MemberFixture;
let browser: Browser;
let url: string;
let uiDir: string;

beforeAll(async () => {
  uiDir = await buildUi();
  f = await memberFixture('browser_builder', { uiDir });
  const now = Date.now();
  await insertPlayers(f.api.db.store, [
    { player_id: 'p1', version: 1, country: 'DE' },
    { player_id: 'p2', version: 1, country: 'AT' },
    { player_id: 'p3', version: 1, country: 'DE' },
    { player_id: 'p4', version: 1, country: 'FR' },
  ]);
  const deposit = (id: string, player: string) => ({
    ...{ event_id: id, player_id: player, type: 'deposit', amount: '10.00' },
    event_time: now - 3_600_000,
  });
  await insertEvents(f.api.db.store, [
    deposit('d1', 'p1'),
    deposit('d2', 'p2'),
    deposit('d3', 'p4'),
  ]);
  await f.api.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(f.api.app.server.address() as AddressInfo).port}`;
  browser = await openBrowser();
  const { page } = browser;
  await page.goto(url);
  await page.getByLabel('Access token').fill(f.api.tokens.editor);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Create Segment' }).waitFor();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await f?.close();
  fs.rmSync(uiDir, { recursive: true, force: true });
});

const rows = () => browser.page.getByTestId('rule-row');
const count = () => browser.page.getByTestId('preview-count').textContent();
const apiPreview = async (rule: unknown) =>
  (await f.api.as('editor').post('/v1/segments/preview', { rule, limit: 0 })).json().count;

describe('rule builder (Chromium)', () => {
  it('previews a Players rule by itself, equal to the API', async () => {
    const { page } = browser;
    await page.getByRole('link', { name: 'Create Segment' }).click();
    await page.getByLabel('Name').fill('DACH depositors');
    const first = rows().nth(0);
    await first.getByLabel('Field').selectOption('country');
    await first.getByLabel('Operator').selectOption('in');
    await first.getByLabel('Value').fill('DE, AT');
    const rule = { include: { all: [{ field: 'country', op: 'in', value: ['DE', 'AT'] }] } };
    const expected = await apiPreview(rule);
    expect(expected).toBe(3);
    await expect.poll(count).toBe(String(expected));
  });

  it('adds an event rule with AND and previews again', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Add rule' }).first().click();
    const second = rows().nth(1);
    await second.getByLabel('List').selectOption('deposits');
    await second.getByLabel('Operator').selectOption('gte');
    await second.getByLabel('Value').fill('1');
    const rule = {
      include: {
        all: [
          { field: 'country', op: 'in', value: ['DE', 'AT'] },
          {
            list: 'deposits',
            window: { last: 7, unit: 'day' },
            measure: 'count',
            op: 'gte',
            value: 1,
          },
        ],
      },
    };
    const expected = await apiPreview(rule);
    expect(expected).toBe(2);
    await expect.poll(count).toBe(String(expected));
  });

  it('shows an error next to the offending rule', async () => {
    const second = rows().nth(1);
    await second.getByLabel('Value').fill('abc');
    await expect.poll(() => second.getByRole('alert').count()).toBe(1);
    await second.getByLabel('Value').fill('1');
    await expect.poll(() => second.getByRole('alert').count()).toBe(0);
  });

  it('lists the matching players on Execute', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Execute' }).click();
    const cells = page.getByRole('table', { name: 'Matching players' }).locator('td');
    await expect.poll(() => cells.allTextContents()).toEqual(['p1', 'p2']);
    await browser.screenshot('builder');
  });

  it('saves, and the new card shows the count the engine computed', async () => {
    const { page } = browser;
    await page.getByRole('button', { name: 'Save' }).click();
    const card = page.locator('article', { hasText: 'DACH depositors' });
    await card.waitFor();
    await f.engine.step();
    await expect.poll(() => card.getByTestId('count').textContent()).toBe('2');
  });

  it('logged no console errors but the refused preview', () => {
    const unexpected = browser.errors.filter((e) => !/status of 400/.test(e));
    expect(unexpected.join('\n')).toBe('');
  });
});
