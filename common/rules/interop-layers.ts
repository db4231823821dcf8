/**
 * The layers an office imports and exports, and the file formats (issue 7). Plain constants, no
 * zod: the browser bundle takes them from here (building a zod schema in the page probes
 * `new Function`, which the Content-Security-Policy reports); common/contracts/interop.ts builds
 * its schemas on them.
 */
export const INTEROP_LAYERS = [
  'regions',
  'grids',
  'buildings',
  'stations',
  'party_orgs',
  'grid_workers',
  'roads',
] as const;
export type InteropLayer = (typeof INTEROP_LAYERS)[number];
/** Layers without geometry come from spreadsheets too (.xlsx); the others need a geometry. */
export const ATTRIBUTE_ONLY_LAYERS: readonly InteropLayer[] = ['party_orgs', 'grid_workers'];

export const IMPORT_FORMATS = ['geojson', 'shapefile', 'kml', 'csv', 'xlsx'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const EXPORT_FORMATS = ['geojson', 'shapefile', 'kml', 'csv', 'xlsx'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];
