/**
 * A generated coverage as an office would send it: Shapefiles written by GDAL (ogr2ogr), read
 * back with the project's own reader (server/interop/formats) and reprojected from what the
 * .prj declares (server/geo/crs.ts). Two ways in: Gauss–Krüger metres (EPSG:4547) that Wangge
 * reprojects itself, and lon/lat that GDAL/PROJ reprojected (its own transverse Mercator, so
 * the doubles differ from proj4's: data the project did not shape).
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import type { FeatureCollection, MultiPolygon } from 'geojson';
import { readSource } from '../../server/interop/formats/read-source.ts';
import { reprojectGeometry, toWgs84 } from '../../server/geo/crs.ts';
import {
  COVERAGE_CRS,
  type Coverage,
  type CoverageGrid,
  type CoverageRegion,
} from '../../data/generator/coverage/index.ts';

export type ShapefileRoute = 'gk-metres' | 'gdal-lonlat';

/** ogr2ogr a GeoJSON layer (EPSG:4547 metres) to a zipped Shapefile, optionally reprojected by GDAL. */
function ogrToShapefileZip(
  dir: string,
  name: string,
  collection: FeatureCollection,
  route: ShapefileRoute,
): Uint8Array {
  const source = join(dir, `${name}.geojson`);
  writeFileSync(source, JSON.stringify(collection));
  const out = join(dir, name);
  const srs = route === 'gk-metres' ? ['-a_srs', COVERAGE_CRS] : ['-s_srs', COVERAGE_CRS, '-t_srs', 'EPSG:4326'];
  execFileSync('ogr2ogr', ['-f', 'ESRI Shapefile', '-lco', 'ENCODING=UTF-8', ...srs, `${out}.shp`, source], {
    stdio: 'pipe',
  });
  const files: Record<string, Uint8Array> = {};
  for (const file of readdirSync(dir))
    if (file.startsWith(`${name}.`) && !file.endsWith('.geojson')) files[file] = readFileSync(join(dir, file));
  return zipSync(files);
}

async function readBack(
  bytes: Uint8Array,
  filename: string,
): Promise<{ declared: string; rows: { properties: Record<string, unknown>; geom: MultiPolygon }[] }> {
  const parsed = await readSource(bytes, filename, 'shapefile', {
    limits: { maxFeatures: 1_000_000, maxVertices: 50_000_000, maxBytes: 1e9, maxUnzippedBytes: 4e9 },
  });
  if (!parsed.declaredCrs) throw new Error(`${filename}: no .prj read`);
  const transform = toWgs84(parsed.declaredCrs);
  const rows = parsed.features.map((f) => {
    const g = reprojectGeometry(f.geometry!, transform);
    const geom: MultiPolygon =
      g.type === 'Polygon' ? { type: 'MultiPolygon', coordinates: [g.coordinates] } : (g as MultiPolygon);
    return { properties: f.properties, geom };
  });
  return { declared: parsed.declaredCrs, rows };
}

/** Write the coverage's regions and grids with GDAL, read them back as the import would. */
export async function shapefileRoundTrip(
  coverage: Coverage,
  route: ShapefileRoute,
): Promise<{ regions: CoverageRegion[]; grids: CoverageGrid[]; declared: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'coverage-shp-'));
  try {
    const regions = ogrToShapefileZip(
      dir,
      'regions',
      {
        type: 'FeatureCollection',
        features: coverage.metric.regions.map((r) => ({
          type: 'Feature',
          properties: { code: r.code, name: r.name, level: r.level, parent: r.parent_code ?? '' },
          geometry: r.geom,
        })),
      },
      route,
    );
    const grids = ogrToShapefileZip(
      dir,
      'grids',
      {
        type: 'FeatureCollection',
        features: coverage.metric.grids.map((g) => ({
          type: 'Feature',
          properties: { code: g.code, name: g.name, community: g.community_code },
          geometry: g.geom,
        })),
      },
      route,
    );
    const regionRead = await readBack(regions, 'regions.zip');
    const gridRead = await readBack(grids, 'grids.zip');
    return {
      declared: [...new Set([regionRead.declared, gridRead.declared])],
      regions: regionRead.rows.map(({ properties: p, geom }) => ({
        code: String(p.code),
        name: String(p.name),
        level: String(p.level) as CoverageRegion['level'],
        parent_code: p.parent ? String(p.parent) : null,
        geom,
      })),
      grids: gridRead.rows.map(({ properties: p, geom }) => ({
        code: String(p.code),
        name: String(p.name),
        community_code: String(p.community),
        geom,
      })),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
