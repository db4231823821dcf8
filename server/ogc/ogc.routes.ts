/**
 * OGC API – Features at /ogc (issue 7): Part 1 core with GeoJSON and HTML, and Part 4
 * create/replace/delete for grids and stations. One route table; each handler parses,
 * calls the data layer and returns (the shape follows pg_featureserv and pygeoapi).
 * GIS clients (GDAL's OAPIF driver, QGIS) walk the `next` links and read numberMatched.
 */
import express, { Router, type Request, type Response } from 'express';
import { publicReads, type AppContext } from '../context.ts';
import { HttpError, notFound, unauthorized } from '../http/errors.ts';
import { OGC_COLLECTIONS, findCollection, type OgcCollection } from './ogc.collections.ts';
import { countMatchedUpTo, getItem, isFiltered, listItems } from './ogc.queries.ts';
import { CollectionStatsCache } from './ogc.stats.ts';
import { encodeCursor } from './ogc.cursor.ts';
import { checkPlainQuery, linkTo, parseFormat, parseItemsQuery, type OgcFormat } from './ogc.params.ts';
import {
  collectionHtml,
  collectionsHtml,
  conformanceHtml,
  itemHtml,
  itemsHtml,
  landingHtml,
  type Link,
} from './ogc.html.ts';
import { collectionSchema } from './ogc.schema.ts';
import { ogcWriteRoutes } from './ogc.writes.routes.ts';

const GEOJSON = 'application/geo+json';
const JSON_TYPE = 'application/json';
const SCHEMA_TYPE = 'application/schema+json';
const CRS84 = 'http://www.opengis.net/def/crs/OGC/1.3/CRS84';

export const CONFORMANCE = [
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/html',
  'http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30',
  'http://www.opengis.net/spec/ogcapi-features-4/1.0/conf/create-replace-delete',
];

type Lang = 'zh' | 'en';

function context(req: Request) {
  const format = parseFormat(req.query, (types) => req.accepts(types));
  const lang: Lang = req.query.lang === 'en' ? 'en' : 'zh';
  const base = `${req.protocol}://${req.get('host')}${req.baseUrl}`;
  return { format, lang, base };
}

/** self and alternate links for a document in JSON (of `jsonType`) and HTML. */
function selfLinks(
  base: string,
  path: string,
  format: OgcFormat,
  jsonType: string,
  query: Record<string, unknown> = {},
): Link[] {
  const json = { href: linkTo(base, path, query, { f: 'json' }), type: jsonType, title: 'JSON' };
  const html = { href: linkTo(base, path, query, { f: 'html' }), type: 'text/html', title: 'HTML' };
  return format === 'html'
    ? [
        { ...html, rel: 'self' },
        { ...json, rel: 'alternate' },
      ]
    : [
        { ...json, rel: 'self' },
        { ...html, rel: 'alternate' },
      ];
}

function send(res: Response, format: OgcFormat, jsonType: string, doc: unknown, html: () => string): void {
  // Signed-in and anonymous readers get different properties, JSON and HTML different bodies.
  res.vary('Cookie').vary('Accept');
  if (format === 'html') res.type('text/html; charset=utf-8').send(html());
  else res.type(jsonType).send(JSON.stringify(doc));
}

/** The collection asked for; a staff-only one (cases) refuses anonymous readers with a 401. */
function collectionOf(id: string | undefined, req: Request): OgcCollection {
  const c = findCollection(String(id));
  if (!c) throw notFound('collection', String(id));
  if (c.staffOnly && !req.user) throw unauthorized(`Sign in to read ${c.id}`);
  return c;
}

/** Where a GET reads: the replica for anonymous readers (DATABASE_READ_URL), the primary for signed-in ones (read-your-writes after a Part 4 write). */
const readsFor = (ctx: AppContext, req: Request) => publicReads(ctx, Boolean(req.user));

/**
 * numberMatched (optional in OGC API Features Part 1): without filters the exact count, kept
 * per data version (ogc.stats.ts); with a bbox, datetime or property filter the exact count
 * when at most EXACT_COUNT_CAP items match (counted with a read that stops there), omitted
 * past it. No page pays for a count(*) over the whole layer.
 */
export const EXACT_COUNT_CAP = 10_000;

async function collectionDoc(
  stats: CollectionStatsCache,
  c: OgcCollection,
  base: string,
  lang: Lang,
  format: OgcFormat,
) {
  const bbox = (await stats.get(c)).extent;
  return {
    id: c.id,
    title: c.title[lang],
    description: c.description[lang],
    itemType: 'feature',
    crs: [CRS84],
    extent: { spatial: { bbox: bbox ? [bbox] : [], crs: CRS84 } },
    links: [
      ...selfLinks(base, `/collections/${c.id}`, format, JSON_TYPE),
      {
        href: linkTo(base, `/collections/${c.id}/items`, {}, { f: 'json' }),
        rel: 'items',
        type: GEOJSON,
        title: c.title[lang],
      },
      {
        href: linkTo(base, `/collections/${c.id}/items`, {}, { f: 'html' }),
        rel: 'items',
        type: 'text/html',
        title: c.title[lang],
      },
      // GDAL (OAPIF) reads the field types here instead of guessing them from the first page,
      // where an anonymous reader's households are all null.
      { href: `${base}/collections/${c.id}/schema`, rel: 'describedBy', type: SCHEMA_TYPE, title: 'JSON Schema' },
    ],
  };
}

export function ogcRoutes(ctx: AppContext): Router {
  const router = Router();
  // Extents and counts follow what anonymous readers see (the replica when there is one).
  const stats = new CollectionStatsCache(publicReads(ctx));
  // Part 4 bodies come as application/geo+json; the app parses application/json already.
  router.use(express.json({ type: [GEOJSON], limit: '5mb' }));

  router.get('/', (req, res) => {
    checkPlainQuery(req.query);
    const { format, lang, base } = context(req);
    const doc = {
      title: lang === 'en' ? 'Wangge grid management – OGC API Features' : '网格化管理 OGC API – Features',
      description:
        lang === 'en'
          ? 'Grids, stations, regions, buildings and party organisations of Wangge, in WGS84 (CRS84).'
          : '网格、党群服务阵地、行政区划、楼栋和党组织（WGS84 / CRS84 坐标）。',
      links: [
        ...selfLinks(base, '', format, JSON_TYPE),
        {
          href: `${req.protocol}://${req.get('host')}/api/openapi.json`,
          rel: 'service-desc',
          type: 'application/vnd.oai.openapi+json;version=3.1',
          title: 'OpenAPI 3.1',
        },
        {
          href: `${req.protocol}://${req.get('host')}/api/docs`,
          rel: 'service-doc',
          type: 'text/html',
          title: '接口文档 API documentation',
        },
        {
          href: linkTo(base, '/conformance', {}, { f: 'json' }),
          rel: 'conformance',
          type: JSON_TYPE,
          title: '符合性 Conformance',
        },
        {
          href: linkTo(base, '/collections', {}, { f: 'json' }),
          rel: 'data',
          type: JSON_TYPE,
          title: '数据集合 Collections',
        },
      ],
    };
    send(res, format, JSON_TYPE, doc, () => landingHtml(doc));
  });

  router.get('/conformance', (req, res) => {
    checkPlainQuery(req.query);
    const { format } = context(req);
    const doc = { conformsTo: CONFORMANCE };
    send(res, format, JSON_TYPE, doc, () => conformanceHtml(doc));
  });

  router.get('/collections', async (req, res) => {
    checkPlainQuery(req.query);
    const { format, lang, base } = context(req);
    const readable = OGC_COLLECTIONS.filter((c) => !c.staffOnly || req.user);
    const collections = await Promise.all(readable.map((c) => collectionDoc(stats, c, base, lang, format)));
    const doc = { links: selfLinks(base, '/collections', format, JSON_TYPE), collections };
    send(res, format, JSON_TYPE, doc, () => collectionsHtml(collections));
  });

  router.get('/collections/:id', async (req, res) => {
    const c = collectionOf(req.params.id, req);
    checkPlainQuery(req.query);
    const { format, lang, base } = context(req);
    const doc = await collectionDoc(stats, c, base, lang, format);
    send(res, format, JSON_TYPE, doc, () => collectionHtml(doc));
  });

  router.get('/collections/:id/schema', (req, res) => {
    const c = collectionOf(req.params.id, req);
    checkPlainQuery(req.query);
    const { lang, base } = context(req);
    res.type(JSON_TYPE).send(JSON.stringify(collectionSchema(c, `${base}/collections/${c.id}/schema`, lang)));
  });

  router.get('/collections/:id/items', async (req, res) => {
    const c = collectionOf(req.params.id, req);
    const query = parseItemsQuery(req.query, c);
    const { format, lang, base } = context(req);
    const reader = { signedIn: Boolean(req.user) };
    const db = readsFor(ctx, req);
    const [page, numberMatched] = await Promise.all([
      listItems(db, c, query, reader),
      isFiltered(query) ? countMatchedUpTo(db, c, query, EXACT_COUNT_CAP) : stats.get(c).then((s) => s.count),
    ]);
    const { features } = page;
    const path = `/collections/${c.id}/items`;
    const links: Link[] = [
      ...selfLinks(base, path, format, GEOJSON, req.query),
      {
        href: linkTo(base, `/collections/${c.id}`, {}, { f: 'json' }),
        rel: 'collection',
        type: JSON_TYPE,
        title: c.title[lang],
      },
      { href: `${base}/collections/${c.id}/schema`, rel: 'describedBy', type: SCHEMA_TYPE, title: 'JSON Schema' },
    ];
    const pageType = format === 'html' ? 'text/html' : GEOJSON;
    const pageLink = (rel: 'next' | 'prev', changes: Record<string, string | undefined>) =>
      links.push({
        href: linkTo(base, path, req.query, {
          offset: undefined,
          cursor: undefined,
          ...changes,
          limit: String(query.limit),
        }),
        rel,
        type: pageType,
        title: rel,
      });
    const first = features[0]?.id;
    const last = features.at(-1)?.id;
    if (page.hasNext && last !== undefined)
      pageLink('next', { cursor: encodeCursor({ direction: 'after', key: last }) });
    if (page.hasPrev && query.cursor === undefined) {
      // An old offset link goes back by offset.
      pageLink('prev', { offset: String(Math.max(0, query.offset - query.limit)) });
    } else if (page.hasPrev) {
      // A keyset page goes back by a cursor before its first item (an empty page: to the start).
      pageLink('prev', first === undefined ? {} : { cursor: encodeCursor({ direction: 'before', key: first }) });
    }
    const doc = {
      type: 'FeatureCollection',
      features,
      ...(numberMatched === undefined ? {} : { numberMatched }),
      numberReturned: features.length,
      timeStamp: new Date().toISOString(),
      links,
    };
    const columns = c.properties.map((p) => ({ name: p.name, title: p.title[lang] }));
    send(res, format, GEOJSON, doc, () => itemsHtml(c.title[lang], c.id, columns, doc));
  });

  router.get('/collections/:id/items/:featureId', async (req, res) => {
    const c = collectionOf(req.params.id, req);
    checkPlainQuery(req.query);
    const { format, lang, base } = context(req);
    const found = await getItem(readsFor(ctx, req), c, req.params.featureId, { signedIn: Boolean(req.user) });
    if (!found) throw new HttpError(404, 'not_found', `${c.id} has no item "${req.params.featureId}"`);
    res.set('ETag', found.etag).vary('Cookie').vary('Accept');
    if (req.get('if-none-match') === found.etag) {
      res.status(304).end();
      return;
    }
    const path = `/collections/${c.id}/items/${encodeURIComponent(found.feature.id)}`;
    const links: Link[] = [
      ...selfLinks(base, path, format, GEOJSON),
      {
        href: linkTo(base, `/collections/${c.id}`, {}, { f: 'json' }),
        rel: 'collection',
        type: JSON_TYPE,
        title: c.title[lang],
      },
    ];
    const doc = { ...found.feature, links };
    const columns = c.properties.map((p) => ({ name: p.name, title: p.title[lang] }));
    send(res, format, GEOJSON, doc, () => itemHtml(c.title[lang], columns, found.feature, links));
  });

  router.use(ogcWriteRoutes(ctx));
  return router;
}
