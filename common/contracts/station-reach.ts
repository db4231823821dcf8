/** Station reach (issue 5): households within walking reach of the service stations, and new sites. */
import { z } from 'zod';
import { named, share } from './fields.ts';
import { REGION_CODE } from '../domain.ts';
import { featureCollection, PolygonOrMulti } from './geojson.ts';
import { RegionRef } from './regions.ts';
import { StationKind } from './stations.ts';

const method = z.enum(['network', 'straight_line']);

/** Query of GET /api/coverage/stations (parsed from the query string by the server). */
export interface StationReachQuery {
  region: string;
  /** Travel time, minutes (default 3). */
  minutes?: number;
  /** Walking speed, m/s (default 1.2). */
  speed?: number;
  /** Station kinds counted (default all). */
  kinds?: z.infer<typeof StationKind>[];
}

export const StationReachRow = z.object({
  ...named,
  households: z.number(),
  householdsReached: z.number(),
  /** householdsReached / households, 0–1 (1 when there are no households). */
  share,
});
export type StationReachRow = z.infer<typeof StationReachRow>;

export const StationReachStation = z.object({
  ...named,
  kind: StationKind,
  lon: z.number(),
  lat: z.number(),
  /** Households this station reaches. */
  households: z.number(),
  /** Households no other counted station of a comparable kind reaches (STATION_TIERS in common/rules/station-kinds.ts). */
  householdsOnlyHere: z.number(),
});
export type StationReachStation = z.infer<typeof StationReachStation>;

export const StationReachReport = z
  .object({
    region: RegionRef,
    minutes: z.number(),
    speed: z.number(),
    /** minutes × 60 × speed, metres. */
    reachM: z.number(),
    kinds: z.array(StationKind),
    /** network: walking distance along the loaded road layer; straight_line: geodesic distance. */
    method,
    households: z.number(),
    householdsReached: z.number(),
    share,
    communities: z.array(StationReachRow),
    grids: z.array(StationReachRow),
    /** Every counted station in or near the region, with what it reaches. */
    stations: z.array(StationReachStation),
    /** Codes of stations that reach no household no other station reaches. */
    redundant: z.array(z.string()),
    /** The parts of the region no counted station reaches, with the households inside. */
    unreached: featureCollection(
      PolygonOrMulti,
      z.object({
        community_code: z.string(),
        /** The community's name, for people to read. */
        community_name: z.string(),
        households: z.number(),
        buildings: z.number(),
        areaM2: z.number(),
      }),
    ),
    tookMs: z.number(),
  })
  .meta({
    id: 'StationReachReport',
    description:
      'Households within reach of the stations, per community and grid, the unreached areas and the redundant stations',
  });
export type StationReachReport = z.infer<typeof StationReachReport>;

/** Body of POST /api/coverage/stations/suggest. */
export const StationSuggestRequest = z
  .object({
    region: z.string().regex(REGION_CODE, 'must be a 12-digit region code'),
    minutes: z.number().gt(0).max(60).optional(),
    speed: z.number().gt(0).max(10).optional(),
    kinds: z.array(StationKind).optional(),
    /** How many new stations to place (1–50). */
    k: z.number().int().min(1).max(50),
    /** Where a new station may go: building points (default) or a lattice of points `spacingM` apart. */
    candidates: z.enum(['buildings', 'lattice']).optional(),
    spacingM: z.number().min(50).max(2000).optional(),
  })
  .strict();
export type StationSuggestRequest = z.infer<typeof StationSuggestRequest>;

export const StationSuggestion = z.object({
  rank: z.number().int(),
  lon: z.number(),
  lat: z.number(),
  /** Households this site adds, counting the sites ranked before it. */
  gain: z.number(),
  /** Share reached once this and every site before it are built. */
  shareAfter: share,
  /** The grid it falls in (null outside every grid). */
  grid_code: z.string().nullable(),
  /** That grid's name (null outside every grid). */
  grid_name: z.string().nullable(),
});
export type StationSuggestion = z.infer<typeof StationSuggestion>;

export const StationSuggestResponse = z
  .object({
    method,
    reachM: z.number(),
    candidates: z.number().int(),
    before: z.object({ householdsReached: z.number(), share }),
    suggestions: z.array(StationSuggestion),
    tookMs: z.number(),
  })
  .meta({ id: 'StationSuggestResponse', description: 'New sites chosen greedily by the households each adds' });
export type StationSuggestResponse = z.infer<typeof StationSuggestResponse>;
