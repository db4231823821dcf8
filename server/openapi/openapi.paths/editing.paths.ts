/** The write API of the grid editor: drafts per street, operations inside a draft, publish, history. */
import { z } from 'zod';
import {
  Draft,
  DraftBody,
  DraftDetail,
  DraftGridFeature,
  DraftList,
  History,
  PublishBody,
  PublishCheckResponse,
  PublishResponse,
} from '../../../common/contracts/drafts.ts';
import {
  CommentBody,
  CreateGridBody,
  EditResponse,
  GridChangeBody,
  MergeGridsBody,
  MoveBoundaryBody,
  SplitGridBody,
  SplitPreview,
  SplitPreviewBody,
} from '../../../common/contracts/editing.ts';
import {
  draftIdPath,
  fromZod,
  gridCodePath,
  ifMatchHeader,
  json,
  jsonBody,
  numberPath,
  op,
  queryParam,
  ref,
  REGION_CODE_SCHEMA,
  type OperationSpec,
  type Paths,
} from '../openapi.build.ts';

const changeset = numberPath('changeset', 'Changeset number');

/** An operation inside a draft: one transaction, If-Match naming the ETag of every grid it is based on. */
function edit(zh: string, en: string, body: z.ZodType, params = [draftIdPath], status = '200'): ReturnType<typeof op> {
  const spec: OperationSpec = {
    tag: 'editing',
    zh,
    en: `${en} One transaction; If-Match names the ETag of every grid the edit is based on (comma-separated).`,
    access: 'writer',
    params: [...params, ifMatchHeader(false)],
    body: jsonBody(fromZod(body)),
    ok: { [status]: json(ref(EditResponse)) },
    errors: [404, 409, 412, 428],
  };
  return op(spec);
}

export const editingPaths: Paths = {
  '/api/drafts': {
    get: op({
      tag: 'editing',
      zh: '街道的草稿列表',
      en: 'The drafts of a street, optionally by status.',
      access: 'user',
      params: [
        queryParam('street', 'Street code', REGION_CODE_SCHEMA, true),
        queryParam('status', 'open, published or discarded', { enum: ['open', 'published', 'discarded'] }),
      ],
      ok: { 200: json(ref(DraftList)) },
    }),
    post: op({
      tag: 'editing',
      zh: '新建草稿',
      en: 'Open a draft for a street: nothing on the published map changes until it is published.',
      access: 'writer',
      body: jsonBody(fromZod(DraftBody)),
      ok: { 201: json(ref(Draft), 'Created') },
      errors: [409],
    }),
  },
  '/api/drafts/{id}': {
    get: op({
      tag: 'editing',
      zh: '草稿详情',
      en: 'The draft and its grids, each with the ETag to edit it by.',
      access: 'user',
      params: [draftIdPath],
      ok: { 200: json(ref(DraftDetail)) },
      errors: [404],
    }),
  },
  '/api/drafts/{id}/discard': {
    post: op({
      tag: 'editing',
      zh: '放弃草稿',
      en: 'Give up a draft: nothing of it reaches the published map.',
      access: 'writer',
      params: [draftIdPath],
      ok: { 200: json(ref(Draft)) },
      errors: [404, 409],
    }),
  },
  '/api/drafts/{id}/check': {
    get: op({
      tag: 'editing',
      zh: '发布前检查',
      en: 'What publishing would do: conflicts with other drafts, gaps and overlaps created or removed, grids out of the household band.',
      access: 'writer',
      params: [draftIdPath],
      ok: { 200: json(ref(PublishCheckResponse)) },
      errors: [404, 409],
    }),
  },
  '/api/drafts/{id}/grids': {
    post: edit(
      '画网格（新建）',
      'Create a grid in a community (snapped to its neighbours within snapMetres).',
      CreateGridBody,
      [draftIdPath],
      '201',
    ),
  },
  '/api/drafts/{id}/grids/{code}': {
    get: op({
      tag: 'editing',
      zh: '草稿中的网格',
      en: 'A grid as this draft sees it, with its ETag.',
      access: 'user',
      params: [draftIdPath, gridCodePath],
      ok: { 200: json(ref(DraftGridFeature)) },
      errors: [404],
    }),
    patch: edit(
      '修改网格（形状或属性）',
      'Reshape a grid or change its name, kind, households, party organisations and workers.',
      GridChangeBody,
      [draftIdPath, gridCodePath],
    ),
  },
  '/api/drafts/{id}/grids/{code}/split': {
    post: edit(
      '按线拆分',
      'Split a grid by a line; households are divided by the buildings in each part.',
      SplitGridBody,
      [draftIdPath, gridCodePath],
    ),
  },
  '/api/drafts/{id}/grids/{code}/split/preview': {
    post: op({
      tag: 'editing',
      zh: '拆分预览（不写入）',
      en: "What a split by this line would give: each part's households (divided by its buildings) and the party organisations it would have. Nothing is written.",
      access: 'writer',
      params: [draftIdPath, gridCodePath],
      body: jsonBody(fromZod(SplitPreviewBody)),
      ok: { 200: json(ref(SplitPreview)) },
      errors: [404, 409],
    }),
  },
  '/api/drafts/{id}/grids/{code}/retire': {
    post: edit('删除网格', 'Retire a grid (removed when the draft is published).', CommentBody, [
      draftIdPath,
      gridCodePath,
    ]),
  },
  '/api/drafts/{id}/grids/{code}/boundary': {
    post: edit(
      '调整边界',
      'Move the boundary this grid shares with `neighbour`: both change together.',
      MoveBoundaryBody,
      [draftIdPath, gridCodePath],
    ),
  },
  '/api/drafts/{id}/merge': {
    post: edit('合并网格', 'Merge two or more neighbouring grids of one community.', MergeGridsBody),
  },
  '/api/drafts/{id}/changesets/{changeset}/undo': {
    post: edit(
      '撤销',
      'Undo one changeset of the draft (refused while a later change touches its grids).',
      CommentBody,
      [draftIdPath, changeset],
    ),
  },
  '/api/drafts/{id}/changesets/{changeset}/redo': {
    post: edit('重做', 'Redo an undone changeset (refused while a later change touches its grids).', CommentBody, [
      draftIdPath,
      changeset,
    ]),
  },
  '/api/drafts/{id}/publish': {
    post: op({
      tag: 'editing',
      zh: '发布草稿',
      en: 'Publish the draft in one transaction; refused (409) when it would create a gap or overlap (an admin may override with a reason) or another draft changed the same grids first.',
      access: 'writer',
      params: [draftIdPath],
      body: jsonBody(fromZod(PublishBody)),
      ok: { 200: json(ref(PublishResponse)) },
      errors: [404, 409],
    }),
  },
  '/api/grids/{code}/history': {
    get: op({
      tag: 'editing',
      zh: '网格变更历史',
      en: 'Every change to a grid: who, when, why, before and after.',
      access: 'user',
      params: [gridCodePath],
      ok: { 200: json(ref(History)) },
    }),
  },
  '/api/changesets': {
    get: op({
      tag: 'editing',
      zh: '街道变更历史',
      en: 'The changesets of a street, newest first.',
      access: 'user',
      params: [queryParam('street', 'Street code', REGION_CODE_SCHEMA, true)],
      ok: { 200: json(ref(History)) },
    }),
  },
};
