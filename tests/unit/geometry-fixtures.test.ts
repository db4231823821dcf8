/**
 * Turf-style fixtures for the pure geometry of server/geo/: every file in
 * tests/fixtures/<op>/in/ is run through <op> and compared with the file of the same name in
 * out/. `REGEN=1 npm run test:unit` rewrites the out/ files from what the code answers now;
 * review their diff like code. A fixture may carry `expected` in its properties (a number
 * worked out by hand, with a tolerance, and `why`): that is checked too, so a regenerated
 * out/ file cannot quietly accept a wrong answer.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Feature, FeatureCollection, LineString, MultiPolygon, Polygon } from 'geojson';
import { describe, expect, it } from 'vitest';
import { matchEdges, ringSetFromPolygons } from '../../server/geo/match-edges.ts';
import { rewindRfc7946 } from '../../server/geo/rewind.ts';
import { trueWidthM } from '../../server/geo/true-width.ts';

const ROOT = join(import.meta.dirname, '..', 'fixtures');
const REGEN = process.env.REGEN === '1';

type Collection = FeatureCollection & Record<string, unknown>;
type Expected = { value: number; tolerance: number; why: string };

/** Each operation: GeoJSON in, GeoJSON out, and the hand-worked number (if any) to check. */
const OPERATIONS: Record<
  string,
  { run: (input: Collection) => Collection; checked?: (output: Collection) => number[] }
> = {
  /** Each polygon gets `trueWidthM`, to the millimetre. */
  'true-width': {
    run: (input) => ({
      ...input,
      features: input.features.map((f) => ({
        ...f,
        properties: { ...f.properties, trueWidthM: round(trueWidthM(f.geometry as Polygon | MultiPolygon), 3) },
      })),
    }),
    checked: (output) => output.features.map((f) => f.properties!.trueWidthM as number),
  },
  /** Each geometry rewound to RFC 7946 orientation (shells counter-clockwise, holes clockwise). */
  rewind: {
    run: (input) => ({
      ...input,
      features: input.features.map((f) => ({ ...f, geometry: rewindRfc7946(f.geometry) })),
    }),
  },
  /**
   * The feature with `role: community` against the `role: grid` features (named by `code`): the
   * answer is `tiled`, `suspects` and the residual edges as LineStrings with owner and weight.
   */
  'match-edges': {
    run: (input) => {
      const rings = (f: Feature) => {
        const g = f.geometry as Polygon | MultiPolygon;
        return g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
      };
      const community = input.features.find((f) => f.properties?.role === 'community')!;
      const grids = input.features.filter((f) => f.properties?.role === 'grid');
      const result = matchEdges(
        ringSetFromPolygons(community.properties!.code as string, rings(community)),
        grids.map((g) => ringSetFromPolygons(g.properties!.code as string, rings(g))),
      );
      const residual: Feature<LineString>[] = result.residual
        .map((e) => ({
          type: 'Feature' as const,
          properties: { owner: e.owner, weight: e.weight },
          geometry: { type: 'LineString' as const, coordinates: [e.from, e.to] },
        }))
        .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
      return {
        type: 'FeatureCollection',
        why: input.why,
        tiled: result.tiled,
        suspects: result.suspects,
        features: residual,
      };
    },
    checked: (output) => [output.features.length],
  },
};

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const read = (file: string) => JSON.parse(readFileSync(file, 'utf8')) as Collection;
const write = (file: string, value: unknown) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

for (const [op, { run, checked }] of Object.entries(OPERATIONS)) {
  describe(`${op} fixtures (tests/fixtures/${op}/)`, () => {
    const dir = join(ROOT, op);
    const names = readdirSync(join(dir, 'in'))
      .filter((n) => n.endsWith('.geojson'))
      .sort();
    it('has fixtures', () => expect(names.length).toBeGreaterThan(0));
    for (const name of names) {
      it(name, () => {
        const input = read(join(dir, 'in', name));
        const output = run(structuredClone(input));
        const outFile = join(dir, 'out', name);
        if (REGEN) {
          mkdirSync(join(dir, 'out'), { recursive: true });
          write(outFile, output);
        }
        expect(existsSync(outFile), `${outFile} is missing: run with REGEN=1 and check it`).toBe(true);
        expect(JSON.parse(JSON.stringify(output))).toEqual(read(outFile));
        const expected = input.expected as Expected[] | undefined;
        if (expected && checked) {
          const got = checked(output);
          expected.forEach((e, i) =>
            expect(Math.abs(got[i]! - e.value), `${name} #${i}: ${e.why}`).toBeLessThanOrEqual(e.tolerance),
          );
        }
      });
    }
  });
}
