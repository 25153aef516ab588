// Every URL a page asks for (requests, downloads and websockets), so that browser tests can check
// that the UI never puts a bearer token in one: URLs reach browser history and proxy logs.
import type { Page } from 'playwright-core';

export function recordUrls(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  page.on('websocket', (socket) => urls.push(socket.url()));
  page.on('download', (download) => urls.push(download.url()));
  return urls;
}

/** The URLs among `urls` that carry a credential other than a single-use ticket. */
export function urlsWithToken(urls: readonly string[], tokens: readonly string[]): string[] {
  return urls.filter((u) => u.includes('access_token') || tokens.some((t) => u.includes(t)));
}
