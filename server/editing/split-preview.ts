/**
 * What a split by the line drawn so far would give, written nowhere: each part's households
 * (divided as the split divides them) and the party organisations it would have. The editor
 * asks while the line is drawn, and warns before saving a part with no households or no
 * organisation. A line that does not cut the grid (yet) is an answer with no parts, not a 400.
 */
import type { Kysely } from 'kysely';
import type { LineString, MultiLineString } from 'geojson';
import type { DB } from '../db/schema.ts';
import type { SplitPreview } from '../../common/contracts/editing.ts';
import { HttpError, notFound } from '../http/errors.ts';
import { forbidden, requireStreet, type AuthUser } from '../auth/permissions.ts';
import { inStreet } from '../../common/rules/region-codes.ts';
import { getDraft, gridsInDraft, type GridInDraft } from './drafts.queries.ts';
import { publishedPartyOrgs, splitMergeSteps } from './publish.queries.ts';
import { ancestry } from './lineage.ts';
import { planSplit } from './operations.ts';

/** The organisations a grid passes on: the draft's own, else the published grid's or its ancestors' (as publish does). */
async function partyOrgsOf(db: Kysely<DB>, draftId: number, grid: GridInDraft): Promise<string[]> {
  if (grid.party_orgs) return grid.party_orgs;
  if (grid.baseVersion !== null) return publishedPartyOrgs(db, [grid.code]);
  const ancestors = ancestry(await splitMergeSteps(db, draftId)).get(grid.code);
  return publishedPartyOrgs(db, [...(ancestors ?? [])]);
}

export async function previewSplit(
  db: Kysely<DB>,
  user: AuthUser,
  draftId: number,
  code: string,
  line: LineString | MultiLineString,
): Promise<SplitPreview> {
  const draft = await getDraft(db, draftId);
  if (!draft) throw notFound('draft', String(draftId));
  requireStreet(user, draft.street_code);
  if (draft.status !== 'open')
    throw new HttpError(409, 'draft_closed', `Draft ${draftId} is ${draft.status}; start a new draft`);
  const [grid] = await gridsInDraft(db, draftId, [code]);
  if (!grid || grid.retired) throw notFound('grid', code);
  if (!inStreet(grid.community_code, draft.street_code))
    throw forbidden(`Grid ${code} is not in street ${draft.street_code} of this draft`);
  const head = {
    code: grid.code,
    name: grid.name,
    community_code: grid.community_code,
    kind: grid.kind,
    households: grid.households,
  };
  let plan: Awaited<ReturnType<typeof planSplit>>;
  try {
    plan = await planSplit(db, grid, line);
  } catch (error) {
    // A line drawn halfway is the normal state of a preview, not a bad request.
    if (error instanceof HttpError && error.status === 400 && error.param === 'line')
      return { ...head, cuts: false, reason: error.message, parts: [] };
    throw error;
  }
  const { parts, source } = plan;
  const partyOrgs = await partyOrgsOf(db, draftId, grid);
  return {
    ...head,
    cuts: true,
    reason: null,
    parts: parts.map((p) => ({
      households: p.households,
      households_source: source,
      buildings: p.buildings,
      areaM2: p.areaM2,
      party_orgs: partyOrgs,
    })),
  };
}
