/**
 * The write API: drafts per street, the operations inside a draft (each one transaction,
 * each naming what it was based on with If-Match), publish, and history.
 */
import { Router, type Request, type Response } from 'express';
import type { z } from 'zod';
import type { AppContext } from '../context.ts';
import {
  DraftBody,
  DraftStatus,
  PublishBody,
  type DraftDetail,
  type PublishCheckResponse,
} from '../../common/contracts/drafts.ts';
import {
  CommentBody,
  CreateGridBody,
  GridChangeBody,
  MergeGridsBody,
  MoveBoundaryBody,
  SplitGridBody,
  SplitPreviewBody,
  type EditResponse,
  type SplitPreview,
} from '../../common/contracts/editing.ts';
import { badRequest, notFound, unauthorized } from '../http/errors.ts';
import { parseBody, parseGridCode, parseIdParam, parseRegionCode } from '../http/params.ts';
import { lineGeometry, polygonalGeometry } from '../http/geojson.ts';
import { requireStreet, requireWriter, forbidden } from '../auth/permissions.ts';
import {
  createDraft,
  discardDraft,
  draftRows,
  getDraft,
  gridsInDraft,
  listDrafts,
  lockOpenDraft,
} from './drafts.queries.ts';
import {
  changeGrid,
  createGrid,
  mergeGrids,
  moveBoundary,
  retireGrid,
  splitGrid,
  type EditContext,
  type EditResult,
} from './operations.ts';
import { redoChangeset, undoChangeset } from './undo.ts';
import { previewSplit } from './split-preview.ts';
import { checkDraft, publishDraft } from './publish.ts';
import { history } from './history.queries.ts';
import { etagOf } from './etags.ts';
import { inTransaction } from '../db/transaction.ts';
import { regionHeader } from '../regions/regions.queries.ts';

// The bodies are declared in common/contracts/; the server judges their geometry more closely.
const CreateBody = CreateGridBody.extend({ geometry: polygonalGeometry });
const ChangeBody = GridChangeBody.extend({ geometry: polygonalGeometry.optional() });
const SplitBody = SplitGridBody.extend({ line: lineGeometry });
const PreviewSplitBody = SplitPreviewBody.extend({ line: lineGeometry });
const BoundaryBody = MoveBoundaryBody.extend({ geometry: polygonalGeometry });
const parseId = (value: unknown) => parseIdParam(value, 'id', 'a draft number');

export function editingRoutes({ db }: AppContext): Router {
  const router = Router();
  const context = (req: Request, commentText: string): EditContext => ({
    user: requireWriter(req),
    draftId: parseId(req.params.id),
    ifMatch: req.get('if-match'),
    comment: commentText,
  });
  const respond = async (draftId: number, result: { changeset: number; grids: string[] }): Promise<EditResponse> => {
    const states = await gridsInDraft(db, draftId, result.grids);
    return { changeset: result.changeset, grids: states.map((s) => ({ code: s.code, etag: etagOf(s) })) };
  };

  /** An edit in a draft: parse the body, run the operation, answer with the grids' new ETags. */
  const edit =
    <B extends { comment: string }>(
      schema: z.ZodType<B>,
      run: (ctx: EditContext, body: B, req: Request) => Promise<EditResult>,
      status = 200,
    ) =>
    async (req: Request, res: Response) => {
      const body = parseBody(schema, req.body);
      const ctx = context(req, body.comment);
      res.status(status).json(await respond(ctx.draftId, await run(ctx, body, req)));
    };

  // Who may write is checked before any body is judged: a stranger learns nothing from a 400.
  router.use('/drafts', (req, _res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') requireWriter(req);
    next();
  });

  router.post('/drafts', async (req, res) => {
    const user = requireWriter(req);
    const body = parseBody(DraftBody, req.body);
    const street = await regionHeader(db, body.street);
    if (!street || street.level !== 'street') throw badRequest('street', `street: ${body.street} is not a street`);
    requireStreet(user, body.street);
    // In inTransaction, so an Idempotency-Key is recorded with the draft it created.
    res.status(201).json(await inTransaction(db, (trx) => createDraft(trx, body.street, body.title, user.id)));
  });

  router.get('/drafts', async (req, res) => {
    if (!req.user) throw unauthorized();
    const street = parseRegionCode(req.query.street, 'street');
    if (!street) throw badRequest('street', 'street is required');
    const status = req.query.status === undefined ? undefined : DraftStatus.safeParse(req.query.status);
    if (status && !status.success) throw badRequest('status', 'status must be open, published or discarded');
    res.json({ drafts: await listDrafts(db, street, status?.data) });
  });

  /** Give up a draft: nothing of it reaches the published map. */
  router.post('/drafts/:id/discard', async (req, res) => {
    const user = requireWriter(req);
    const id = parseId(req.params.id);
    await inTransaction(db, async (trx) => {
      const draft = await lockOpenDraft(trx, id);
      requireStreet(user, draft.street_code);
      await discardDraft(trx, id);
    });
    res.json(await getDraft(db, id));
  });

  router.get('/drafts/:id', async (req, res) => {
    if (!req.user) throw unauthorized();
    const draft = await getDraft(db, parseId(req.params.id));
    if (!draft) throw notFound('draft', String(req.params.id));
    const rows = await draftRows(db, draft.id);
    const body: DraftDetail = {
      draft,
      grids: {
        type: 'FeatureCollection',
        features: rows.map((r) => ({
          type: 'Feature',
          id: r.code,
          geometry: r.geometry,
          properties: {
            code: r.code,
            name: r.name,
            community_code: r.community_code,
            kind: r.kind,
            households: r.households,
            households_source: r.households_source,
            state: r.retired ? 'retired' : r.baseVersion === null ? 'new' : 'changed',
            base_version: r.baseVersion,
            etag: etagOf(r),
          },
        })),
      },
    };
    res.json(body);
  });

  /** A grid as this draft sees it, with the ETag to edit it by. */
  router.get('/drafts/:id/grids/:code', async (req, res) => {
    if (!req.user) throw unauthorized();
    const code = parseGridCode(req.params.code);
    const [state] = await gridsInDraft(db, parseId(req.params.id), [code]);
    if (!state || state.retired) throw notFound('grid', code);
    res.set('ETag', etagOf(state)).json({
      type: 'Feature',
      id: code,
      geometry: state.geometry,
      properties: { ...state, ewkb: undefined, etag: etagOf(state) },
    });
  });

  router.get('/drafts/:id/check', async (req, res) => {
    const body: PublishCheckResponse = await checkDraft(db, requireWriter(req), parseId(req.params.id));
    res.json(body);
  });

  router.post(
    '/drafts/:id/grids',
    edit(CreateBody, (ctx, body) => createGrid(db, ctx, body), 201),
  );

  router.patch(
    '/drafts/:id/grids/:code',
    edit(ChangeBody, (ctx, body, req) => changeGrid(db, ctx, parseGridCode(req.params.code), body)),
  );

  router.post(
    '/drafts/:id/grids/:code/split',
    edit(SplitBody, (ctx, body, req) => splitGrid(db, ctx, parseGridCode(req.params.code), body.line, body.party_orgs)),
  );

  /** What a split by this line would give (each part's households and party organisations); nothing is written. */
  router.post('/drafts/:id/grids/:code/split/preview', async (req, res) => {
    const user = requireWriter(req);
    const body = parseBody(PreviewSplitBody, req.body);
    const preview: SplitPreview = await previewSplit(
      db,
      user,
      parseId(req.params.id),
      parseGridCode(req.params.code),
      body.line,
    );
    res.json(preview);
  });

  router.post(
    '/drafts/:id/grids/:code/retire',
    edit(CommentBody, (ctx, _body, req) => retireGrid(db, ctx, parseGridCode(req.params.code))),
  );

  /** Move the boundary this grid shares with `neighbour`: both change together. */
  router.post(
    '/drafts/:id/grids/:code/boundary',
    edit(BoundaryBody, (ctx, body, req) =>
      moveBoundary(db, ctx, parseGridCode(req.params.code), body.neighbour, body.geometry, body.snapMetres),
    ),
  );

  /** Undo one changeset of the draft, or redo an undone one (refused while a later change touches its grids). */
  for (const [action, run] of [
    ['undo', undoChangeset],
    ['redo', redoChangeset],
  ] as const) {
    router.post(
      `/drafts/:id/changesets/:changeset/${action}`,
      edit(CommentBody, (ctx, _body, req) => run(db, ctx, parseId(req.params.changeset))),
    );
  }

  router.post(
    '/drafts/:id/merge',
    edit(MergeGridsBody, (ctx, body) => mergeGrids(db, ctx, body.codes)),
  );

  router.post('/drafts/:id/publish', async (req, res) => {
    const body = parseBody(PublishBody, req.body);
    const user = requireWriter(req);
    if (body.override && user.role !== 'admin') throw forbidden('Only an admin may override');
    res.json(await publishDraft(db, user, parseId(req.params.id), body.comment, body.override));
  });

  router.get('/grids/:code/history', async (req, res) => {
    if (!req.user) throw unauthorized();
    res.json({ history: await history(db, { grid: parseGridCode(req.params.code) }) });
  });

  router.get('/changesets', async (req, res) => {
    if (!req.user) throw unauthorized();
    const street = parseRegionCode(req.query.street, 'street');
    if (!street) throw badRequest('street', 'street is required');
    res.json({ history: await history(db, { street }) });
  });

  return router;
}
