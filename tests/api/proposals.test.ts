/**
 * Grid proposals in a draft (智能划格, issue 19) over real HTTP on each driver: who may ask,
 * bad bodies (400, nothing written), and 采用 (apply) of a stored proposal — one changeset,
 * refused when stale or applied twice (nothing written), undone exactly, after which the
 * draft check finds no new problem and publish works. The apply path is tested on a proposal
 * made by hand (tests/helpers/hand-proposal.ts: a known answer, independent of the
 * algorithm); the whole path from POST …/proposals on a demo community in the last block.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Draft, DraftDetail, PublishCheckResponse } from '../../common/contracts/drafts.ts';
import { Proposal, ProposalApplied } from '../../common/contracts/proposals.ts';
import { DRIVERS, tablesChecksum } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { handPlace, storeHandProposal, type HandPlace } from '../helpers/hand-proposal.ts';

const STREET = '131002001000';
const EDITOR = 'editor-001';
const OTHER_EDITOR = 'editor-002';

for (const driver of DRIVERS) {
  describe(`grid proposals in a draft [${driver}]`, () => {
    let server: TestServer;
    let place: HandPlace;
    let editorId: number;
    const http = httpClient(() => server.url);
    const db = () => server.database.db;
    const checksum = () => tablesChecksum(db());

    const newDraft = async (title: string): Promise<Draft> => {
      const res = await http.post<Draft>('/api/drafts', { as: EDITOR, body: { street: STREET, title } });
      expect(res.status, res.text).toBe(201);
      return res.body;
    };
    /** The draft's own rows, exactly (geometry as EWKB), without the revision counter. */
    const draftState = async (draftId: number) =>
      (
        await sql<Record<string, unknown>>`
          SELECT code, base_version, retired, name, community_code, kind, households, households_source,
                 encode(ST_AsEWKB(geom), 'hex') AS ewkb, party_orgs, workers
          FROM draft_grids WHERE draft_id = ${draftId} ORDER BY code`.execute(db())
      ).rows;
    const etag = async (draftId: number, code: string) =>
      (await http.get(`/api/drafts/${draftId}/grids/${code}`, { as: EDITOR })).etag!;
    const apply = (draftId: number, pid: number, body: unknown = {}) =>
      http.post<ProposalApplied>(`/api/drafts/${draftId}/proposals/${pid}/apply`, { as: EDITOR, body });

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      await http.loginAll(['admin', 'planner', EDITOR, OTHER_EDITOR]);
      place = await handPlace(db(), STREET);
      editorId = (await sql<{ id: number }>`SELECT id FROM users WHERE username = ${EDITOR}`.execute(db())).rows[0]!.id;
    }, 180_000);
    afterAll(async () => server?.close());

    it('only a writer of the draft’s street may ask (anonymous 401, planner 403, another street’s editor 403); nothing written', async () => {
      const draft = await newDraft('roles');
      const body = { community: place.community, mode: 'rebalance' };
      const { id } = await storeHandProposal(db(), draft, place, editorId);
      const before = await checksum();
      const path = `/api/drafts/${draft.id}/proposals`;
      const cases: [string | undefined, string, number][] = [
        [undefined, path, 401],
        ['planner', path, 403],
        [OTHER_EDITOR, path, 403],
        [undefined, `${path}/${id}/apply`, 401],
        ['planner', `${path}/${id}/apply`, 403],
        [OTHER_EDITOR, `${path}/${id}/apply`, 403],
      ];
      for (const [as, url, status] of cases) {
        const res = await http.post(url, { as, body });
        expect(res.status, `${as ?? 'anonymous'} ${url}: ${res.text}`).toBe(status);
        expect(res.body.error?.code).toBe(status === 401 ? 'unauthorized' : 'forbidden');
      }
      expect((await http.get(`${path}/${id}`)).status).toBe(401);
      expect(await checksum()).toBe(before);
      // Reads are for any signed-in user (the planner checks proposals too).
      const read = await http.get<Proposal>(`${path}/${id}`, { as: 'planner' });
      expect(read.status).toBe(200);
      expect(read.body).toMatchObject({ id, draft: draft.id, applied: false, retired: [place.b, place.c] });
      expect((await http.get(`${path}/${id + 1000}`, { as: 'planner' })).status).toBe(404);
    });

    it('bad bodies are 400s naming the field, and write nothing', async () => {
      const draft = await newDraft('bad bodies');
      const before = await checksum();
      const path = `/api/drafts/${draft.id}/proposals`;
      const c = place.community;
      const cases: [unknown, string, RegExp][] = [
        [{ community: c, street: STREET }, 'community', /exactly one of community or street/],
        [{}, 'community', /exactly one of community or street/],
        [{ mode: 'fresh' }, 'community', /exactly one/],
        [{ community: '12' }, 'community', /12-digit community code/],
        [{ street: 'x31002001000' }, 'street', /12-digit street code/],
        [{ community: c, mode: 'shuffle' }, 'mode', /./],
        [{ community: c, seed: -1 }, 'seed', /./],
        [{ community: c, seed: 1.5 }, 'seed', /./],
        [{ community: c, seed: '1' }, 'seed', /./],
        [{ community: c, draft: 3 }, 'draft', /unknown field/],
        [{ community: STREET }, 'community', /is not a community/],
        [{ street: c }, 'street', /is not a street/],
      ];
      for (const [body, param, message] of cases) {
        const res = await http.post(path, { as: EDITOR, body });
        expect(res.status, `${JSON.stringify(body)}: ${res.text}`).toBe(400);
        expect(res.body.error?.param, JSON.stringify(body)).toBe(param);
        expect(res.body.error?.message, JSON.stringify(body)).toMatch(message);
      }
      // A community or street of another street: 422, as for repairs outside the draft's street.
      for (const body of [{ community: '131002002001' }, { street: '131002002000' }]) {
        const res = await http.post(path, { as: EDITOR, body });
        expect(res.status, res.text).toBe(422);
        expect(res.body.error?.code).toBe('other_street');
      }
      const apply = await http.post(`${path}/1/apply`, { as: EDITOR, body: { comment: '' } });
      expect(apply.status).toBe(400);
      expect(apply.body.error?.param).toBe('comment');
      expect((await http.post(`${path}/99999/apply`, { as: EDITOR, body: {} })).status).toBe(404);
      expect((await http.post(`${path}/x/apply`, { as: EDITOR, body: {} })).body.error?.param).toBe('pid');
      expect((await http.post('/api/drafts/99999/proposals', { as: EDITOR, body: { community: c } })).status).toBe(404);
      expect(await checksum()).toBe(before);
    });

    it('a closed draft takes no proposal and no apply (409 draft_closed, nothing written)', async () => {
      const draft = await newDraft('closed');
      const { id } = await storeHandProposal(db(), draft, place, editorId);
      expect((await http.post(`/api/drafts/${draft.id}/discard`, { as: EDITOR, body: {} })).status).toBe(200);
      const before = await checksum();
      const path = `/api/drafts/${draft.id}/proposals`;
      const propose = await http.post(path, { as: EDITOR, body: { community: place.community } });
      expect(propose.status, propose.text).toBe(409);
      expect(propose.body.error?.code).toBe('draft_closed');
      const applied = await apply(draft.id, id);
      expect(applied.status, applied.text).toBe(409);
      expect(applied.body.error?.code).toBe('draft_closed');
      expect(await checksum()).toBe(before);
    });

    it('apply writes one changeset (operation propose); a second apply is 409 and writes nothing; undo restores the draft exactly', async () => {
      const draft = await newDraft('apply and undo');
      // An edit first, so the draft holds its own row of A (the undo must put that row back, not drop it).
      const renamed = await http.patch(`/api/drafts/${draft.id}/grids/${place.a}`, {
        as: EDITOR,
        ifMatch: await etag(draft.id, place.a),
        body: { name: '改名后再建议', comment: 'before the proposal' },
      });
      expect(renamed.status, renamed.text).toBe(200);
      const stateBefore = await draftState(draft.id);
      const detailBefore = (await http.get<DraftDetail>(`/api/drafts/${draft.id}`, { as: EDITOR })).body;
      const { id } = await storeHandProposal(db(), draft, place, editorId);

      const res = await apply(draft.id, id, { comment: '采用手工建议' });
      expect(res.status, res.text).toBe(200);
      expect(ProposalApplied.safeParse(res.body).success).toBe(true);
      expect(res.body.retired).toEqual([place.b, place.c]);
      const byKey = new Map(res.body.grids.map((g) => [g.key, g.code]));
      expect(byKey.get(place.a)).toBe(place.a);
      const created = [byKey.get('new-1')!, byKey.get('new-2')!];
      for (const code of created) expect(code.slice(0, 12)).toBe(place.community);
      expect(new Set([...created, place.a, place.b, place.c]).size).toBe(5);

      const { rows: changesets } = await sql<{ id: number; operation: string; comment: string; codes: string[] }>`
        SELECT c.id, c.operation, c.comment, array_agg(g.code ORDER BY g.code) AS codes
        FROM changesets c JOIN changeset_grids g ON g.changeset_id = c.id
        WHERE c.draft_id = ${draft.id} GROUP BY c.id ORDER BY c.id`.execute(db());
      expect(changesets).toHaveLength(2);
      expect(changesets[1]).toMatchObject({ id: res.body.changeset, operation: 'propose', comment: '采用手工建议' });
      expect(changesets[1]!.codes).toEqual([place.a, place.b, place.c, ...created].sort());

      // A keeps its name (as the draft had it) and takes B's area; households follow the buildings.
      const detail = (await http.get<DraftDetail>(`/api/drafts/${draft.id}`, { as: EDITOR })).body;
      const feature = (code: string) => detail.grids.features.find((f) => f.properties.code === code)!;
      expect(feature(place.a).properties).toMatchObject({ name: '改名后再建议', state: 'changed' });
      expect(feature(place.b).properties.state).toBe('retired');
      expect(feature(place.c).properties.state).toBe('retired');
      for (const code of created)
        expect(feature(code).properties).toMatchObject({ state: 'new', name: /手工建议网格/ });
      const { rows: counts } = await sql<{ code: string; households: number; buildings: number }>`
        SELECT dg.code, dg.households, (SELECT coalesce(sum(b.households), 0)::int FROM buildings b
          WHERE ST_Intersects(dg.geom, ST_PointOnSurface(b.geom))) AS buildings
        FROM draft_grids dg WHERE dg.draft_id = ${draft.id} AND NOT dg.retired`.execute(db());
      for (const c of counts) expect(c.households, c.code).toBe(c.buildings);
      expect(counts.find((c) => c.code === place.a)!.households).toBeGreaterThan(0);

      const read = await http.get<Proposal>(`/api/drafts/${draft.id}/proposals/${id}`, { as: EDITOR });
      expect(read.body.applied).toBe(true);
      const stateApplied = await draftState(draft.id);

      const beforeSecond = await checksum();
      const again = await apply(draft.id, id);
      expect(again.status, again.text).toBe(409);
      expect(again.body.error?.code).toBe('already_applied');
      expect(await checksum()).toBe(beforeSecond);

      const undo = await http.post(`/api/drafts/${draft.id}/changesets/${res.body.changeset}/undo`, {
        as: EDITOR,
        body: { comment: 'undo the proposal' },
      });
      expect(undo.status, undo.text).toBe(200);
      expect(await draftState(draft.id)).toEqual(stateBefore);
      const detailAfter = (await http.get<DraftDetail>(`/api/drafts/${draft.id}`, { as: EDITOR })).body;
      const withoutTags = (d: DraftDetail) =>
        d.grids.features.map((f) => ({ ...f, properties: { ...f.properties, etag: undefined } }));
      expect(withoutTags(detailAfter)).toEqual(withoutTags(detailBefore));
      // …and redo puts the proposal back, exactly.
      const redo = await http.post(`/api/drafts/${draft.id}/changesets/${res.body.changeset}/redo`, {
        as: EDITOR,
        body: { comment: 'redo the proposal' },
      });
      expect(redo.status, redo.text).toBe(200);
      expect(await draftState(draft.id)).toEqual(stateApplied);
    });

    it('a proposal made before the draft changed is refused (409 draft_changed, in Chinese and English) and writes nothing', async () => {
      const draft = await newDraft('stale');
      const { id } = await storeHandProposal(db(), draft, place, editorId);
      const edit = await http.patch(`/api/drafts/${draft.id}/grids/${place.c}`, {
        as: EDITOR,
        ifMatch: await etag(draft.id, place.c),
        body: { name: '之后改名', comment: 'after the proposal' },
      });
      expect(edit.status, edit.text).toBe(200);
      const before = await checksum();
      const res = await apply(draft.id, id);
      expect(res.status, res.text).toBe(409);
      expect(res.body.error?.code).toBe('draft_changed');
      expect(res.body.error?.message).toMatch(/重新生成建议/);
      expect(res.body.error?.message).toMatch(/make the proposal again/);
      expect(await checksum()).toBe(before);
    });

    it('after apply the draft check finds no new gap or overlap, and the draft publishes', async () => {
      const draft = await newDraft('apply and publish');
      const { id, answer } = await storeHandProposal(db(), draft, place, editorId);
      const res = await apply(draft.id, id);
      expect(res.status, res.text).toBe(200);
      const check = await http.get<PublishCheckResponse>(`/api/drafts/${draft.id}/check`, { as: EDITOR });
      expect(check.status).toBe(200);
      expect(check.body.created).toEqual([]);
      expect(check.body.conflicts).toEqual([]);
      const published = await http.post(`/api/drafts/${draft.id}/publish`, {
        as: EDITOR,
        body: { comment: '发布智能划格' },
      });
      expect(published.status, published.text).toBe(200);
      const { rows } = await sql<{ code: string }>`
        SELECT code FROM grids WHERE community_code = ${place.community} ORDER BY code`.execute(db());
      const codes = rows.map((r) => r.code);
      expect(codes).toContain(place.a);
      expect(codes).not.toContain(place.b);
      expect(codes).not.toContain(place.c);
      for (const g of res.body.grids) expect(codes).toContain(g.code);
      expect(codes).toHaveLength(answer.grids.length);
      // Published: the next proposal is made from the new grids (the next test reads them).
      place = await handPlace(db(), STREET);
    });

    it('Idempotency-Key: a retried proposal or apply takes effect once and gets the first answer', async () => {
      const draft = await newDraft('idempotency');
      const count = async (table: 'proposals' | 'changesets') =>
        (
          await sql<{
            n: number;
          }>`SELECT count(*)::int AS n FROM ${sql.table(table)} WHERE draft_id = ${draft.id}`.execute(db())
        ).rows[0]!.n;
      const path = `/api/drafts/${draft.id}/proposals`;
      const body = { community: place.community, mode: 'rebalance' };
      const first = await http.post<Proposal>(path, { as: EDITOR, body, headers: { 'idempotency-key': 'propose-1' } });
      expect(first.status, first.text).toBe(200);
      const retry = await http.post<Proposal>(path, { as: EDITOR, body, headers: { 'idempotency-key': 'propose-1' } });
      expect(retry.status).toBe(200);
      expect(retry.headers.get('idempotent-replayed')).toBe('true');
      expect(retry.body).toEqual(first.body);
      expect(await count('proposals')).toBe(1);

      const { id } = await storeHandProposal(db(), draft, place, editorId);
      const headers = { 'idempotency-key': 'apply-1' };
      const applied = await http.post<ProposalApplied>(`${path}/${id}/apply`, { as: EDITOR, body: {}, headers });
      expect(applied.status, applied.text).toBe(200);
      const again = await http.post<ProposalApplied>(`${path}/${id}/apply`, { as: EDITOR, body: {}, headers });
      expect(again.status).toBe(200);
      expect(again.headers.get('idempotent-replayed')).toBe('true');
      expect(again.body).toEqual(applied.body);
      expect(await count('changesets')).toBe(1);
      // Without the key, a second apply is a new request: refused as already applied.
      expect((await apply(draft.id, id)).body.error?.code).toBe('already_applied');
    });

    it('the whole path on a demo community: POST a fresh proposal, GET it back, apply, check, publish', async () => {
      const draft = await newDraft('智能划格');
      const community = '131002001004';
      const before = (
        await sql<{ households: number }>`
          SELECT coalesce(sum(households), 0)::int AS households FROM grids WHERE community_code = ${community}`.execute(
          db(),
        )
      ).rows[0]!.households;
      const res = await http.post<Proposal>(`/api/drafts/${draft.id}/proposals`, {
        as: EDITOR,
        body: { community, mode: 'fresh', seed: 3 },
      });
      expect(res.status, res.text).toBe(200);
      expect(Proposal.safeParse(res.body).success).toBe(true);
      expect(res.body).toMatchObject({ draft: draft.id, applied: false, mode: 'fresh', seed: 3 });
      expect(res.body.scope).toMatchObject({ level: 'community', code: community });
      expect(res.body.summary.buildingsCut).toBe(0);
      const read = await http.get<Proposal>(`/api/drafts/${draft.id}/proposals/${res.body.id}`, { as: 'planner' });
      expect(read.body).toEqual(res.body);

      const applied = await apply(draft.id, res.body.id);
      expect(applied.status, applied.text).toBe(200);
      const live = res.body.grids.filter((g) => g.status === 'changed' || g.status === 'new');
      expect(applied.body.grids.map((g) => g.key).sort()).toEqual(live.map((g) => g.key).sort());
      expect(applied.body.retired).toEqual(res.body.retired);
      const check = await http.get<PublishCheckResponse>(`/api/drafts/${draft.id}/check`, { as: EDITOR });
      expect(check.body.created, JSON.stringify(check.body.created).slice(0, 500)).toEqual([]);
      const published = await http.post(`/api/drafts/${draft.id}/publish`, { as: EDITOR, body: { comment: '采用' } });
      expect(published.status, published.text).toBe(200);
      const { rows } = await sql<{ code: string; households: number }>`
        SELECT code, households FROM grids WHERE community_code = ${community} ORDER BY code`.execute(db());
      expect(rows).toHaveLength(res.body.grids.length);
      // Households are conserved, and each published grid holds what the proposal said it would.
      expect(rows.reduce((s, r) => s + r.households, 0)).toBe(before);
      const byCode = new Map(applied.body.grids.map((g) => [g.code, g.key]));
      for (const r of rows) {
        const key = byCode.get(r.code) ?? r.code;
        expect(r.households, r.code).toBe(res.body.grids.find((g) => g.key === key)!.households);
      }
    }, 120_000);
  });
}
