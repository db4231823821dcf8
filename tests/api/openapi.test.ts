/**
 * The OpenAPI document against the routes that exist, its structure, and the offline docs
 * page in Chromium. The document does not depend on the database, so the embedded driver is
 * enough; one server for the file. UPDATE_SCREENSHOTS=1 refreshes docs/screenshots/api-docs.png.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import express from 'express';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../server/app.ts';
import { readConfig } from '../../server/config.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { httpClient } from '../helpers/http-client.ts';
import { CHROMIUM_ARGS } from '../helpers/browser.ts';
import { compareWithDocument, expressRoutes } from '../helpers/express-routes.ts';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, Record<string, unknown>>>;
  components: Record<string, Record<string, unknown>>;
  tags: { name: string }[];
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const PREFIXES = ['/api', '/ogc', '/tiles'];

let server: TestServer;
let doc: Doc;
let app: express.Express;

beforeAll(async () => {
  server = await startTestServer({ driver: 'embedded', demo: false });
  const res = await httpClient(server.url).fetch('GET', '/api/openapi.json');
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/application\/json/);
  doc = (await res.json()) as Doc;
  // The same app the server runs, built again to read its route table.
  app = createApp({
    db: server.database.db,
    driver: server.database.driver,
    config: { ...readConfig({}), publicIndex: false },
  });
}, 120_000);
afterAll(async () => server?.close());

const operations = () =>
  Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([m]) => METHODS.includes(m))
      .map(([method, op]) => ({ path, method, op: op as Record<string, any>, item })),
  );

describe('GET /api/openapi.json covers every route', () => {
  it('documents every method and path the app serves, and nothing that it does not', () => {
    const { served, undocumented, missing } = compareWithDocument(expressRoutes(app), doc.paths, PREFIXES);
    // The walk must really see the nested routers (else the comparison proves nothing).
    expect(served).toEqual(
      expect.arrayContaining([
        'GET /api/grids/{code}',
        'POST /api/drafts/{id}/merge',
        'PUT /api/party-orgs/{code}/grids',
        'GET /api/public/locate',
        'GET /api/openapi.json',
      ]),
    );
    expect(served.length).toBeGreaterThan(50);
    expect(undocumented, 'routes without documentation in server/openapi/openapi.paths/').toEqual([]);
    expect(missing, 'documented operations without a route').toEqual([]);
  });

  it('notices an undocumented route and a documented one that does not exist', () => {
    const extra = express();
    const api = express.Router();
    api.get('/grids/:code/secret', (_req, res) => res.end());
    extra.use('/api', api);
    const result = compareWithDocument(expressRoutes(extra), doc.paths, PREFIXES);
    expect(result.undocumented).toEqual(['GET /api/grids/{code}/secret']);
    expect(result.missing).toContain('GET /api/grids/{code}');
  });
});

describe('the document is structurally valid', () => {
  it('is OpenAPI 3.1 with info, tags and the session cookie', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.components.securitySchemes).toEqual({
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'wangge_session' }),
    });
    const tags = new Set(doc.tags.map((t) => t.name));
    for (const { path, method, op } of operations())
      expect(
        op.tags.every((t: string) => tags.has(t)),
        `${method} ${path} tags`,
      ).toBe(true);
  });

  it('every operation has a Chinese summary and a 2xx response; every error response is an ApiError', () => {
    for (const { path, method, op } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      expect(op.summary, where).toMatch(/[\u4e00-\u9fff]/);
      expect(typeof op.description, where).toBe('string');
      const statuses = Object.keys(op.responses ?? {});
      expect(
        statuses.some((s) => /^2\d\d$/.test(s)),
        `${where} has a success response`,
      ).toBe(true);
      for (const s of statuses.filter((s) => /^[45]/.test(s)))
        expect(op.responses[s].$ref, `${where} ${s}`).toMatch(/^#\/components\/responses\//);
    }
  });

  it('every $ref resolves', () => {
    const refs: string[] = [];
    const collect = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(collect);
      else if (value && typeof value === 'object') {
        for (const [k, v] of Object.entries(value)) k === '$ref' && typeof v === 'string' ? refs.push(v) : collect(v);
      }
    };
    collect(doc);
    expect(refs.length).toBeGreaterThan(100);
    for (const r of new Set(refs)) {
      expect(r, 'local refs only').toMatch(/^#\//);
      const target = r
        .slice(2)
        .split('/')
        .reduce<any>((node, part) => node?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], doc);
      expect(target, r).toBeTruthy();
    }
  });

  it('declares every path parameter, required, and no undeclared one; security names a known scheme', () => {
    for (const { path, method, op, item } of operations()) {
      const where = `${method.toUpperCase()} ${path}`;
      const inTemplate = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]).sort();
      const params = [...((item as any).parameters ?? []), ...(op.parameters ?? [])];
      const declared = params.filter((p: any) => p.in === 'path');
      expect(declared.map((p: any) => p.name).sort(), where).toEqual(inTemplate);
      for (const p of declared) expect(p.required, `${where} ${p.name}`).toBe(true);
      const keys = params.map((p: any) => `${p.in}:${p.name}`);
      expect(new Set(keys).size, `${where} has a parameter twice`).toBe(keys.length);
      for (const p of params) expect(p.schema, `${where} ${p.name} schema`).toBeTruthy();
      for (const requirement of op.security ?? [])
        for (const name of Object.keys(requirement)) expect(doc.components.securitySchemes).toHaveProperty(name);
    }
  });

  it('describes zod-validated bodies from their schemas (strict objects stay strict)', () => {
    const merge = doc.paths['/api/drafts/{id}/merge']!.post as any;
    const schema = merge.requestBody.content['application/json'].schema;
    expect(schema.required).toEqual(['codes', 'comment']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.codes).toMatchObject({ type: 'array', minItems: 2, maxItems: 50 });
    expect(schema.$schema).toBeUndefined();
    // The editor needs a sign-in: the lock in the docs.
    expect(merge.security).toEqual([{ session: [] }]);
    expect(doc.paths['/api/public/locate']!.get!.security).toBeUndefined();
  });
});

describe('GET /api/docs works offline in Chromium', () => {
  it('serves only the page, its initializer and the Swagger UI files it needs', async () => {
    for (const path of [
      '/api/docs',
      '/api/docs/',
      '/api/docs/swagger-ui-bundle.js',
      '/api/docs/swagger-ui.css',
      '/api/docs/wangge-docs.js',
    ]) {
      expect((await httpClient(server.url).get(path)).status, path).toBe(200);
    }
    // swagger-ui-dist's own page and initializer point at a remote demo API: never served.
    for (const path of ['/api/docs/index.html', '/api/docs/swagger-initializer.js', '/api/docs/package.json']) {
      expect((await httpClient(server.url).get(path)).status, path).toBe(404);
    }
    const init = (await httpClient(server.url).get('/api/docs/wangge-docs.js')).text;
    expect(init).toContain("url: '/api/openapi.json'");
    expect(init).toContain('validatorUrl: null');
  });

  let browser: Browser | undefined;
  afterAll(async () => browser?.close());

  it('renders every operation and asks nothing of any other host', async () => {
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const page = await browser.newPage({ locale: 'zh-CN', viewport: { width: 1280, height: 900 } });
    const foreign: string[] = [];
    const failed: string[] = [];
    page.on('request', (request) => {
      const url = new URL(request.url());
      if (!/^(data|blob):/.test(url.protocol) && url.hostname !== '127.0.0.1') foreign.push(request.url());
    });
    page.on('response', (response) => {
      if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
    });
    await page.goto(`${server.url}/api/docs`);
    expect(await page.title()).toContain('网格');
    const count = operations().length;
    await page.waitForFunction((n) => document.querySelectorAll('.opblock').length >= n, count, { timeout: 30_000 });
    expect(await page.locator('.opblock').count()).toBe(count);
    expect(await page.locator('.info .title').innerText()).toContain('网格 Wangge API');
    // The top of the page, for the README.
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/api-docs.png' });
    if (process.env.UPDATE_SCREENSHOTS) copyFileSync('test-results/api-docs.png', 'docs/screenshots/api-docs.png');
    // Open one operation: its parameters render from the document.
    await page.locator('#operations-interop-post_api_import .opblock-summary').click();
    await page.waitForSelector(
      '.opblock.is-open .opblock-section-request-body, .opblock.is-open .parameters-container',
    );
    expect(await page.locator('.errors-wrapper').count()).toBe(0);
    expect(foreign).toEqual([]);
    expect(failed).toEqual([]);
  }, 90_000);
});
