/**
 * Issue 8's bad inputs sent to every write route, on each driver: every answer is a 4xx JSON
 * error that names the problem, and no table changed (tablesChecksum before and after each
 * request). The cases are in tests/helpers/bad-inputs.ts, the routes in bad-input-routes.ts.
 * Mismatches are collected per case so one run lists every route that misbehaves.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS, tablesChecksum } from '../helpers/db.ts';
import { startTestServer, type TestServer } from '../helpers/test-server.ts';
import { badInputFixture, type Answer, type BadInputFixture } from '../helpers/bad-input-fixture.ts';
import { writeRoutes, withMember, type WriteRoute } from '../helpers/bad-input-routes.ts';
import {
  GEOMETRY_CASES,
  deeplyNested,
  millionVertexPolygon,
  polluted,
  type GeometryCase,
} from '../helpers/bad-inputs.ts';

/** What an answer must be: status, a JSON error with `code`, its message matching. */
interface Expect {
  status: number | number[];
  code?: string;
  message?: RegExp;
  param?: string;
}

for (const driver of DRIVERS) {
  describe(`bad input on every write route [${driver}]`, () => {
    let server: TestServer;
    let f: BadInputFixture;
    let routes: WriteRoute[];

    /** Send, check the answer and that nothing changed; returns a description of what is wrong, or null. */
    const probe = async (
      route: WriteRoute,
      label: string,
      request: () => Promise<Answer>,
      want: Expect,
    ): Promise<string | null> => {
      const before = await tablesChecksum(server.database.db);
      const started = performance.now();
      const answer = await request();
      const ms = performance.now() - started;
      const changed = (await tablesChecksum(server.database.db)) !== before;
      const statuses = Array.isArray(want.status) ? want.status : [want.status];
      const problems: string[] = [];
      if (!statuses.includes(answer.status)) problems.push(`status ${answer.status} (want ${statuses.join('/')})`);
      if (!answer.json?.error) problems.push('no JSON error');
      else {
        if (want.code && answer.json.error.code !== want.code)
          problems.push(`code ${answer.json.error.code} (want ${want.code})`);
        if (want.message && !want.message.test(answer.json.error.message))
          problems.push(`message does not match ${want.message}`);
        if (want.param && answer.json.error.param !== want.param)
          problems.push(`param ${answer.json.error.param} (want ${want.param})`);
      }
      if (changed) problems.push('THE DATABASE CHANGED');
      // Never a timeout: the slowest answer here (a 20 MB body) is refused in ~1 s on an idle machine.
      if (ms > 30_000) problems.push(`took ${Math.round(ms)} ms`);
      return problems.length ? `${route.name} ← ${label}: ${problems.join('; ')} — ${answer.text.slice(0, 300)}` : null;
    };

    beforeAll(async () => {
      server = await startTestServer({ driver, demo: true });
      f = await badInputFixture(server);
      routes = writeRoutes(server, f);
    }, 300_000);
    afterAll(async () => server?.close());

    describe('bodies, on every JSON write route', () => {
      const cases: { name: string; body: (r: WriteRoute) => string | undefined; want: (r: WriteRoute) => Expect }[] = [
        {
          name: 'malformed JSON',
          body: () => '{"comment": "x",',
          want: () => ({ status: 400, code: 'invalid_json', param: 'body' }),
        },
        {
          name: 'a body over the 5 MB limit (413 before parsing)',
          body: () => `{"comment":"${'x'.repeat(6 * 1024 * 1024)}"}`,
          want: () => ({ status: 413, code: 'too_large', param: 'body' }),
        },
        { name: 'nesting 2,000 deep', body: () => deeplyNested(2_000), want: () => ({ status: 400 }) },
        {
          name: 'a __proto__ key',
          body: (r) => (r.name.includes('login') ? undefined : withMember(r.valid, '"__proto__":{"polluted":"yes"}')),
          want: () => ({ status: 400, message: /__proto__/ }),
        },
        {
          name: 'a __proto__ key in GeoJSON properties',
          body: (r) =>
            JSON.stringify(r.valid).includes('"properties":{')
              ? JSON.stringify(r.valid).replace('"properties":{', '"properties":{"__proto__":{"polluted":"yes"},')
              : undefined,
          want: () => ({ status: 400, message: /properties\.__proto__/ }),
        },
        {
          name: 'a constructor key',
          body: (r) =>
            r.name.includes('login')
              ? undefined
              : withMember(r.valid, '"constructor":{"prototype":{"polluted":"yes"}}'),
          want: () => ({ status: 400, message: /constructor/ }),
        },
      ];
      for (const c of cases) {
        it(c.name, async () => {
          const wrong: string[] = [];
          for (const route of routes) {
            const body = c.body(route);
            if (body === undefined) continue;
            const problem = await probe(
              route,
              c.name,
              () => (body.length > 5e6 ? route.sendEarly(body) : route.send(body)),
              c.want(route),
            );
            if (problem) wrong.push(problem);
          }
          expect(wrong).toEqual([]);
          expect(polluted().polluted).toBeUndefined();
        });
      }

      it('server-owned fields (code, version, street, id…) are 400s naming the field', async () => {
        const wrong: string[] = [];
        for (const route of routes) {
          for (const [field, value] of Object.entries(route.owned)) {
            const text = withMember(route.valid, `${JSON.stringify(field)}:${JSON.stringify(value)}`);
            const problem = await probe(route, field, () => route.send(text), {
              status: 400,
              param: field,
              message: new RegExp(field),
            });
            if (problem) wrong.push(problem);
          }
        }
        expect(wrong).toEqual([]);
      });
    });

    describe('geometries, on every route that takes an outline', () => {
      const wanted = (route: WriteRoute, c: GeometryCase): Expect =>
        route.name.includes('preview') && c.topology
          ? { status: 200 }
          : { status: c.status, code: c.code, message: c.message };
      for (const c of GEOMETRY_CASES) {
        it(
          c.name,
          async () => {
            const wrong: string[] = [];
            const geometry = c.json(f.x, f.y, 0.0002);
            for (const route of routes.filter((r) => r.polygon)) {
              const text = route.polygon!(geometry);
              const want = wanted(route, c);
              if (want.status === 200) {
                // The preview reports an invalid candidate as a problem, with PostGIS's point.
                const answer = await route.send(text);
                const created = (
                  answer.json as { created?: { features: { properties: { type: string; point: [number, number] } }[] } }
                ).created;
                if (answer.status !== 200 || created?.features[0]?.properties.type !== 'invalid')
                  wrong.push(`${route.name}: ${answer.status} ${answer.text.slice(0, 200)}`);
                else if (c.point) {
                  const [px, py] = c.point(f.x, f.y, 0.0002);
                  const [ax, ay] = created.features[0]!.properties.point;
                  if (Math.abs(ax - px) > 1e-9 || Math.abs(ay - py) > 1e-9)
                    wrong.push(`${route.name}: point ${ax},${ay} (want ${px},${py})`);
                }
                continue;
              }
              const problem = await probe(route, c.name, () => route.send(text), want);
              if (problem) wrong.push(problem);
              else if (c.point) {
                const answer = await route.send(text);
                const at = (answer.json.error as { point?: [number, number] }).point;
                const [px, py] = c.point(f.x, f.y, 0.0002);
                if (!at || Math.abs(at[0] - px) > 1e-9 || Math.abs(at[1] - py) > 1e-9)
                  wrong.push(`${route.name}: no crossing point ${px},${py} in ${answer.text}`);
              }
            }
            expect(wrong).toEqual([]);
          },
          120_000,
        );
      }

      it('1,000,000 vertices is over the body limit: 413 before parsing, on every geometry route', async () => {
        const text = millionVertexPolygon(f.x, f.y, 0.0001);
        const wrong: string[] = [];
        for (const route of routes.filter((r) => r.polygon)) {
          const problem = await probe(route, '1e6 vertices', () => route.sendEarly(route.polygon!(text)), {
            status: 413,
            code: 'too_large',
          });
          if (problem) wrong.push(problem);
        }
        expect(wrong).toEqual([]);
      }, 120_000);

      it('lines (split, roads): out-of-range, Gauss–Krüger, swapped, 1e999 and string coordinates', async () => {
        const line = (coords: string) => `{"type":"LineString","coordinates":${coords}}`;
        const { x, y } = f;
        const cases: [string, string, RegExp][] = [
          ['latitude over 90', line(`[[${x},89.9],[${x},90.1]]`), /latitude/i],
          ['Gauss–Krüger metres', line('[[39500000,4370000],[39500100,4370100]]'), /EPSG:4527/],
          ['swapped lon/lat', line(`[[${y},${x}],[${y + 0.001},${x}]]`), /wrong order|swap/i],
          ['1e999', line(`[[${x},${y}],[1e999,${y}]]`), /finite|number/i],
          ['strings', line(`[["${x}","${y}"],["${x + 0.001}","${y}"]]`), /number/i],
        ];
        const wrong: string[] = [];
        for (const route of routes.filter((r) => r.line)) {
          for (const [name, geometry, message] of cases) {
            const problem = await probe(route, name, () => route.send(route.line!(geometry)), {
              status: 400,
              code: 'invalid_parameter',
              message,
            });
            if (problem) wrong.push(problem);
          }
        }
        expect(wrong).toEqual([]);
      });
    });
  });
}
