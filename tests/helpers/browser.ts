/** A real server with the demo district and Debian's Chromium, for the e2e suites. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { startTestServer, type TestServer } from './test-server.ts';

export const CHROMIUM_ARGS = ['--headless=new', '--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

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
    server: () => server ?? (() => { throw new Error('server not started'); })(),
    browser: () => browser ?? (() => { throw new Error('browser not started'); })(),
  };
}
