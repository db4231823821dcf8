/**
 * Residents' station finder (issue 6): the public API. Nothing here carries household
 * counts or personal data; a worker's phone only when published as a service line
 * (common/rules/public-fields.ts).
 */
import { z } from 'zod';
import { count } from './fields.ts';
import { feature, MultiPolygon } from './geojson.ts';
import { StationKind } from './stations.ts';

/** Coordinate systems a resident's point may come in: GPS (WGS84), 高德/腾讯 (GCJ-02), 百度 (BD-09). */
export const PUBLIC_CRS = ['wgs84', 'gcj02', 'bd09'] as const;
export const PublicCrs = z.enum(PUBLIC_CRS);
export type PublicCrs = z.infer<typeof PublicCrs>;

/** GET /api/public/stations/:code: one station for a shareable link. */
export const PublicStationDetail = z
  .object({
    code: z.string(),
    name: z.string(),
    kind: StationKind,
    /** In the crs asked for (WGS84 by default). */
    lon: z.number(),
    lat: z.number(),
    address: z.string(),
    opening_hours: z.string(),
    /** Open at the time of the answer, in China time; null when the hours cannot be read. */
    openNow: z.boolean().nullable(),
    services: z.array(z.string()),
    /** The station's published service line (stations publish theirs), or null. */
    phone: z.string().nullable(),
  })
  .meta({ id: 'PublicStationDetail', description: 'A station as residents see it (published phone only)' });
export type PublicStationDetail = z.infer<typeof PublicStationDetail>;

/** A station as the server keeps it for the finder (WGS84; openNow is worked out per answer). */
export type StationRecord = Omit<PublicStationDetail, 'openNow'>;

export const PublicStation = PublicStationDetail.extend({
  /** Geodesic (WGS84 ellipsoid) distance from the point, metres. */
  distanceM: z.number(),
  /** Walking minutes at 1.2 m/s, rounded up. */
  walkMin: z.number(),
}).meta({ id: 'PublicStation', description: 'A station near a point, with its distance' });
export type PublicStation = z.infer<typeof PublicStation>;

const LonLat = z.object({ lon: z.number(), lat: z.number() });
const CodeName = z.object({ code: z.string(), name: z.string() });

export const PublicLocateResponse = z
  .object({
    /** The point as understood, in WGS84. */
    point: LonLat,
    crs: PublicCrs,
    grid: CodeName.nullable(),
    community: CodeName.nullable(),
    /** The grid's full-time worker (else part-time); the phone only when published (else null). */
    worker: z.object({ name: z.string(), phone: z.string().nullable() }).nullable(),
    /** The grid-level party organisation; null when none is built on the grid (暂未建立). */
    partyOrg: z.object({ name: z.string() }).nullable(),
    stations: z.array(PublicStation),
  })
  .meta({
    id: 'PublicLocateResponse',
    description:
      'The grid, community, worker (phone only when published), party organisation and the nearest stations of a point',
  });
export type PublicLocateResponse = z.infer<typeof PublicLocateResponse>;

export const PublicNearestResponse = z
  .object({ point: LonLat, crs: PublicCrs, stations: z.array(PublicStation) })
  .meta({ id: 'PublicNearestResponse' });
export type PublicNearestResponse = z.infer<typeof PublicNearestResponse>;

/**
 * What a search hit can be (the order is the kind weight: a street before a community before a
 * compound … when two names match equally well). 村 are communities (level community).
 */
export const SEARCH_KINDS = ['street', 'community', 'compound', 'road', 'grid', 'station', 'address'] as const;
export const SearchKind = z.enum(SEARCH_KINDS);
export type SearchKind = z.infer<typeof SearchKind>;

export const PublicSearchHit = z
  .object({
    type: SearchKind,
    /** The thing's code; for an address, the station's or building's code; for a road, R<id>. */
    code: z.string(),
    /** A grid's name carries its community (育才社区第1网格); an address is the 门牌 text. */
    name: z.string(),
    /** Where to centre the map (WGS84, or the crs asked for). */
    lon: z.number(),
    lat: z.number(),
    /** [west, south, east, north] to frame (WGS84 even when crs is given); null for a point. */
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]).nullable(),
    /** e.g. the community or street it lies in; for an address, the station or compound. */
    context: z.string(),
    /** How the query matched: exact, prefix (name or full pinyin), initials, substring. */
    match: z.enum(['exact', 'prefix', 'initials', 'substring']),
  })
  .meta({ id: 'PublicSearchHit' });
export type PublicSearchHit = z.infer<typeof PublicSearchHit>;
export const PublicSearchResponse = z.object({ q: z.string(), hits: z.array(PublicSearchHit) }).meta({
  id: 'PublicSearchResponse',
  description:
    'Streets, communities, compounds, roads, grids, stations and addresses by Chinese name, full pinyin or initials',
});
export type PublicSearchResponse = z.infer<typeof PublicSearchResponse>;

/** GET /api/public/communities/:code: a community (or village) and its grids, for the finder. */
export const PublicCommunityCard = z
  .object({
    code: z.string(),
    name: z.string(),
    street: z.string().nullable(),
    /** [west, south, east, north], WGS84. */
    bbox: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    /** The community's outline (WGS84), drawn on the finder's map. */
    geometry: MultiPolygon,
    grids: z.array(z.object({ code: z.string(), name: z.string() })),
  })
  .meta({ id: 'PublicCommunityCard', description: 'A community and its grids (names only, no figures)' });
export type PublicCommunityCard = z.infer<typeof PublicCommunityCard>;

/** GET /api/public/grids/:code: a grid's outline for the finder's map (WGS84; no figures). */
export const PublicGridOutline = feature(
  MultiPolygon,
  z.object({ code: z.string(), name: z.string(), community_code: z.string(), community_name: z.string() }),
).meta({
  id: 'PublicGridOutline',
  description: "A grid's outline, name and community; no figures",
});
export type PublicGridOutline = z.infer<typeof PublicGridOutline>;

/** GET /api/public/status: whether the in-process indexes of the finder are ready ({state: 'off'} when they are not used). */
export const PublicIndexStatus = z
  .union([
    z.object({
      state: z.enum(['building', 'ready']),
      version: z.string().nullable(),
      grids: count,
      stations: count,
      searchEntries: count,
      builtAt: z.string().nullable(),
      buildMs: z.number().nullable(),
    }),
    z.object({ state: z.literal('off') }),
  ])
  .meta({ id: 'PublicIndexStatus', description: 'Whether the in-process public indexes are ready' });
export type PublicIndexStatus = z.infer<typeof PublicIndexStatus>;

/**
 * GET /api/public/grids/:code/card: a grid's card without asking where the resident is (the
 * printed board's QR code opens /find?grid=CODE). `point` is a point inside the grid; the
 * stations are the nearest to it, with distances from it.
 */
export const PublicGridCard = PublicLocateResponse.extend({ grid: CodeName }).meta({
  id: 'PublicGridCard',
  description:
    "A grid's name, community, worker (phone masked unless published), party organisation and nearby stations",
});
export type PublicGridCard = z.infer<typeof PublicGridCard>;
