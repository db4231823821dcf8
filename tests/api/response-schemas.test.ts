/**
 * Every JSON GET route's answer on the demo district, on each driver, validated with the
 * response schema the OpenAPI document declares for it. Those schemas are the zod contracts
 * in common/contracts/ (the document is generated from them), so a served body that does not
 * match its contract fails here. Objects are parsed as zod parses them: a missing field, a
 * wrong type or a value outside an enum fails; an extra field does not.
 *
 * Not sampled, and why:
 * - GET /api/openapi.json is the document itself (tests/api/openapi.test.ts checks it);
 * - GET /api/docs is an HTML page;
 * - GET /api/reports/coverage.xlsx, /api/reports/coverage.geojson, /api/reports/cases.xlsx and /api/export are file
 *   downloads (attachments in several formats), described as binary;
 * - GET /ogc/collections/{id}/schema is a JSON Schema document for GDAL, not an API shape;
 * - GET /tiles/{layer}/{z}/{x}/{y}.pbf is a binary vector tile;
 * - GET /api/grids/{code}/board.pdf|png and /api/regions/{code}/boards.pdf are printed boards
 *   (PDF, PNG), read back in tests/api/boards.test.ts;
 * - GET /api/public/cases/{ticket}/photos/{id} and /api/cases/photos/{id} are images, read back
 *   in tests/api/case-photos.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Draft } from '../../common/contracts/drafts.ts';
import { GridCollection, GridProperties } from '../../common/contracts/grids.ts';
import { featureCollection, MultiPolygon } from '../../common/contracts/geojson.ts';
import type { RegionList } from '../../common/contracts/regions.ts';
import type { StationCollection } from '../../common/contracts/stations.ts';
import { openApiDocument } from '../../server/openapi/openapi.document.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { sessionCookie } from '../helpers/session.ts';
import { deploySkipReason, startDeployStack } from '../helpers/deploy-stack.ts';
import { startTestServer } from '../helpers/test-server.ts';

type Operation = { responses: Record<string, { content?: Record<string, { schema?: { $ref?: string } }> }> };
const doc = openApiDocument() as { paths: Record<string, { get?: Operation }> };

const NOT_SAMPLED = new Set([
  '/api/openapi.json',
  '/api/docs',
  '/api/reports/coverage.xlsx',
  '/api/reports/cases.xlsx',
  '/api/reports/coverage.geojson',
  '/api/export',
  '/ogc/collections/{id}/schema',
  '/tiles/{layer}/{z}/{x}/{y}.pbf',
  '/api/grids/{code}/board.pdf',
  '/api/grids/{code}/board.png',
  '/api/regions/{code}/boards.pdf',
  '/api/public/cases/{ticket}/photos/{id}',
  '/api/cases/photos/{id}',
  // A MapLibre style document (the style spec is its contract), served only when TIANDITU_KEY is set:
  // tests/api/basemap-config.test.ts checks it.
  '/api/basemap/style.json',
]);

/** The contract a documented GET declares for its 200 answer (JSON or GeoJSON). */
function declaredSchema(path: string): z.ZodType {
  const content = doc.paths[path]?.get?.responses['200']?.content ?? {};
  const ref = (content['application/json'] ?? content['application/geo+json'])?.schema?.$ref;
  const id = ref?.replace('#/components/schemas/', '');
  const schema = id ? z.globalRegistry._idmap.get(id) : undefined;
  if (!schema) throw new Error(`GET ${path}: no contract schema declared for 200`);
  return schema as z.ZodType;
}

/** Throws, naming the first fields at fault, when `body` does not match `schema`. */
function check(schema: z.ZodType, body: unknown, where: string): void {
  const result = schema.safeParse(body);
  if (!result.success) {
    const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new Error(`${where}: the body does not match its declared schema\n  ${issues.join('\n  ')}`);
  }
}

type JsonSchema = {
  $ref?: string;
  properties?: Record<string, JsonSchema>;
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  prefixItems?: JsonSchema[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  type?: string | string[];
  const?: unknown;
};
const components = (doc as unknown as { components: { schemas: Record<string, JsonSchema> } }).components.schemas;

/**
 * Fields served that the declared schema does not name (zod strips them silently, so the
 * parse alone would not notice a contract that forgot a field). Walks the generated JSON Schema.
 */
function undeclaredFields(schema: JsonSchema, value: unknown, path: string, out: string[]): void {
  if (schema.$ref)
    return undeclaredFields(components[schema.$ref.replace('#/components/schemas/', '')]!, value, path, out);
  const branches = schema.anyOf ?? schema.oneOf;
  if (branches) {
    // The branch that fits best: fewest undeclared fields (a discriminated union's tag decides).
    const tries = branches.map((branch) => {
      const found: string[] = [];
      undeclaredFields(branch, value, path, found);
      const resolved = branch.$ref ? components[branch.$ref.replace('#/components/schemas/', '')]! : branch;
      const tag = (value as { type?: unknown } | null)?.type;
      const tagged = resolved.properties?.type?.const !== undefined && resolved.properties.type.const !== tag;
      return { found, score: found.length + (tagged ? 1000 : 0) };
    });
    out.push(...tries.sort((a, b) => a.score - b.score)[0]!.found);
    return;
  }
  if (Array.isArray(value)) {
    value.slice(0, 50).forEach((item, i) => {
      const itemSchema = schema.prefixItems?.[i] ?? schema.items;
      if (itemSchema) undeclaredFields(itemSchema, item, `${path}.${i}`, out);
    });
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, inner] of Object.entries(value)) {
    const declared =
      schema.properties?.[key] ??
      (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (declared) undeclaredFields(declared, inner, `${path}.${key}`, out);
    else if (schema.properties && schema.additionalProperties === undefined) out.push(`${path}.${key}`);
  }
}

const DISTRICT = '131002000000';

/**
 * Where the samples are served from: the app on each driver, and (server driver, nginx
 * installed) two API processes behind nginx as deploy/ runs them, so the whole API's GETs and
 * the writes that set them up go through the proxy too (issue 20).
 */
interface Target {
  name: string;
  skip?: string;
  start(): Promise<{ url: string; close(): Promise<void> }>;
}
const deployReason = deploySkipReason();
const TARGETS: Target[] = [
  ...DRIVERS.map((driver) => ({
    name: driver,
    start: async () => startTestServer({ driver, demo: true }),
  })),
  {
    name: 'server, through nginx to two API processes',
    skip: deployReason,
    start: async () => {
      const stack = await startDeployStack();
      return { url: stack.nginx.url, close: () => stack.close() };
    },
  },
];

for (const target of TARGETS) {
  const title = `served bodies match their declared schemas [${target.name}]`;
  describe.skipIf(!!target.skip)(target.skip ? `${title} (skipped: ${target.skip})` : title, () => {
    let server: { url: string; close(): Promise<void> };
    let planner: string;
    let admin: string;
    /** Documented path → the URLs (and who asks) sampled for it. */
    const samples = new Map<string, { url: string; cookie?: string }[]>();
    const sample = (path: string, url: string, cookie?: string) =>
      samples.set(path, [...(samples.get(path) ?? []), { url, cookie }]);
    const http = httpClient(() => server.url);
    const getJson = async <T>(url: string, cookie?: string): Promise<T> => {
      const res = await http.get<T>(url, { cookie });
      if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${res.text}`);
      return res.body as T;
    };
    const send = async (method: string, url: string, body: unknown, headers: Record<string, string> = {}) => {
      const res = await http.request(method, url, { cookie: admin, body, headers });
      if (res.status >= 300) throw new Error(`${method} ${url}: ${res.status} ${res.text}`);
      return res.body as Record<string, unknown>;
    };

    beforeAll(async () => {
      server = await target.start();
      planner = await sessionCookie(server.url, 'planner');
      admin = await sessionCookie(server.url, 'admin');
      const street = (await getJson<RegionList>(`/api/regions?parent=${DISTRICT}`)).regions[0]!.code;
      const community = (await getJson<RegionList>(`/api/regions?parent=${street}`)).regions[0]!.code;
      const grids = await getJson<GridCollection>(`/api/grids?region=${community}`, planner);
      const [a, b] = grids.features.map((f) => f.properties.code);
      const station = (await getJson<StationCollection>(`/api/stations?region=${DISTRICT}`)).features[0]!;
      const [lon, lat] = station.geometry.coordinates;
      const org = (await getJson<{ party_orgs: { code: string }[] }>(`/api/party-orgs?region=${community}`))
        .party_orgs[0]!.code;

      // A draft with a renamed grid and a retired one: its check then lists the gap created, the history both changes.
      const draft = (await send('POST', '/api/drafts', { street, title: 'response schemas' })) as unknown as Draft;
      const etagOf = async (code: string) =>
        (await getJson<{ properties: { etag: string } }>(`/api/drafts/${draft.id}/grids/${code}`, admin)).properties
          .etag;
      await send(
        'PATCH',
        `/api/drafts/${draft.id}/grids/${a}`,
        { name: '改名网格', comment: 'rename' },
        { 'if-match': await etagOf(a!) },
      );
      await send(
        'POST',
        `/api/drafts/${draft.id}/grids/${b}/retire`,
        { comment: 'retire' },
        { 'if-match': await etagOf(b!) },
      );

      sample('/api/health', '/api/health');
      sample('/api/config', '/api/config');
      sample('/api/auth/me', '/api/auth/me', planner);
      sample('/api/auth/session', '/api/auth/session');
      sample('/api/auth/session', '/api/auth/session', planner);
      sample('/api/regions', '/api/regions');
      sample('/api/regions', `/api/regions?parent=${DISTRICT}`);
      sample('/api/regions/{code}', `/api/regions/${street}`);
      sample('/api/regions/{code}', `/api/regions/${street}`, planner);
      sample('/api/grids', `/api/grids?region=${community}`);
      sample('/api/grids', `/api/grids?region=${community}`, planner);
      sample('/api/grids/{code}', `/api/grids/${a}`);
      sample('/api/grids/{code}', `/api/grids/${a}`, planner);
      sample('/api/stations', `/api/stations?region=${DISTRICT}`);
      sample('/api/party-orgs', `/api/party-orgs?region=${community}`);
      sample('/api/party-orgs/{code}/area', `/api/party-orgs/${org}/area`, planner);
      sample('/api/drafts', `/api/drafts?street=${street}`, admin);
      sample('/api/drafts/{id}', `/api/drafts/${draft.id}`, admin);
      sample('/api/drafts/{id}/check', `/api/drafts/${draft.id}/check`, admin);
      sample('/api/drafts/{id}/grids/{code}', `/api/drafts/${draft.id}/grids/${a}`, admin);
      sample(
        '/api/drafts/{id}/grids/{code}',
        `/api/drafts/${draft.id}/grids/${grids.features[2]!.properties.code}`,
        admin,
      );
      // Issue 19: a grid proposal for the community, as the draft (one grid renamed, one retired) sees it.
      const proposal = await send('POST', `/api/drafts/${draft.id}/proposals`, { community, mode: 'rebalance' });
      sample('/api/drafts/{id}/proposals/{pid}', `/api/drafts/${draft.id}/proposals/${String(proposal.id)}`, planner);
      sample('/api/grids/{code}/history', `/api/grids/${a}/history`, planner);
      sample('/api/changesets', `/api/changesets?street=${street}`, planner);
      sample('/api/validation', `/api/validation?region=${street}`, planner);
      sample('/api/validation', `/api/validation?region=${street}&draft=${draft.id}`, admin);
      sample('/api/validation/exceptions', `/api/validation/exceptions?region=${DISTRICT}`, planner);
      sample('/api/coverage/party', `/api/coverage/party?region=${street}`, planner);
      sample('/api/coverage/stations', `/api/coverage/stations?region=${street}`, planner);
      sample('/api/roads', `/api/roads?region=${street}`);
      sample('/api/public/locate', `/api/public/locate?lon=${lon}&lat=${lat}`);
      sample('/api/public/locate', `/api/public/locate?lon=${lon}&lat=${lat}&crs=gcj02`);
      sample('/api/public/stations/nearest', `/api/public/stations/nearest?lon=${lon}&lat=${lat}`);
      sample('/api/public/search', `/api/public/search?q=${encodeURIComponent(station.properties.name.slice(0, 2))}`);
      sample('/api/public/status', '/api/public/status');
      sample('/api/public/stations/{code}', `/api/public/stations/${station.properties.code}`);
      sample('/api/public/grids/{code}', `/api/public/grids/${a}`);
      sample('/api/public/grids/{code}/card', `/api/public/grids/${a}/card`);
      sample('/api/public/communities/{code}', `/api/public/communities/${community}`);
      sample('/api/search', `/api/search?q=${encodeURIComponent(station.properties.name.slice(0, 2))}`, planner);
      sample('/api/import/fields', '/api/import/fields?layer=grids', admin);
      sample('/api/settings/household-bounds', '/api/settings/household-bounds', planner);
      sample('/ogc', '/ogc?f=json');
      sample('/ogc/conformance', '/ogc/conformance?f=json');
      sample('/ogc/collections', '/ogc/collections?f=json');
      sample('/ogc/collections/{id}', '/ogc/collections/grids?f=json');
      sample('/ogc/collections/{id}/items', '/ogc/collections/grids/items?f=json&limit=5');
      sample('/ogc/collections/{id}/items', '/ogc/collections/stations/items?f=json&limit=5', planner);
      sample('/ogc/collections/{id}/items/{featureId}', `/ogc/collections/grids/items/${a}?f=json`);
      sample('/tiles/{layer}.json', '/tiles/grids.json');
      sample('/tiles/{layer}.json', '/tiles/stations.json');
      // Cases (issue 18): a resident's report at the station's point, read back by its reporter and by an admin.
      const reported = await send('POST', '/api/public/cases', {
        category: 'sanitation',
        description: '楼下垃圾堆放',
        lon,
        lat,
        phone: '13800001234',
      });
      const caseId = (await getJson<{ cases: { id: number }[] }>('/api/cases?limit=1', admin)).cases[0]!.id;
      sample('/api/public/cases/categories', '/api/public/cases/categories');
      sample('/api/public/cases/{ticket}', `/api/public/cases/${reported.ticket}?token=${reported.token}`);
      sample('/api/cases/config', '/api/cases/config', admin);
      sample('/api/cases', '/api/cases', admin);
      sample('/api/cases/{id}', `/api/cases/${caseId}`, admin);
      sample('/api/cases/stats', `/api/cases/stats?region=${DISTRICT}`, planner);
      sample('/api/cases/points', `/api/cases/points?region=${street}`, planner);
      sample('/api/cases/stats', `/api/cases/stats?region=${street}&from=2020-01-01&to=2020-12-31`, planner);
    }, 180_000);
    afterAll(async () => server?.close());

    it('samples every documented GET except the non-JSON ones listed above', () => {
      const documented = Object.entries(doc.paths)
        .filter(([, item]) => item.get)
        .map(([path]) => path);
      expect(
        documented.filter((path) => !NOT_SAMPLED.has(path) && !samples.has(path)),
        'GET routes neither sampled nor listed as skipped',
      ).toEqual([]);
      expect(
        [...samples.keys()].filter((path) => !documented.includes(path)),
        'sampled paths the document does not have',
      ).toEqual([]);
    });

    it('every sampled answer matches the schema its route declares', async () => {
      const failures: string[] = [];
      for (const [path, urls] of samples) {
        const schema = declaredSchema(path);
        for (const { url, cookie } of urls) {
          try {
            const body = await getJson(url, cookie);
            check(schema, body, `GET ${url}${cookie ? ' (signed in)' : ''}`);
            const extra: string[] = [];
            undeclaredFields({ $ref: `#/components/schemas/${z.globalRegistry.get(schema)!.id}` }, body, 'body', extra);
            if (extra.length)
              failures.push(
                `GET ${url}: served fields the contract does not declare: ${[...new Set(extra.map((e) => e.replace(/\.\d+\./g, '.*.')))].join(', ')}`,
              );
          } catch (error) {
            failures.push((error as Error).message);
          }
        }
      }
      expect(failures).toEqual([]);
    }, 180_000);

    it('fails when a served body does not match (a deliberately wrong schema is rejected)', async () => {
      const body = await getJson(samples.get('/api/grids')![1]!.url, planner);
      check(declaredSchema('/api/grids'), body, 'the right schema');
      const householdsAsText = featureCollection(MultiPolygon, GridProperties.extend({ households: z.string() }));
      expect(() => check(householdsAsText, body, 'GET /api/grids')).toThrow(/features\.0\.properties\.households/);
      const moreFields = featureCollection(MultiPolygon, GridProperties.extend({ area_m2: z.number() }));
      expect(() => check(moreFields, body, 'GET /api/grids')).toThrow(/area_m2/);
      // A field served but not declared is caught too.
      const grids = body as GridCollection;
      const extra = {
        ...grids,
        features: [{ ...grids.features[0]!, properties: { ...grids.features[0]!.properties, secret: 1 } }],
        also: true,
      };
      const found: string[] = [];
      undeclaredFields({ $ref: '#/components/schemas/GridCollection' }, extra, 'body', found);
      expect(found).toEqual(['body.features.0.properties.secret', 'body.also']);
    });
  });
}
