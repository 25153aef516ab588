// Table View and the card menu in real Chromium against the real API, ClickHouse, Redis and
// engine: choose columns and sort by a header, download the CSV and find exactly the columns and
// order shown, clone a segment, and try to delete one still in use, with the API's 409 explained.
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { insertPlayers } from '../../engine/store/players.ts';
import { memberFixture, type MemberFixture } from '../../api/members/test-support.ts';
import { buildUi, openBrowser, type Browser } from './browser.ts';
import { recordUrls, urlsWithToken } from './urls.ts';

const de = { include: { all: [{ field: 'country', op: 'eq', value: 'DE' }] } };

let f: MemberFixture;
let browser: Browser;
let url: string;
let uiDir: string;
/** Every URL the page asked for. */
let urls: string[];

beforeAll(async () => {
  uiDir = await buildUi();
  f = await memberFixture('browser_members', { uiDir });
  await insertPlayers(f.api.db.store, [
    { player_id: 'p1', version: 1, country: 'DE', vip_level: 2, email: 'a@x.example' },
    { player_id: 'p2', version: 1, country: 'DE', vip_level: 7, email: 'b@x.example' },
    { player_id: 'p3', version: 1, country: 'DE', vip_level: 4 },
    { player_id: 'p4', version: 1, country: 'AT', vip_level: 9 },
  ]);
  await f.segment('de', de);
  await f.segment('uses-de', { include: { all: [{ segment: 'de', op: 'in' }] } });
  await f.engine.step();
  await f.api.app.listen({ port: 0, host: '127.0.0.1' });
  url = `http://127.0.0.1:${(f.api.app.server.address() as AddressInfo).port}`;
  browser = await openBrowser();
  const { page } = browser;
  urls = recordUrls(page);
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

/** Header texts without the sort arrow. */
const headers = async () =>
  (await browser.page.locator('thead th').allTextContents()).map((t) => t.replace(/ [▲▼]$/, ''));
const firstColumn = () => browser.page.locator('tbody tr td:first-child').allTextContents();

describe('Table View (Chromium)', () => {
  it('shows the members with chosen columns, sorted by a clicked header', async () => {
    const { page } = browser;
    await page.goto(`${url}/#/segments/de/members`);
    await expect.poll(() => page.getByTestId('member-count').textContent()).toBe('3 members');
    // Only VIP level and Email (anonymized) as columns.
    const checked = page.locator('fieldset input:checked');
    while ((await checked.count()) > 0) await checked.first().uncheck();
    await page.getByLabel('VIP level').check();
    await page.getByLabel('Email', { exact: true }).check();
    await expect.poll(headers).toEqual(['Player ID', 'VIP level', 'Email']);

    await page.getByRole('button', { name: /^VIP level/ }).click();
    await page.getByRole('button', { name: /^VIP level/ }).click();
    await expect.poll(firstColumn).toEqual(['p2', 'p3', 'p1']);
    const emails = await page.locator('tbody tr td:nth-child(3)').allTextContents();
    expect(emails).toEqual(['•••', '•••', '•••']);
    await browser.screenshot('members');
  });

  it('downloads the CSV of exactly the columns and order shown', async () => {
    const { page } = browser;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    // A single-use ticket in the link, never the token.
    expect(new URL(download.url()).searchParams.get('ticket')).toMatch(/^[\w-]{43}$/);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    const [header, ...rows] = parse(text) as string[][];
    expect(header).toEqual(['player_id', 'vip_level', 'email']);
    expect(rows).toEqual([
      ['p2', '7', '•••'],
      ['p3', '4', '•••'],
      ['p1', '2', '•••'],
    ]);
  });

  it('remembers the chosen columns of the segment', async () => {
    const { page } = browser;
    await page.reload();
    await expect.poll(headers).toEqual(['Player ID', 'VIP level', 'Email']);
  });
});

describe('the card menu (Chromium)', () => {
  /** The CSV the card menu's "Download CSV" of segment `id` gives, parsed. */
  const cardCsv = async (id: string) => {
    const { page } = browser;
    const card = page.locator(`article[data-segment="${id}"]`);
    await card.locator('summary').click();
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      card.getByRole('link', { name: 'Download CSV' }).click(),
    ]);
    await card.locator('summary').click();
    return parse(fs.readFileSync((await download.path())!, 'utf8')) as string[][];
  };

  it("downloads the Table View's columns, remembered or default, in its order", async () => {
    const { page } = browser;
    await page.goto(`${url}/#/`);
    await page.locator('article[data-segment="de"]').waitFor();
    // Columns chosen in the Table View above: the card gives them, sorted as the table opens.
    expect(await cardCsv('de')).toEqual([
      ['player_id', 'vip_level', 'email'],
      ['p1', '2', '•••'],
      ['p2', '7', '•••'],
      ['p3', '4', '•••'],
    ]);
    // Nothing chosen: the Table View's default columns, the first four fields shown in tables.
    const lists = (await f.api.as('viewer').get('/v1/lists')).json().lists;
    const players = lists.find((l: { kind: string }) => l.kind === 'players');
    const shown = players.fields
      .filter(
        (x: { shown_in_tables: boolean; name: string }) =>
          x.shown_in_tables && x.name !== 'player_id',
      )
      .slice(0, 4)
      .map((x: { name: string }) => x.name);
    const [header, ...rows] = await cardCsv('uses-de');
    expect(header).toEqual(['player_id', ...shown]);
    expect(shown.length).toBeGreaterThan(0);
    expect(rows.map((r) => r[0])).toEqual(['p1', 'p2', 'p3']);
  });

  it('explains why a segment in use cannot be deleted', async () => {
    const { page } = browser;
    await page.goto(`${url}/#/`);
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByLabel('Actions for de').click();
    await page
      .locator('article[data-segment="de"]')
      .getByRole('button', { name: 'Delete' })
      .click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('still in use');
    await expect(page.getByRole('alert').textContent()).resolves.toContain('uses-de');
    expect((await f.api.as('viewer').get('/v1/segments/de')).statusCode).toBe(200);
  });

  it('clones a segment into a new card', async () => {
    const { page } = browser;
    await page.getByLabel('Actions for uses-de').click();
    await page
      .locator('article[data-segment="uses-de"]')
      .getByRole('button', { name: 'Clone' })
      .click();
    await expect.poll(() => page.getByRole('heading', { name: 'Copy of uses-de' }).count()).toBe(1);
    const listed = (await f.api.as('viewer').get('/v1/segments')).json().segments;
    expect(listed.map((s: { name: string }) => s.name)).toContain('Copy of uses-de');
  });

  it('deletes a segment nothing uses, after confirmation', async () => {
    const { page } = browser;
    const copy = page.locator('article', { hasText: 'Copy of uses-de' });
    page.once('dialog', (dialog) => void dialog.accept());
    await copy.locator('summary').click();
    await copy.getByRole('button', { name: 'Delete' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Copy of uses-de' }).count()).toBe(0);
  });

  it('logged no console errors but the refused delete', () => {
    // Chromium logs every failed request, also the 409 the page answered with an explanation.
    const unexpected = browser.errors.filter((e) => !/status of 409/.test(e));
    expect(unexpected.join('\n')).toBe('');
  });

  it('downloaded and opened the live socket with tickets only, never the token in a URL', () => {
    const withTicket = urls.filter((u) => /\/(export\.csv|live)$/.test(new URL(u).pathname));
    // The Table View's download, the card menu's ones and the live socket.
    expect(withTicket.length).toBeGreaterThan(3);
    for (const u of withTicket) expect(new URL(u).searchParams.has('ticket'), u).toBe(true);
    expect(urlsWithToken(urls, Object.values(f.api.tokens))).toEqual([]);
  });
});
