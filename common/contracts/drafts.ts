/** Drafts (issue 4): a street's unpublished changes, the grids as a draft sees them, publish and history. */
import { z } from 'zod';
import { REGION_CODE } from '../domain.ts';
import { featureCollection, feature, MultiPolygon } from './geojson.ts';
import { GridKind } from './grids.ts';
import { ProblemFeature } from './validation.ts';

export const HouseholdsSource = z.enum(['buildings', 'manual', 'area_estimate']);
export type HouseholdsSource = z.infer<typeof HouseholdsSource>;

export const Draft = z
  .object({
    id: z.number().int(),
    street_code: z.string(),
    title: z.string(),
    status: z.enum(['open', 'published', 'discarded']),
    created_by: z.number().int(),
    created_at: z.string(),
    published_at: z.string().nullable(),
    override_reason: z.string().nullable(),
  })
  .meta({ id: 'Draft', description: "A street's set of unpublished changes" });
export type Draft = z.infer<typeof Draft>;
export const DraftStatus = Draft.shape.status;

export const DraftList = z
  .object({ drafts: z.array(Draft) })
  .meta({ id: 'DraftList', description: 'The drafts of a street' });
export type DraftList = z.infer<typeof DraftList>;

/** What every view of a grid in a draft tells; `etag` is what If-Match must name to edit it further. */
const draftGrid = {
  code: z.string(),
  name: z.string(),
  community_code: z.string(),
  kind: GridKind,
  households: z.number().int(),
  households_source: HouseholdsSource,
  etag: z.string(),
};

/** A grid as a draft holds it. */
export const DraftGridProperties = z.object({
  ...draftGrid,
  /** new: created in the draft; changed: a published grid edited; retired: to be removed. */
  state: z.enum(['new', 'changed', 'retired']),
  base_version: z.number().int().nullable(),
});
export type DraftGridProperties = z.infer<typeof DraftGridProperties>;

export const DraftDetail = z
  .object({ draft: Draft, grids: featureCollection(MultiPolygon, DraftGridProperties) })
  .meta({ id: 'DraftDetail', description: 'The draft and its grids, each with the ETag to edit it by' });
export type DraftDetail = z.infer<typeof DraftDetail>;

/** A grid worker as a draft assigns them (full- or part-time; building heads stay as they are). */
export const WorkerAssignment = z.object({
  name: z.string(),
  phone: z.string(),
  role: z.enum(['full_time', 'part_time']),
  phone_public: z.boolean(),
});
export type WorkerAssignment = z.infer<typeof WorkerAssignment>;

/** GET /api/drafts/:id/grids/:code: one grid as the draft sees it (published, or the draft's own row). */
export const DraftGridFeature = feature(
  MultiPolygon,
  z.object({
    ...draftGrid,
    /** Published version (for a grid the draft has not touched). */
    version: z.number().int().nullable(),
    /** The draft and its revision there, when the draft holds its own row. */
    draftId: z.number().int().nullable(),
    revision: z.number().int().nullable(),
    inDraft: z.boolean(),
    /** Published version the draft row started from (null: new in the draft). */
    baseVersion: z.number().int().nullable(),
    retired: z.boolean(),
    /** The outline again (as in `geometry`). */
    geometry: MultiPolygon,
    /** Assignments the draft sets (null: as published). */
    party_orgs: z.array(z.string()).nullable(),
    workers: z.array(WorkerAssignment).nullable(),
  }),
).meta({ id: 'DraftGridFeature', description: 'A grid as this draft sees it, with its ETag' });
export type DraftGridFeature = z.infer<typeof DraftGridFeature>;

/** What the editor keeps of a grid it picked: its outline and the tag to edit it by. */
export type DraftGridState = Pick<
  DraftGridFeature['properties'],
  'code' | 'name' | 'community_code' | 'kind' | 'households' | 'etag'
> & { geometry: DraftGridFeature['geometry'] };

export const PublishCheckResponse = z
  .object({
    /** Grids another publish changed since this draft took them. */
    conflicts: z.array(z.string()),
    /** Gaps, overlaps and outside parts the draft would create. */
    created: z.array(ProblemFeature),
    /** Those it would remove. */
    removed: z.array(ProblemFeature),
    /** The draft's residential grids outside the household band (a warning; publishing is not refused). */
    outOfRange: z.array(z.object({ code: z.string(), households: z.number(), min: z.number(), max: z.number() })),
    grids: z.number().int(),
  })
  .meta({ id: 'PublishCheckResponse', description: 'What publishing would do' });
export type PublishCheckResponse = z.infer<typeof PublishCheckResponse>;

export const PublishResponse = PublishCheckResponse.extend({ changeset: z.number().int() }).meta({
  id: 'PublishResponse',
  description: 'The check, and the changeset that published the draft',
});
export type PublishResponse = z.infer<typeof PublishResponse>;

export const HistoryEntry = z.object({
  changeset: z.number().int(),
  draft_id: z.number().int(),
  /** The changeset that undid this one (null: in force). */
  undone_by: z.number().int().nullable(),
  street_code: z.string(),
  operation: z.enum([
    'create',
    'reshape',
    'boundary',
    'attributes',
    'split',
    'merge',
    'retire',
    'publish',
    'undo',
    'redo',
    'repair',
    'propose',
  ]),
  comment: z.string(),
  user: z.string(),
  created_at: z.string(),
  grids: z.array(z.object({ code: z.string(), before: z.unknown(), after: z.unknown() })),
});
export type HistoryEntry = z.infer<typeof HistoryEntry>;
export const History = z
  .object({ history: z.array(HistoryEntry) })
  .meta({ id: 'History', description: 'Who, when, why, before and after' });
export type History = z.infer<typeof History>;

// Request bodies.
export const comment = z.string().trim().min(1, 'say why (a comment is required)').max(2_000);
export const DraftBody = z
  .object({ street: z.string().regex(REGION_CODE), title: z.string().trim().min(1).max(200) })
  .strict();
export const PublishBody = z
  .object({ comment, override: z.string().trim().min(5, 'give the reason for overriding').max(2_000).optional() })
  .strict();
