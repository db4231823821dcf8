/** The write API of drafts (server/editing/editing.routes.ts), typed; If-Match sent where the server asks for it. */
import type { LineString, MultiPolygon, Polygon } from 'geojson';
import type {
  Draft,
  DraftDetail,
  DraftGridFeature,
  DraftGridState,
  HistoryEntry,
  PublishCheckResponse,
} from '../../common/contracts/drafts.ts';
import type { AttributesPatch, CreateGridBody, EditResponse, SplitPreview } from '../../common/contracts/editing.ts';
import type { ValidationPreview, ValidationPreviewRequest } from '../../common/contracts/validation.ts';
import { request } from '../api.ts';
import { ifMatchHeader } from './edit-logic.ts';

export type { DraftGridState };

/** A grid's attributes as a draft sees them; null assignments: as published. */
export type DraftGridAttributes = Pick<
  DraftGridFeature['properties'],
  | 'code'
  | 'name'
  | 'community_code'
  | 'kind'
  | 'households'
  | 'households_source'
  | 'baseVersion'
  | 'inDraft'
  | 'party_orgs'
  | 'workers'
  | 'etag'
>;

/** A history entry as the server sends it: `undone_by` names the changeset that undid it. */
export type HistoryRow = HistoryEntry;

const json = (method: string, body: unknown, etags?: readonly string[]): RequestInit => ({
  method,
  headers: { 'content-type': 'application/json', ...(etags ? { 'if-match': ifMatchHeader(etags) } : {}) },
  body: JSON.stringify(body),
});

const draftPath = (id: number, rest = '') => `/api/drafts/${id}${rest}`;
const gridPath = (id: number, code: string, rest = '') => draftPath(id, `/grids/${encodeURIComponent(code)}${rest}`);

export const editorApi = {
  createDraft: (street: string, title: string) => request<Draft>('/api/drafts', json('POST', { street, title })),
  openDrafts: async (street: string) =>
    (await request<{ drafts: Draft[] }>(`/api/drafts?street=${encodeURIComponent(street)}&status=open`)).drafts,
  discard: (id: number) => request<Draft>(draftPath(id, '/discard'), { method: 'POST' }),
  draft: (id: number) => request<DraftDetail>(draftPath(id)),
  async grid(id: number, code: string): Promise<DraftGridState> {
    const feature = await request<DraftGridFeature>(gridPath(id, code));
    const p = feature.properties;
    return {
      code: p.code,
      name: p.name,
      community_code: p.community_code,
      kind: p.kind,
      households: p.households,
      geometry: feature.geometry,
      etag: p.etag,
    };
  },
  attributes: async (id: number, code: string): Promise<DraftGridAttributes> =>
    (await request<DraftGridFeature>(gridPath(id, code))).properties,
  /** Change a grid's name, kind, households, party organisations or workers (only the fields given). */
  changeAttributes: (id: number, code: string, etag: string, patch: AttributesPatch, comment: string) =>
    request<EditResponse>(gridPath(id, code), json('PATCH', { ...patch, comment }, [etag])),
  check: (id: number) => request<PublishCheckResponse>(draftPath(id, '/check')),
  create: (id: number, body: CreateGridBody) => request<EditResponse>(draftPath(id, '/grids'), json('POST', body, [])),
  reshape: (id: number, code: string, etag: string, geometry: Polygon | MultiPolygon, comment: string) =>
    request<EditResponse>(gridPath(id, code), json('PATCH', { geometry, comment }, [etag])),
  /** Move the boundary `code` shares with `neighbour`: `code` takes the outline, the neighbour the rest. */
  boundary: (
    id: number,
    grid: { code: string; etag: string },
    neighbour: { code: string; etag: string },
    geometry: Polygon,
    comment: string,
  ) =>
    request<EditResponse>(
      gridPath(id, grid.code, '/boundary'),
      json('POST', { neighbour: neighbour.code, geometry, comment }, [grid.etag, neighbour.etag]),
    ),
  /** Split by a line; `partyOrgs`: the parts' organisations when the grid has none to pass on. */
  split: (id: number, code: string, etag: string, line: LineString, comment: string, partyOrgs?: string[]) =>
    request<EditResponse>(
      gridPath(id, code, '/split'),
      json('POST', { line, comment, ...(partyOrgs?.length ? { party_orgs: partyOrgs } : {}) }, [etag]),
    ),
  /** What a split by this line would give; nothing is written. */
  splitPreview: (id: number, code: string, line: LineString, signal?: AbortSignal) =>
    request<SplitPreview>(gridPath(id, code, '/split/preview'), { ...json('POST', { line }), signal }),
  merge: (id: number, grids: readonly { code: string; etag: string }[], comment: string) =>
    request<EditResponse>(
      draftPath(id, '/merge'),
      json(
        'POST',
        { codes: grids.map((g) => g.code), comment },
        grids.map((g) => g.etag),
      ),
    ),
  retire: (id: number, code: string, etag: string, comment: string) =>
    request<EditResponse>(gridPath(id, code, '/retire'), json('POST', { comment }, [etag])),
  undo: (id: number, changeset: number, comment: string) =>
    request<EditResponse>(draftPath(id, `/changesets/${changeset}/undo`), json('POST', { comment })),
  redo: (id: number, changeset: number, comment: string) =>
    request<EditResponse>(draftPath(id, `/changesets/${changeset}/redo`), json('POST', { comment })),
  history: async (street: string) =>
    (await request<{ history: HistoryRow[] }>(`/api/changesets?street=${encodeURIComponent(street)}`)).history,
  publish: (id: number, comment: string, override?: string) =>
    request<unknown>(draftPath(id, '/publish'), json('POST', { comment, override })),
  preview: (body: ValidationPreviewRequest, signal?: AbortSignal) =>
    request<ValidationPreview>('/api/validation/preview', { ...json('POST', body), signal }),
};
