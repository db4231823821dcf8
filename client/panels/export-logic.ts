/**
 * The export form as pure functions: which formats a layer has (no geometry → only tables;
 * the Excel ledgers 台账 exist for grids, stations, organisations and workers), whether a
 * coordinate system applies (KML is WGS84 by definition) and the download URL.
 */
import type { InteropLayer } from '../../common/contracts/interop.ts';
import { ATTRIBUTE_ONLY_LAYERS, EXPORT_FORMATS, type ExportFormat } from '../../common/rules/interop-layers.ts';

const LEDGER_LAYERS: readonly InteropLayer[] = ['grids', 'stations', 'party_orgs', 'grid_workers'];

export function exportFormats(layer: InteropLayer): ExportFormat[] {
  if (ATTRIBUTE_ONLY_LAYERS.includes(layer)) return ['xlsx', 'csv'];
  return EXPORT_FORMATS.filter((format) => format !== 'xlsx' || LEDGER_LAYERS.includes(layer));
}

/** Whether the output's coordinate system can be chosen. */
export function crsApplies(layer: InteropLayer, format: ExportFormat): boolean {
  return !ATTRIBUTE_ONLY_LAYERS.includes(layer) && format !== 'kml' && format !== 'xlsx';
}

/** Whether the headers' language can be chosen (the ledger's headers; CSV keeps the field names so it imports back). */
export const langApplies = (format: ExportFormat): boolean => format === 'xlsx';

export interface ExportChoice {
  layer: InteropLayer;
  /** Absent: every region. */
  region?: string;
  format: ExportFormat;
  /** '' or absent: WGS84 (the server's default). */
  crs?: string;
  lang?: 'zh' | 'en';
}

/** GET /api/export with only the parameters that apply (a format the layer lacks falls back to its first). */
export function exportHref(choice: ExportChoice): string {
  const formats = exportFormats(choice.layer);
  const format = formats.includes(choice.format) ? choice.format : formats[0]!;
  const search = new URLSearchParams({ layer: choice.layer });
  if (choice.region) search.set('region', choice.region);
  search.set('format', format);
  if (choice.crs && crsApplies(choice.layer, format)) search.set('crs', choice.crs);
  if (choice.lang && langApplies(format)) search.set('lang', choice.lang);
  return `/api/export?${search.toString()}`;
}
