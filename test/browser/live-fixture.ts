// What the live ops and detail browser tests share: the UI built and served by a test API with a
// real engine on its database, Chromium open on it, sign-in through the form, and engine steps
// taken as of the wall clock, so that live updates and history land in the current minute.
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import { memberFixture, type MemberFixture } from '../../api/members/test-support.ts';
import { buildUi, openBrowser, type Browser } from './browser.ts';

export interface LiveUi {
  readonly f: MemberFixture;
  readonly browser: Browser;
  readonly url: string;
  /** One engine step as of now, its transitions stored in ClickHouse. */
  step(): Promise<void>;
  /** Opens the UI and signs in with the token of this role. */
  signIn(role: 'viewer' | 'editor'): Promise<void>;
  close(): Promise<void>;
}

export async function liveUi(
  name: string,
  setup: (f: MemberFixture, step: () => Promise<void>) => Promise<void>,
): Promise<LiveUi> {
  const uiDir = await buildUi();
  const f = await memberFixture(name, { uiDir });
  const step = async () => {
    f.clock.now = Math.floor(Date.now() / 1000) * 1000;
    await f.engine.step();
    await f.engine.drainJournal();
  };
  await setup(f, step);
  await f.api.app.listen({ port: 0, host: '127.0.0.1' });
  const url = `http://127.0.0.1:${(f.api.app.server.address() as AddressInfo).port}`;
  const browser = await openBrowser();
  return {
    ...{ f, browser, url, step },
    signIn: async (role) => {
      await browser.page.goto(url);
      await browser.page.getByLabel('Access token').fill(f.api.tokens[role]);
      await browser.page.getByRole('button', { name: 'Sign in' }).click();
    },
    close: async () => {
      await browser.close();
      await f.close();
      fs.rmSync(uiDir, { recursive: true, force: true });
    },
  };
}
