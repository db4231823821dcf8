/**
 * The contract between file formats and the import/export service. Readers turn bytes into
 * features with the file's own coordinates and attributes; the service maps columns to the
 * layer's fields, reprojects (server/geo/crs.ts), checks and writes. Writers do the reverse.
 * Readers and writers know nothing about layers, users or the database.
 */
import type { Feature, Geometry } from 'geojson';
import type { CrsName } from '../../../common/contracts/interop.ts';
import type { ImportFormat, ExportFormat } from '../../../common/rules/interop-layers.ts';

export interface SourceFeature {
  /** As in the file (not yet reprojected); null for attribute-only rows (CSV without geometry, xlsx). */
  geometry: Geometry | null;
  properties: Record<string, unknown>;
}

export interface ParsedSource {
  format: ImportFormat;
  features: SourceFeature[];
  /** Column names in file order (the union over features for GeoJSON/KML). */
  columns: string[];
  /** What the file itself declares: the .prj of a Shapefile, a GeoJSON `crs` member; KML is always WGS84. */
  declaredCrs?: CrsName;
  /** The text encoding used for attributes (Shapefile: .cpg, the .dbf language byte, or the override). */
  encoding?: string;
  warnings: string[];
}

export interface ReadOptions {
  /** Override for attribute text: 'utf-8', 'gbk', 'gb18030', 'big5', … */
  encoding?: string;
  /** CSV: the columns holding the point (defaults: lon/lng/longitude/x/经度, lat/latitude/y/纬度) or WKT (wkt/geometry/geom). */
  csv?: { lon?: string; lat?: string; wkt?: string };
  /** Limits (defaults in limits.ts); exceeding one is an HttpError 413. */
  limits?: Partial<ReadLimits>;
}

export interface ReadLimits {
  /** Compressed upload size. */
  maxBytes: number;
  /** Total uncompressed bytes across an archive's entries. */
  maxUnzippedBytes: number;
  /** Uncompressed/compressed ratio beyond which an entry is a bomb. */
  maxRatio: number;
  maxEntries: number;
  maxFeatures: number;
  maxVertices: number;
}

/** Read a file (its bytes and its name; the format from `format` or the name). Throws HttpError 400/413 naming the problem. */
export type ReadSource = (
  bytes: Uint8Array,
  filename: string,
  format?: ImportFormat,
  options?: ReadOptions,
) => Promise<ParsedSource>;

export interface WriteOptions {
  /** The output's coordinate system (default EPSG:4326); features arrive in WGS84. */
  crs?: CrsName;
  /** Base name for files inside an archive and for the download. */
  name: string;
  /** Column order and headers (xlsx/csv): property key → header text (e.g. Chinese for 台账). */
  columns?: { key: string; header: string; type?: 'text' | 'integer' | 'number' | 'boolean' }[];
  /** xlsx: the sheet title. */
  title?: string;
  /** Shapefile: property key → dBASE field name (≤ 10 bytes); keys not given get shortFieldNames' deterministic short name. */
  shapefileFieldNames?: Record<string, string>;
  /** GeoJSON in a crs other than WGS84: add the legacy `crs` member naming it (RFC 7946 has none; default false). */
  geojsonCrsMember?: boolean;
}

export interface WrittenFile {
  body: Uint8Array;
  contentType: string;
  filename: string;
}

/** Write WGS84 features in a format. */
export type WriteOutput = (features: Feature[], format: ExportFormat, options: WriteOptions) => Promise<WrittenFile>;
