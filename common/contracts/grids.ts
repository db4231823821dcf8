/** Published community grids as the map reads them. */
import { z } from 'zod';
import { count } from './fields.ts';
import type { GridKind as Kind, PartyOrgKind as OrgKind, WorkerRole as Role } from '../domain.ts';
import { HOUSEHOLD_BANDS } from '../rules/household-band.ts';
import { feature, featureCollection, MultiPolygon } from './geojson.ts';

export const GridKind = z.enum(['residential', 'commercial', 'mixed'] satisfies Kind[]);
export const PartyOrgKind = z.enum(['committee', 'general_branch', 'branch', 'group'] satisfies OrgKind[]);
export const WorkerRole = z.enum(['full_time', 'part_time', 'building_head', 'unit_head'] satisfies Role[]);
const HouseholdBand = z.enum(HOUSEHOLD_BANDS);

export const GridProperties = z
  .object({
    code: z.string(),
    name: z.string(),
    community_code: z.string(),
    kind: GridKind,
    /** null for anonymous users. */
    households: z.number().int().nullable(),
    /** null for anonymous users. */
    population: z.number().int().nullable(),
    version: z.number().int(),
    /** The household band (reveals the household range): null for anonymous users. */
    band: HouseholdBand.nullable(),
    /** Codes of the grid-level party organisations built on this grid (empty: uncovered). */
    party_orgs: z.array(z.string()),
  })
  .meta({ id: 'GridProperties', description: 'A grid with its household figures (null for anonymous users)' });
export type GridProperties = z.infer<typeof GridProperties>;
export const GridFeature = feature(MultiPolygon, GridProperties);
export type GridFeature = z.infer<typeof GridFeature>;
export const GridCollection = featureCollection(MultiPolygon, GridProperties).meta({ id: 'GridCollection' });
export type GridCollection = z.infer<typeof GridCollection>;

export const GridWorkerPublic = z.object({
  name: z.string(),
  role: WorkerRole,
  /**
   * Published numbers in full; an unpublished one masked (138****5678) for signed-in users and
   * null for anonymous readers (common/rules/public-fields.ts).
   */
  phone: z.string().nullable(),
});
export type GridWorkerPublic = z.infer<typeof GridWorkerPublic>;

export const GridDetailProperties = GridProperties.extend({
  community_name: z.string(),
  street_code: z.string(),
  street_name: z.string(),
  area_m2: z.number(),
  building_count: count,
  party: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      kind: PartyOrgKind,
      /** null for anonymous readers. */
      secretary_name: z.string().nullable(),
    }),
  ),
  /** Anonymous readers get the grid workers (full- and part-time) only. */
  workers: z.array(GridWorkerPublic),
  updated_at: z.string(),
}).meta({
  id: 'GridDetailProperties',
  description:
    'The grid with its community, street, buildings, party organisations and workers (anonymous readers: grid workers with published phones only, no secretary)',
});
export type GridDetailProperties = z.infer<typeof GridDetailProperties>;
export const GridDetailFeature = feature(MultiPolygon, GridDetailProperties).meta({ id: 'GridDetailFeature' });
export type GridDetailFeature = z.infer<typeof GridDetailFeature>;
