/**
 * Party organisations and party coverage over real HTTP, on each driver: a hand-made
 * community with known answers (built through the write API), the demo district, and
 * every refused write proven to change nothing.
 *
 *   y=2 +-----+-----+-----+      households   A 100  B 200  C 300
 *       |  D  |  E  |  F  |                   D 400  E 500  F 600
 *   y=1 +-----+-----+-----+      G1 = A B  (contiguous)     E: nobody (uncovered)
 *       |  A  |  B  |  C  |      G2 = A C  (2 pieces)       A, B: claimed twice
 *   y=0 +-----+-----+-----+      G3 = B D  (corner only: 2 pieces)
 *       0     1     2     3      BR = F + X (X: a grid of a second community, far east)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { PartyCoverageReport } from '../../common/contracts/party-coverage.ts';
import type { PartyOrg, PartyOrgArea } from '../../common/contracts/party.ts';
import type { ValidationReport } from '../../common/contracts/validation.ts';
import { DRIVERS } from '../helpers/db.ts';
import { squareGrid } from '../helpers/squares.ts';
import { httpClient } from '../helpers/http-client.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { sessionCookie } from '../helpers/session.ts';
import { loadFixture, type LoadedFixture, type ValidationFixture } from '../helpers/validation-fixtures.ts';
import { readDemoDataset } from '../../data/load.ts';

const demo = readDemoDataset().meta;
const square = (x: number, y: number) => squareGrid(x, y);
const fixture = (
  name: string,
  community: number[][][][],
  grids: Record<string, number[][][][]>,
): ValidationFixture => ({ name, description: name, unitMetres: 100, community, grids, buildings: [], expect: {} });
const SIX = fixture(
  'party-six',
  [
    [
      [
        [0, 0],
        [3, 0],
        [3, 2],
        [0, 2],
        [0, 0],
      ],
    ],
  ],
  {
    A: [square(0, 0)],
    B: [square(1, 0)],
    C: [square(2, 0)],
    D: [square(0, 1)],
    E: [square(1, 1)],
    F: [square(2, 1)],
  },
);
const ONE = fixture('party-one', [square(0, 0)], { X: [square(0, 0)] });
const HOUSEHOLDS = { A: 100, B: 200, C: 300, D: 400, E: 500, F: 600 } as const;

for (const driver of DRIVERS) {
  describe(`party organisations and coverage [${driver}]`, () => {
    let server: TestServer;
    let six: LoadedFixture;
    let one: LoadedFixture;
    const cookies: Record<string, string> = {};
    const g = (name: keyof typeof HOUSEHOLDS) => six.codes[name]!;
    const call = httpClient(() => server.url, cookies).request;
    const coverage = (region: string) =>
      call<PartyCoverageReport>('GET', `/api/coverage/party?region=${region}`, { as: 'planner' });
    const checksum = async () =>
      (
        await sql<{ sum: string }>`SELECT md5(
          (SELECT coalesce(string_agg(concat_ws('|', code, name, kind, parent_code, community_code, secretary_name, member_count), ',' ORDER BY code), '') FROM party_orgs)
          || '#' || (SELECT coalesce(string_agg(org_code || '>' || grid_code, ',' ORDER BY org_code, grid_code), '') FROM org_grids)) AS sum`.execute(
          server.database.db,
        )
      ).rows[0]!.sum;
    const org = (code: string, kind: string, parent: string | null, community = six.community) => ({
      code,
      name: `${code} 测试`,
      kind,
      parent_code: parent,
      community_code: community,
    });
    /** The test tree: a committee, a branch, three groups, and a committee in the second community. */
    const treeOrgs = () => [
      org('T-K', 'committee', null),
      org('T-BR', 'branch', 'T-K'),
      org('T-G1', 'group', 'T-BR'),
      org('T-G2', 'group', 'T-BR'),
      org('T-G3', 'group', 'T-BR'),
      org('T-K2', 'committee', null, one.community),
    ];
    const treeGrids = () =>
      [
        ['T-G1', [g('A'), g('B')]],
        ['T-G2', [g('A'), g('C')]],
        ['T-G3', [g('B'), g('D')]],
        ['T-BR', [g('F'), one.codes.X!]],
      ] as const;
    /**
     * Every test that reads or changes the tree starts from it as the tree test builds it, so no
     * test depends on another's writes (or their order). Through the API, so validation epochs move.
     */
    const clearTree = async () => {
      for (const code of ['T-G1', 'T-G2', 'T-G3', 'T-BR', 'T-K', 'T-K2']) {
        expect([204, 404], code).toContain((await call('DELETE', `/api/party-orgs/${code}`, { as: 'admin' })).status);
      }
    };
    const resetTree = async () => {
      await clearTree();
      for (const o of treeOrgs())
        expect((await call('POST', '/api/party-orgs', { as: 'admin', body: o })).status, o.code).toBe(201);
      for (const [code, grids] of treeGrids())
        expect(
          (await call('PUT', `/api/party-orgs/${code}/grids`, { as: 'admin', body: { grids } })).status,
          code,
        ).toBe(200);
      expect(
        (
          await call('PATCH', '/api/party-orgs/T-G1', {
            as: 'admin',
            body: { secretary_name: '王芳', member_count: 7 },
          })
        ).status,
      ).toBe(200);
    };

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      const db = server.database.db;
      six = await loadFixture(db, SIX, 0);
      one = await loadFixture(db, ONE, 1);
      // The loader gives every grid a branch; these tests build their own tree.
      await sql`DELETE FROM party_orgs WHERE community_code IN (${six.community}, ${one.community})`.execute(db);
      for (const [name, households] of Object.entries(HOUSEHOLDS)) {
        await sql`UPDATE grids SET households = ${households} WHERE code = ${six.codes[name]!}`.execute(db);
      }
      for (const username of ['admin', 'planner', 'editor-001', 'editor-003'])
        cookies[username] = await sessionCookie(server.url, username);
    });
    afterAll(async () => server?.close());

    it('the demo district: uncovered and doubly claimed grids are the ones the generator left', async () => {
      const { status, body } = await coverage(demo.districtCode);
      expect(status).toBe(200);
      expect(body.region).toEqual({ code: demo.districtCode, name: demo.districtName, level: 'district' });
      expect(body.regions).toHaveLength(1 + demo.counts.streets! + demo.counts.communities!);
      const [district] = body.regions;
      expect(district).toMatchObject({ grids: demo.counts.grids, households: demo.counts.households });
      expect(district!.uncovered).toBe(demo.uncoveredGrids.length);
      expect(district!.claimedTwice).toBe(demo.doubleClaimedGrids.length);
      expect(district!.covered).toBe(demo.counts.grids! - demo.uncoveredGrids.length);
      const communities = body.regions.filter((r) => r.level === 'community');
      expect(communities.reduce((s, r) => s + r.uncovered, 0)).toBe(district!.uncovered);
      expect(communities.reduce((s, r) => s + r.householdsCovered, 0)).toBe(district!.householdsCovered);
      const byStatus = (status: string) =>
        body.problemGrids.features
          .filter((f) => f.properties.status === status)
          .map((f) => f.properties.code)
          .sort();
      expect(byStatus('uncovered')).toEqual([...demo.uncoveredGrids].sort());
      expect(byStatus('claimed_twice')).toEqual([...demo.doubleClaimedGrids].sort());
      expect(body.orgIssues).toEqual([]);
    });

    it('coverage needs a signed-in user, a 12-digit region that exists', async () => {
      expect((await call('GET', `/api/coverage/party?region=${demo.districtCode}`)).status).toBe(401);
      for (const query of ['', 'region=12', 'region=abc']) {
        const res = await call('GET', `/api/coverage/party?${query}`, { as: 'planner' });
        expect(res.status, query).toBe(400);
        expect(res.body.error!.param).toBe('region');
      }
      expect((await coverage('999999999999')).status).toBe(404);
    });

    it('builds a community tree and assigns grids through the API', async () => {
      await clearTree();
      const admin = { as: 'admin' };
      for (const o of treeOrgs()) {
        const res = await call<PartyOrg>('POST', '/api/party-orgs', { ...admin, body: o });
        expect(res.status, o.code).toBe(201);
        expect(res.body).toMatchObject({ ...o, secretary_name: null, member_count: 0, grids: [] });
      }
      for (const [code, grids] of treeGrids()) {
        const res = await call<PartyOrg>('PUT', `/api/party-orgs/${code}/grids`, { ...admin, body: { grids } });
        expect(res.status, code).toBe(200);
        expect(res.body.grids).toEqual([...grids].sort());
      }
      const patched = await call<PartyOrg>('PATCH', '/api/party-orgs/T-G1', {
        ...admin,
        body: { secretary_name: '王芳', member_count: 7 },
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        code: 'T-G1',
        secretary_name: '王芳',
        member_count: 7,
        grids: [g('A'), g('B')],
      });
      // An editor writes in its own street (a demo community of street 001).
      const community = (
        await sql<{
          code: string;
        }>`SELECT code FROM regions WHERE parent_code = ${`${demo.districtCode.slice(0, 6)}001000`} ORDER BY code LIMIT 1`.execute(
          server.database.db,
        )
      ).rows[0]!.code;
      expect(
        (await call('POST', '/api/party-orgs', { as: 'editor-001', body: org('T-E1', 'committee', null, community) }))
          .status,
      ).toBe(201);
      expect((await call('DELETE', '/api/party-orgs/T-E1', { as: 'editor-001' })).status).toBe(204);
      // … and may build its branch on its own grids, not on another street's.
      const own = (
        await sql<{
          code: string;
        }>`SELECT code FROM grids WHERE community_code = ${community} ORDER BY code LIMIT 1`.execute(server.database.db)
      ).rows[0]!.code;
      expect(
        (
          await call('POST', '/api/party-orgs', {
            as: 'editor-001',
            body: org('T-E2', 'branch', `DW${community}`, community),
          })
        ).status,
      ).toBe(201);
      expect(
        (await call('PUT', '/api/party-orgs/T-E2/grids', { as: 'editor-001', body: { grids: [own, g('E')] } })).status,
      ).toBe(403);
      expect(
        (await call<PartyOrg>('PUT', '/api/party-orgs/T-E2/grids', { as: 'editor-001', body: { grids: [own] } })).body
          .grids,
      ).toEqual([own]);
      expect((await call('DELETE', '/api/party-orgs/T-E2', { as: 'editor-001' })).status).toBe(204);
      expect(
        (
          await sql<{ n: number }>`SELECT count(*)::int AS n FROM org_grids WHERE org_code = 'T-E2'`.execute(
            server.database.db,
          )
        ).rows[0]!.n,
      ).toBe(0);
    });

    it('the hand-made community: exact counts, households share, problem grids and organisation issues', async () => {
      await resetTree();
      const { status, body } = await coverage(six.district);
      expect(status).toBe(200);
      const expected = {
        grids: 6,
        covered: 5,
        uncovered: 1,
        claimedTwice: 2,
        households: 2100,
        householdsCovered: 1600,
        householdsShare: 1600 / 2100,
      };
      expect(body.regions.map((r) => [r.code, r.level])).toEqual([
        [six.district, 'district'],
        [`${six.district.slice(0, 6)}001000`, 'street'],
        [six.community, 'community'],
      ]);
      for (const row of body.regions) expect(row).toMatchObject(expected);
      expect(body.problemGrids.features.map((f) => f.properties)).toEqual([
        {
          code: g('A'),
          name: 'A',
          community_code: six.community,
          households: 100,
          party_orgs: ['T-G1', 'T-G2'],
          status: 'claimed_twice',
        },
        {
          code: g('B'),
          name: 'B',
          community_code: six.community,
          households: 200,
          party_orgs: ['T-G1', 'T-G3'],
          status: 'claimed_twice',
        },
        {
          code: g('E'),
          name: 'E',
          community_code: six.community,
          households: 500,
          party_orgs: [],
          status: 'uncovered',
        },
      ]);
      expect(body.problemGrids.features[0]!.geometry.type).toBe('MultiPolygon');
      expect(body.orgIssues.map((i) => [i.code, i.issue, i.pieces, i.grids, i.communities])).toEqual([
        ['T-BR', 'not_contiguous', 2, [g('F'), one.codes.X], [six.community, one.community]],
        ['T-BR', 'several_communities', 2, [g('F'), one.codes.X], [six.community, one.community]],
        ['T-G2', 'not_contiguous', 2, [g('A'), g('C')], [six.community]],
        // Touching at a corner only is not sharing an edge.
        ['T-G3', 'not_contiguous', 2, [g('B'), g('D')], [six.community]],
      ]);
      // The second community: its one grid is covered by a branch from elsewhere.
      const other = await coverage(one.district);
      expect(other.body.regions[0]).toMatchObject({
        grids: 1,
        covered: 1,
        uncovered: 0,
        claimedTwice: 0,
        households: 400,
        householdsShare: 1,
      });
      expect(other.body.orgIssues.map((i) => i.issue)).toEqual(['not_contiguous', 'several_communities']);
    });

    it("an organisation's area: its grids, their households and the union outline", async () => {
      await resetTree();
      expect((await call('GET', '/api/party-orgs/T-G1/area')).status).toBe(401);
      expect((await call('GET', '/api/party-orgs/NOPE/area', { as: 'planner' })).status).toBe(404);
      const area = async (code: string) => {
        const res = await call<PartyOrgArea>('GET', `/api/party-orgs/${code}/area`, { as: 'planner' });
        expect(res.status).toBe(200);
        const m2 = (
          await sql<{
            m2: number;
          }>`SELECT ST_Area(ST_GeomFromGeoJSON(${JSON.stringify(res.body.outline)})::geography)::float8 AS m2`.execute(
            server.database.db,
          )
        ).rows[0]!.m2;
        return { ...res.body, m2 };
      };
      const g1 = await area('T-G1');
      expect(g1.grids).toEqual([
        { code: g('A'), name: 'A', households: 100 },
        { code: g('B'), name: 'B', households: 200 },
      ]);
      expect(g1.households).toBe(300);
      expect(g1.outline!.coordinates).toHaveLength(1); // A ∪ B is one rectangle
      expect(g1.m2).toBeCloseTo(20_000, -1);
      const g2 = await area('T-G2');
      expect(g2.outline!.coordinates).toHaveLength(2);
      expect(g2.m2).toBeCloseTo(20_000, -1);
      const k = await call<PartyOrgArea>('GET', '/api/party-orgs/T-K/area', { as: 'planner' });
      expect(k.body).toMatchObject({ outline: null, grids: [], households: 0 });
    });

    it('refused writes answer 4xx naming the problem and change nothing', async () => {
      await resetTree();
      const before = await checksum();
      const refused: [string, string, { as?: string; body?: unknown }, number, string?][] = [
        ['POST', '/api/party-orgs', { as: 'admin', body: org('T-X', 'group', 'T-K') }, 400, 'parent_code'], // group under a committee
        ['POST', '/api/party-orgs', { as: 'admin', body: org('T-X', 'branch', 'T-K2') }, 400, 'parent_code'], // parent in another community
        ['POST', '/api/party-orgs', { as: 'admin', body: org('T-X', 'branch', null) }, 400, 'parent_code'],
        ['POST', '/api/party-orgs', { as: 'admin', body: org('T-X', 'group', 'T-MISSING') }, 400, 'parent_code'],
        [
          'POST',
          '/api/party-orgs',
          { as: 'admin', body: org('T-X', 'committee', null, demo.districtCode) },
          400,
          'community_code',
        ],
        [
          'POST',
          '/api/party-orgs',
          { as: 'admin', body: { ...org('T-X', 'committee', null), colour: 'red' } },
          400,
          'colour',
        ],
        [
          'POST',
          '/api/party-orgs',
          { as: 'admin', body: { ...org('T-X', 'committee', null), kind: 'cell' } },
          400,
          'kind',
        ],
        ['POST', '/api/party-orgs', { as: 'admin', body: org('T-G1', 'group', 'T-BR') }, 409],
        ['POST', '/api/party-orgs', { as: 'editor-003', body: org('T-X', 'committee', null) }, 403],
        ['POST', '/api/party-orgs', { as: 'planner', body: org('T-X', 'committee', null) }, 403],
        ['POST', '/api/party-orgs', { body: org('T-X', 'committee', null) }, 401],
        ['PUT', '/api/party-orgs/T-K/grids', { as: 'admin', body: { grids: [g('E')] } }, 409], // a committee on a grid
        [
          'PUT',
          '/api/party-orgs/T-G1/grids',
          { as: 'admin', body: { grids: [g('E'), '999999999999999'] } },
          400,
          'grids',
        ],
        ['PUT', '/api/party-orgs/T-G1/grids', { as: 'admin', body: { grids: [g('E'), g('E')] } }, 400, 'grids'],
        ['PUT', '/api/party-orgs/T-G1/grids', { as: 'admin', body: { grids: [g('E')], extra: 1 } }, 400, 'extra'],
        ['PUT', '/api/party-orgs/T-G1/grids', { as: 'editor-003', body: { grids: [g('E')] } }, 403],
        ['PUT', '/api/party-orgs/T-NOPE/grids', { as: 'admin', body: { grids: [] } }, 404],
        ['PATCH', '/api/party-orgs/T-G1', { as: 'admin', body: { code: 'T-Z' } }, 400, 'code'],
        ['PATCH', '/api/party-orgs/T-G1', { as: 'admin', body: {} }, 400],
        ['PATCH', '/api/party-orgs/T-G1', { as: 'admin', body: { kind: 'branch' } }, 400, 'parent_code'], // a branch under a branch
        ['PATCH', '/api/party-orgs/T-BR', { as: 'admin', body: { kind: 'general_branch', parent_code: null } }, 409], // it has grids
        ['PATCH', '/api/party-orgs/T-K', { as: 'admin', body: { community_code: one.community } }, 409], // its children stay behind
        ['PATCH', '/api/party-orgs/T-G1', { as: 'planner', body: { name: '改名' } }, 403],
        ['PATCH', '/api/party-orgs/T-NOPE', { as: 'admin', body: { name: '改名' } }, 404],
        ['DELETE', '/api/party-orgs/T-BR', { as: 'admin' }, 409], // groups below it
        ['DELETE', '/api/party-orgs/T-G1', { as: 'editor-003' }, 403],
        ['DELETE', '/api/party-orgs/T-G1', {}, 401],
        ['DELETE', '/api/party-orgs/T-NOPE', { as: 'admin' }, 404],
        ['DELETE', '/api/party-orgs/bad%20code', { as: 'admin' }, 400, 'code'],
      ];
      for (const [method, path, options, status, param] of refused) {
        const res = await call(method, path, options);
        const label = `${method} ${path} ${JSON.stringify(options)}`;
        expect(res.status, label).toBe(status);
        expect(res.body.error?.message, label).toBeTruthy();
        if (param) expect(res.body.error!.param, label).toBe(param);
      }
      expect(await checksum()).toBe(before);
    });

    it('an organisation an open draft will assign cannot be deleted until the draft is closed', async () => {
      await resetTree();
      const db = server.database.db;
      const street = `${six.district.slice(0, 6)}001000`;
      const { rows } = await sql<{ id: number }>`INSERT INTO drafts (street_code, title, created_by)
        SELECT ${street}, '测试', id FROM users WHERE username = 'admin' RETURNING id`.execute(db);
      const draft = rows[0]!.id;
      await sql`INSERT INTO draft_grids (draft_id, code, base_version, name, community_code, kind, households, party_orgs, geom)
        SELECT ${draft}, code, version, name, community_code, kind, households, ARRAY['T-G2'], geom FROM grids WHERE code = ${g('C')}`.execute(
        db,
      );
      const before = await checksum();
      const res = await call('DELETE', '/api/party-orgs/T-G2', { as: 'admin' });
      expect(res.status).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'in_open_draft' });
      expect(await checksum()).toBe(before);
      await sql`UPDATE drafts SET status = 'discarded' WHERE id = ${draft}`.execute(db);
    });

    it('writes bump the validation epochs: the party check follows assignments and deletions', async () => {
      await resetTree();
      const uncovered = async () => {
        const res = await call<ValidationReport>('GET', `/api/validation?region=${six.district}`, { as: 'planner' });
        expect(res.status).toBe(200);
        return res.body.summary.uncoveredByParty;
      };
      expect(await uncovered()).toBe(1); // E
      expect(
        (await call('PUT', '/api/party-orgs/T-G1/grids', { as: 'admin', body: { grids: [g('A'), g('B'), g('E')] } }))
          .status,
      ).toBe(200);
      expect(await uncovered()).toBe(0);
      // Deleting a group takes its grid assignments with it: D is left with nobody.
      expect((await call('DELETE', '/api/party-orgs/T-G3', { as: 'admin' })).status).toBe(204);
      expect(await uncovered()).toBe(1);
      const after = await coverage(six.district);
      expect(after.body.regions[0]).toMatchObject({
        covered: 5,
        uncovered: 1,
        claimedTwice: 1,
        householdsCovered: 1700,
      });
      expect(after.body.problemGrids.features.map((f) => [f.properties.code, f.properties.status])).toEqual([
        [g('A'), 'claimed_twice'],
        [g('D'), 'uncovered'],
      ]);
      expect((await call<PartyOrg[]>('GET', `/api/party-orgs?region=${six.community}`)).body).toMatchObject({
        party_orgs: ['T-BR', 'T-G1', 'T-G2', 'T-K'].map((code) => ({ code })),
      });
    });
  });
}
