/** Party coverage (issue 5): which grids the grid-level party organisations are built on. */
import { z } from 'zod';
import { count, named, share } from './fields.ts';
import { featureCollection, MultiPolygon } from './geojson.ts';
import { PartyOrgKind } from './grids.ts';
import { RegionLevel, RegionRef } from './regions.ts';

/** Party coverage of one region (district, street or community). */
export const PartyCoverageRow = z.object({
  ...named,
  level: RegionLevel,
  parent_code: z.string().nullable(),
  grids: count,
  /** Grids with at least one grid-level organisation (branch or group). */
  covered: count,
  /** Grids with none. */
  uncovered: count,
  /** Grids claimed by two or more grid-level organisations. */
  claimedTwice: count,
  households: z.number(),
  householdsCovered: z.number(),
  /** householdsCovered / households, 0–1 (1 when there are no households). */
  householdsShare: share,
});
export type PartyCoverageRow = z.infer<typeof PartyCoverageRow>;

/** A grid-level organisation whose grids do not form one connected area, or lie in several communities. */
export const PartyOrgIssue = z.object({
  ...named,
  kind: PartyOrgKind,
  community_code: z.string(),
  grids: z.array(z.string()),
  /** Number of connected pieces its grids form (grids sharing an edge are connected). */
  pieces: z.number().int(),
  /** Communities its grids lie in. */
  communities: z.array(z.string()),
  issue: z.enum(['not_contiguous', 'several_communities']),
});
export type PartyOrgIssue = z.infer<typeof PartyOrgIssue>;

export const PartyCoverageGridProperties = z.object({
  ...named,
  community_code: z.string(),
  households: z.number(),
  /** Grid-level organisations claiming the grid. */
  party_orgs: z.array(z.string()),
  status: z.enum(['uncovered', 'claimed_twice']),
});
export type PartyCoverageGridProperties = z.infer<typeof PartyCoverageGridProperties>;

export const PartyCoverageReport = z
  .object({
    region: RegionRef,
    /** The region first, then every region below it (depth first, by code). */
    regions: z.array(PartyCoverageRow),
    orgIssues: z.array(PartyOrgIssue),
    /** Uncovered and doubly claimed grids. */
    problemGrids: featureCollection(MultiPolygon, PartyCoverageGridProperties),
    tookMs: z.number(),
  })
  .meta({
    id: 'PartyCoverageReport',
    description: 'Party coverage of a region and every street and community below it',
  });
export type PartyCoverageReport = z.infer<typeof PartyCoverageReport>;
