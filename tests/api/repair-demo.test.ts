/**
 * THE DEMO (issue 15): the demo district's deliberate digitising errors (a vertex moved 3–5 m,
 * a gap or an overlap of ~690–850 m² each) are repaired by one batch repair per street in a
 * draft, after which every street's draft validates clean; discarding the drafts brings the
 * errors back, since nothing was published.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import type { Draft } from '../../common/contracts/drafts.ts';
import type { RepairResponse } from '../../common/contracts/repairs.ts';
import type { ValidationReport } from '../../common/contracts/validation.ts';
import { DRIVERS } from '../helpers/db.ts';
import { httpClient } from '../helpers/http-client.ts';
import { sessionCookie } from '../helpers/session.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';

for (const driver of DRIVERS) {
  describe(`the demo district repaired in drafts [${driver}]`, () => {
    let server: TestServer;
    let cookie = '';
    const call = async <T>(method: string, path: string, body?: unknown) => {
      const res = await httpClient(server.url).request<T>(method, path, {
        cookie,
        body,
        contentType: 'application/json',
      });
      return { status: res.status, body: res.body as T };
    };
    const errorsOf = (report: ValidationReport) =>
      report.problems.features
        .filter((p) => p.properties.severity === 'error')
        .map((p) => p.properties.id)
        .sort();

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      cookie = await sessionCookie(server.url, 'admin');
    });
    afterAll(async () => {
      await server?.close();
    });

    it('one batch repair (maxAreaM2 2000) per street leaves every draft with zero errors; after discard the deliberate errors are back', async () => {
      const {
        rows: [district],
      } = await sql<{
        code: string;
      }>`SELECT code FROM regions WHERE level = 'district' AND code LIKE '131002%'`.execute(server.database.db);
      const published = (await call<ValidationReport>('GET', `/api/validation?region=${district!.code}`)).body;
      const deliberate = published.problems.features.filter(
        (p) => p.properties.type === 'gap' || p.properties.type === 'overlap',
      );
      expect(deliberate.length).toBe(4);
      for (const p of deliberate) {
        expect(p.properties.areaM2).toBeGreaterThan(600);
        expect(p.properties.areaM2).toBeLessThan(900);
      }
      const errorsBefore = errorsOf(published);

      const { rows: streets } = await sql<{
        code: string;
      }>`SELECT code FROM regions WHERE level = 'street' AND parent_code = ${district!.code} ORDER BY code`.execute(
        server.database.db,
      );
      const repaired: string[] = [];
      const drafts: number[] = [];
      for (const { code: street } of streets) {
        const draft = (await call<Draft>('POST', '/api/drafts', { street, title: '批量修复' })).body;
        drafts.push(draft.id);
        const res = await call<RepairResponse>('POST', `/api/drafts/${draft.id}/repairs`, {
          region: street,
          maxAreaM2: 2000,
        });
        expect(res.status).toBe(200);
        expect(res.body.repairs.filter((r) => r.status !== 'repaired')).toEqual([]);
        repaired.push(...res.body.repairs.map((r) => r.problem));
        const check = (await call<ValidationReport>('GET', `/api/validation?draft=${draft.id}`)).body;
        expect(check.draft).toBe(draft.id);
        expect(errorsOf(check)).toEqual([]);
        const publishCheck = (
          await call<{ created: unknown[]; removed: { properties: { id: string } }[] }>(
            'GET',
            `/api/drafts/${draft.id}/check`,
          )
        ).body;
        expect(publishCheck.created).toEqual([]);
      }
      expect(repaired.sort()).toEqual(deliberate.map((p) => p.properties.id).sort());

      for (const id of drafts) expect((await call('POST', `/api/drafts/${id}/discard`, {})).status).toBe(200);
      const after = (await call<ValidationReport>('GET', `/api/validation?region=${district!.code}`)).body;
      expect(errorsOf(after)).toEqual(errorsBefore);
    });
  });
}
