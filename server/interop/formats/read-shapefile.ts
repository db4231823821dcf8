/**
 * Zipped Shapefiles: .shp (+ .shx) geometry via shpjs's parseShp with no projection, so the
 * coordinates stay as surveyed (rings rewound to RFC 7946 orientation, bbox dropped); .dbf attributes via our own reader (read-dbf.ts) for the
 * encoding; .prj → declaredCrs via readPrj. The files may sit in a folder inside the zip; a zip
 * holding several Shapefiles (ours, when a layer mixes geometry types) is read as one layer.
 */
import { parseShp } from 'shpjs';
import type { CrsName } from '../../../common/contracts/interop.ts';
import { readPrj } from '../../geo/crs.ts';
import { rewindRfc7946 } from '../../geo/rewind.ts';
import { invalidFile } from './errors.ts';
import { readDbf } from './read-dbf.ts';
import { safeUnzip, type ZipEntry } from './safe-unzip.ts';
import type { ParsedSource, ReadLimits, ReadOptions, SourceFeature } from './types.ts';

const PARTS = /\.(shp|shx|dbf|prj|cpg)$/i;

interface ShapefileParts {
  base: string;
  shp?: Uint8Array;
  dbf?: Uint8Array;
  prj?: Uint8Array;
  cpg?: Uint8Array;
}

function group(entries: ZipEntry[]): ShapefileParts[] {
  const byBase = new Map<string, ShapefileParts>();
  for (const { name, bytes } of entries) {
    const m = PARTS.exec(name);
    if (!m) continue;
    const base = name.slice(0, -m[0].length);
    const parts = byBase.get(base.toLowerCase()) ?? { base };
    const ext = m[1]!.toLowerCase() as 'shp' | 'shx' | 'dbf' | 'prj' | 'cpg';
    if (ext !== 'shx') parts[ext] = bytes;
    byBase.set(base.toLowerCase(), parts);
  }
  return [...byBase.values()].filter((p) => p.shp).sort((a, b) => a.base.localeCompare(b.base));
}

const latin = (b: Uint8Array) => new TextDecoder('utf-8').decode(b);

function readOne(parts: ShapefileParts, options: ReadOptions, warnings: string[]) {
  const label = parts.base.split('/').pop();
  let shapes;
  try {
    shapes = (parseShp(parts.shp!) as SourceFeature['geometry'][]).map((g) => (g ? rewindRfc7946(g) : null));
  } catch (error) {
    throw invalidFile(`"${label}.shp" cannot be read: ${(error as Error).message}`);
  }
  let declaredCrs: CrsName | undefined;
  if (!parts.prj) {
    warnings.push(`no .prj for "${label}": the coordinate system must be declared`);
  } else {
    const reading = readPrj(latin(parts.prj));
    declaredCrs = reading.crs;
    if (!declaredCrs)
      warnings.push(`the .prj of "${label}" is not recognised (${reading.reason}): declare the coordinate system`);
  }
  if (!parts.dbf) {
    warnings.push(`no .dbf for "${label}": the features have no attributes`);
    return {
      features: shapes.map((geometry) => ({ geometry, properties: {} })),
      columns: [] as string[],
      declaredCrs,
      encoding: undefined,
    };
  }
  const table = readDbf(parts.dbf, { override: options.encoding, cpg: parts.cpg ? latin(parts.cpg) : undefined });
  warnings.push(...table.warnings);
  if (table.rows.length !== shapes.length) {
    throw invalidFile(`"${label}.shp" has ${shapes.length} shapes but its .dbf has ${table.rows.length} records`);
  }
  const features: SourceFeature[] = [];
  let deleted = 0;
  table.rows.forEach((row, i) => {
    if (row) features.push({ geometry: shapes[i] ?? null, properties: row });
    else deleted++;
  });
  if (deleted) warnings.push(`${deleted} record(s) of "${label}" are marked deleted in the .dbf and were skipped`);
  return { features, columns: table.fields.map((f) => f.name), declaredCrs, encoding: table.encoding };
}

/** Reads a zipped Shapefile (or several in one zip) with the file's own coordinates. */
export function readShapefile(bytes: Uint8Array, options: ReadOptions & { limits: ReadLimits }): ParsedSource {
  const entries = safeUnzip(bytes, options.limits, (name) => PARTS.test(name));
  const sets = group(entries);
  if (sets.length === 0) {
    throw invalidFile(
      `The zip holds no .shp file${entries.length ? ` (found ${entries.map((e) => e.name).join(', ')})` : ''}`,
    );
  }
  const warnings: string[] = [];
  const read = sets.map((parts) => readOne(parts, options, warnings));
  const crsSet = new Set(read.map((r) => r.declaredCrs ?? ''));
  if (crsSet.size > 1) {
    throw invalidFile(
      `The zip's Shapefiles declare different coordinate systems (${[...crsSet].map((c) => c || 'none').join(', ')}): import them one by one`,
    );
  }
  if (sets.length > 1)
    warnings.push(`read ${sets.length} Shapefiles as one layer: ${sets.map((s) => s.base).join(', ')}`);
  const columns = [...new Set(read.flatMap((r) => r.columns))];
  const encodings = [...new Set(read.map((r) => r.encoding).filter((e): e is string => !!e))];
  const declaredCrs = read[0]!.declaredCrs;
  return {
    format: 'shapefile',
    features: read.flatMap((r) => r.features),
    columns,
    ...(declaredCrs ? { declaredCrs } : {}),
    ...(encodings.length ? { encoding: encodings.join(', ') } : {}),
    warnings: [...new Set(warnings)],
  };
}
