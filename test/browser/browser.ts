// Browser-test support: the UI built once per test file into a temporary folder (vite's build
// API, as `npm run build:ui` does), and Debian's Chromium driven by playwright-core, with the
// flags this machine needs (no sandbox as root, no background networking on a closed network).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { build } from 'vite';

const CONFIG = fileURLToPath(new URL('../../ui/vite.config.ts', import.meta.url));
export const SCREENS = fileURLToPath(new URL('../../test-results/screens/', import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function buildUi(): Promise<string> {
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-ui-'));
  await build({ configFile: CONFIG, logLevel: 'silent', build: { outDir, emptyOutDir: true } });
  return outDir;
}

export interface Browser {
  readonly page: Page;
  /** Console errors and uncaught page errors seen so far. */
  readonly errors: string[];
  screenshot(name: string): Promise<void>;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<Browser> {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'segstream-chromium-'));
  const context: BrowserContext = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 1280, height: 800 },
    args: [
      ...['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run'],
      ...['--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('pageerror', (err) => errors.push(err.message));
  fs.mkdirSync(SCREENS, { recursive: true });
  return {
    page,
    errors,
    screenshot: async (name) => {
      await page.screenshot({ path: path.join(SCREENS, `${name}.png`), fullPage: true });
    },
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}
