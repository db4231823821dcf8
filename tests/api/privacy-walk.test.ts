/**
 * One privacy rule everywhere (common/rules/public-fields.ts): every anonymous GET the
 * OpenAPI document lists — /api, /ogc (JSON and HTML, every collection and some items) and
 * /tiles (every layer, decoded) — is asked on the demo district and searched for the
 * secretaries' and building heads' names, unpublished phones (in full or masked) and
 * household, population or member figures read from the database. The self-test adds a
 * route that leaks and requires the walk to catch it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Router } from 'express';
import type { AddressInfo } from 'node:net';
import { createApp } from '../../server/app.ts';
import { readConfig } from '../../server/config.ts';
import { getGrid } from '../../server/grids/grids.queries.ts';
import { encodeTile } from '../../server/tiles/tile-encode.ts';
import { sessionCookie } from '../helpers/session.ts';
import { DRIVERS } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import {
  privateValues,
  walk,
  walkSamples,
  walkUrls,
  type OpenApiDocument,
  type PrivateValues,
  type WalkSamples,
} from '../helpers/privacy-walk.ts';

const CASE_PHONE = '13911112222';
const CASE_WORDS = '井盖松动';

for (const driver of DRIVERS) {
  describe(`privacy walk: every anonymous answer [${driver}]`, () => {
    let server: TestServer;
    let doc: OpenApiDocument;
    let values: PrivateValues;
    let samples: WalkSamples;

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true, config: { publicRateLimit: 0 } });
      doc = (await (await fetch(`${server.url}/api/openapi.json`)).json()) as OpenApiDocument;
      samples = await walkSamples(server.database.db);
      // A resident's report with a phone for call-back: their tracking page must not show it.
      const reported = (await (
        await fetch(`${server.url}/api/public/cases`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            category: 'safety',
            description: CASE_WORDS,
            lon: samples.point[0],
            lat: samples.point[1],
            phone: CASE_PHONE,
          }),
        })
      ).json()) as { ticket: string; token: string };
      samples.ticket = reported.ticket;
      samples.token = reported.token;
      values = await privateValues(server.database.db);
      const collections = (await (await fetch(`${server.url}/ogc/collections?f=json`)).json()) as {
        collections: { id: string }[];
      };
      samples.collections = collections.collections.map((c) => c.id);
    });
    afterAll(async () => {
      await server?.close();
    });

    it('the database holds what could leak (so a clean walk means something)', async () => {
      expect(values.names.length).toBeGreaterThan(300);
      expect(values.phones.length).toBeGreaterThan(1000);
      const grid = await getGrid(server.database.db, samples.grid);
      expect(grid!.properties.party.some((o) => o.secretary_name && values.names.includes(o.secretary_name))).toBe(
        true,
      );
      expect(grid!.properties.workers.some((w) => w.role === 'full_time' && !w.phone_public)).toBe(true);
      expect(grid!.properties.households).toBeGreaterThan(0);
    });

    it('no anonymous GET in the OpenAPI document leaks a secretary, an unpublished phone or a household figure', async () => {
      const urls = await walkUrls(server.url, doc, samples);
      const result = await walk(server.url, urls, values);
      expect(result.leaks).toEqual({});
      // Every documented GET was asked, and the public ones answered with data.
      const documented = Object.entries(doc.paths).filter(([, item]) => item.get).length;
      expect(documented).toBeGreaterThan(40);
      const ok = result.asked.filter((a) => a.status === 200);
      for (const must of [
        `/api/grids/${samples.grid}`,
        `/api/grids?region=${samples.district}`,
        `/api/party-orgs?region=${samples.district}`,
        `/api/public/grids/${samples.grid}`,
        '/api/public/locate?',
        `/api/regions/${samples.community}`,
        '/ogc/collections/party_orgs/items?',
        '/ogc/collections/buildings/items?',
        '/tiles/grids/14/',
        '/tiles/stations/14/',
      ])
        expect(
          ok.some((a) => a.url.startsWith(must)),
          must,
        ).toBe(true);
      expect(ok.some((a) => a.type.includes('vector-tile'))).toBe(true);
      expect(ok.some((a) => a.type.includes('html') && a.url.startsWith('/ogc/collections/party_orgs/items'))).toBe(
        true,
      );
    }, 240_000); // some 600 answers; the embedded driver on a busy 2-core machine took 60 s

    it('OGC cases, read signed in (planner, admin), carry no reporter phone and no description', async () => {
      expect(values.phones).toContain(CASE_PHONE);
      const { ticket } = await server.database.db
        .selectFrom('cases')
        .select('ticket')
        .where('reporter_phone', '=', CASE_PHONE)
        .executeTakeFirstOrThrow();
      const urls = ['json', 'html'].flatMap((f) => [
        `/ogc/collections/cases?f=${f}`,
        `/ogc/collections/cases/items?limit=10000&f=${f}`,
        `/ogc/collections/cases/items/${ticket}?f=${f}`,
      ]);
      for (const user of ['planner', 'admin']) {
        const result = await walk(server.url, urls, values, await sessionCookie(server.url, user));
        expect(result.asked.map((a) => a.status)).toEqual(urls.map(() => 200));
        expect(result.leaks).toEqual({});
        for (const url of urls) {
          const text = await (
            await fetch(server.url + url, { headers: { cookie: await sessionCookie(server.url, user) } })
          ).text();
          expect(text, url).not.toContain(CASE_WORDS);
        }
      }
      // Anonymous readers get nothing of it.
      const anonymous = await walk(server.url, urls, values);
      expect(anonymous.asked.map((a) => a.status)).toEqual(urls.map(() => 401));
    }, 120_000);

    it('self-test: a new anonymous route that leaks is caught', async () => {
      // The grid as stored (secretary, every worker's phone, households), served anonymously.
      const leaky = Router()
        .get('/grids/:code/leak', async (req, res) => {
          res.json(await getGrid(server.database.db, req.params.code));
        })
        // A vector tile with the grid's households in it.
        .get('/grids/:code/leak.pbf', async (req, res) => {
          const grid = await getGrid(server.database.db, req.params.code);
          const tile = encodeTile({
            grids: [
              {
                id: 1,
                properties: { code: grid!.properties.code, households: grid!.properties.households },
                geometry: { type: 'Point', coordinates: [2048, 2048] },
              },
            ],
          });
          res.type('application/vnd.mapbox-vector-tile').send(Buffer.from(tile!));
        });
      const app = createApp(
        { db: server.database.db, driver, config: { ...readConfig({}), port: 0, publicRateLimit: 0 } },
        { testRoutes: () => leaky },
      );
      const http = await new Promise<import('node:http').Server>((resolve) => {
        const s = app.listen(0, '127.0.0.1', () => resolve(s));
      });
      try {
        const base = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
        const get = { parameters: [{ name: 'code', in: 'path' as const, required: true }] };
        // A path parameter the walk has no sample for: it refuses rather than skipping the route.
        await expect(walkUrls(base, { paths: { '/api/leaks/{code}': { get } } }, samples)).rejects.toThrow(
          /no sample for path parameter code/,
        );
        const urls = await walkUrls(
          base,
          { paths: { '/api/grids/{code}/leak': { get }, '/api/grids/{code}/leak.pbf': { get } } },
          samples,
        );
        expect(urls).toEqual([`/api/grids/${samples.grid}/leak`, `/api/grids/${samples.grid}/leak.pbf`]);
        const result = await walk(base, urls, values);
        const leaks = Object.values(result.leaks).flat().join('\n');
        expect(leaks).toMatch(/secretary_name|name /);
        expect(leaks).toMatch(/unpublished phone|masked phone/);
        expect(leaks).toMatch(/households = \d+/);
        expect(result.leaks[`/api/grids/${samples.grid}/leak.pbf`]).toEqual([
          expect.stringMatching(/^\$\.grids\[0\]\.households = \d+$/),
        ]);
      } finally {
        http.closeAllConnections();
        await new Promise<void>((resolve) => http.close(() => resolve()));
      }
    });
  });
}
