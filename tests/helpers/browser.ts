/** A real server with the demo district and Debian's Chromium, for the e2e suites. */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from './test-server.ts';
import { DEMO_PASSWORD } from './templates.ts';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Registers beforeAll/afterAll in the calling describe; the getters work inside tests. */
export function useServerAndBrowser(): { server: () => TestServer; browser: () => Browser } {
  let server: TestServer | undefined;
  let browser: Browser | undefined;
  beforeAll(async () => {
    // `npm test` builds the client first; a bare `vitest run` needs `npm run build` before it.
    if (!existsSync('dist/client/index.html')) throw new Error('dist/client is missing: run `npm run build` first');
    server = await startTestServer({ demo: true });
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  }, 240_000);
  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });
  return {
    server: () =>
      server ??
      (() => {
        throw new Error('server not started');
      })(),
    browser: () =>
      browser ??
      (() => {
        throw new Error('browser not started');
      })(),
  };
}

export interface AppPage {
  page: Page;
  /** Requests that left the app's origin (there must be none: no CDN, no basemap). */
  foreign: string[];
  pageErrors: string[];
}

/** Record what a page fetches outside `baseUrl` (blob: and data: aside) and the errors it throws. */
export function watchPage(page: Page, baseUrl: string): { foreign: string[]; pageErrors: string[] } {
  const foreign: string[] = [];
  const pageErrors: string[] = [];
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(baseUrl) && !/^(blob|data):/.test(url)) foreign.push(url);
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));
  return { foreign, pageErrors };
}

/** A new Chinese desktop page on the app, watched for foreign requests and errors, once `ready`. */
export async function openApp(browser: Browser, baseUrl: string, ready = 'data-layers-ready'): Promise<AppPage> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 860 }, locale: 'zh-CN' });
  const { foreign, pageErrors } = watchPage(page, baseUrl);
  await page.goto(baseUrl);
  await page.waitForSelector(`body[${ready}="1"]`, { timeout: 60_000 });
  return { page, foreign, pageErrors };
}

/**
 * Sign in through the login dialog. Anonymous users get no household figures, so the app then
 * reloads the grids: wait until the map's grids carry them.
 */
export async function signIn(page: Page, username: string): Promise<void> {
  await page.click('#login-button');
  await page.fill('#login-dialog input[name="username"]', username);
  await page.fill('#login-dialog input[name="password"]', DEMO_PASSWORD);
  await page.click('#login-dialog button[type="submit"]');
  await page.waitForSelector('#current-user');
  await page.waitForSelector('body[data-households="1"]', { timeout: 30_000 });
}

/** Sign in through the login dialog and start a draft in the editor; returns the draft's id. */
export async function signInAndStartDraft(page: Page, username: string): Promise<number> {
  await signIn(page, username);
  await page.click('#editor-start');
  return Number(await (await page.waitForSelector('#editor .draft-line[data-draft-id]')).getAttribute('data-draft-id'));
}

/**
 * Fit the map to a ring's bounding box and wait until it is idle; returns where a lon/lat
 * lands on the page (for mouse clicks and drags).
 */
export async function zoomToRing(
  page: Page,
  ring: readonly number[][],
): Promise<(lon: number, lat: number) => Promise<{ x: number; y: number }>> {
  const xs = ring.map((p) => p[0]!);
  const ys = ring.map((p) => p[1]!);
  await page.evaluate(
    async (bbox) => {
      const adapter = window.__wangge!.adapter;
      adapter.fitBbox(bbox as [number, number, number, number], false);
      await adapter.whenIdle();
    },
    [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)],
  );
  // The map's place on the page is read at each call: a panel that opens late moves it.
  return (lon, lat) =>
    page.evaluate(
      ([x, y]) => {
        const rect = document.getElementById('map')!.getBoundingClientRect();
        const p = window.__wangge!.project(x!, y!);
        return { x: p.x + rect.left, y: p.y + rect.top };
      },
      [lon, lat],
    );
}
