/**
 * KML and KMZ (Google Earth, 奥维 exports): WGS84 by definition. Any DOCTYPE or ENTITY is
 * refused before a parser sees the text, so entity expansion ("billion laughs") and external
 * entities cannot happen whatever the parser's defaults; nothing remote is ever fetched.
 * Placemarks become features via @tmcw/togeojson; styling keys are dropped, ExtendedData kept
 * (as text); the altitude is dropped (grids and stations are 2D).
 */
import { kml as kmlToGeoJson } from '@tmcw/togeojson';
import { DOMParser } from '@xmldom/xmldom';
import type { Geometry, Position } from 'geojson';
import { reprojectGeometry } from '../../geo/crs.ts';
import { invalidFile, unsafeXml } from './errors.ts';
import { safeUnzip } from './safe-unzip.ts';
import { normaliseEncoding } from './text-encoding.ts';
import type { ParsedSource, ReadLimits, SourceFeature } from './types.ts';

/** Keys togeojson derives from styles, not data. */
const STYLE_KEY =
  /^(styleUrl|styleHash|styleMapHash|stroke|stroke-opacity|stroke-width|fill|fill-opacity|icon|icon-.*|label-.*|visibility|timespan|timestamp)$/;

/** Decodes KML bytes by the XML declaration's encoding (UTF-8 unless it says GBK etc.). */
function decodeXml(bytes: Uint8Array): string {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 200));
  const declared = /^\s*(?:\uFEFF|ï»¿)?<\?xml[^>]*encoding=["']([^"']+)["']/i.exec(head)?.[1];
  const encoding = declared ? normaliseEncoding(declared, 'file') : 'utf-8';
  return new TextDecoder(encoding).decode(bytes).replace(/^\uFEFF/, '');
}

/** Refuses DOCTYPE/ENTITY declarations (400 'unsafe_xml'). */
export function refuseDoctype(text: string): void {
  if (/<!\s*(DOCTYPE|ENTITY)/i.test(text))
    throw unsafeXml('The XML declares a DOCTYPE or ENTITY, which is refused (entity expansion is never allowed)');
}

/** Reads KML text (already decoded). */
export function readKmlText(text: string): ParsedSource {
  refuseDoctype(text);
  let doc: Document;
  try {
    doc = new DOMParser({
      onError: (level, message) => {
        if (level !== 'warning') throw new Error(message);
      },
    }).parseFromString(text, 'text/xml') as unknown as Document;
  } catch (error) {
    throw invalidFile(`The KML is not well-formed XML: ${(error as Error).message}`);
  }
  if (!doc.documentElement || doc.documentElement.localName !== 'kml')
    throw invalidFile('The file is not KML (no <kml> root element)');
  const collection = kmlToGeoJson(doc);
  const columns = new Set<string>();
  let droppedAltitude = false;
  const to2d = (p: Position): Position => {
    if (p.length > 2 && p[2] !== 0) droppedAltitude = true;
    return [p[0]!, p[1]!];
  };
  const features: SourceFeature[] = collection.features.map((f) => {
    const properties: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(f.properties ?? {})) {
      if (STYLE_KEY.test(key)) continue;
      properties[key] = value === '' ? null : value;
      columns.add(key);
    }
    return { geometry: f.geometry ? reprojectGeometry(f.geometry as Geometry, to2d) : null, properties };
  });
  const warnings = droppedAltitude ? ['altitudes in the KML were dropped (features are stored in 2D)'] : [];
  return { format: 'kml', features, columns: [...columns], declaredCrs: 'EPSG:4326', encoding: 'utf-8', warnings };
}

/** Reads .kml bytes, or a .kmz (zip; doc.kml or the first .kml inside). */
export function readKml(bytes: Uint8Array, filename: string, limits: ReadLimits): ParsedSource {
  const isZip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (!isZip) return readKmlText(decodeXml(bytes));
  const entries = safeUnzip(bytes, limits, (name) => /\.kml$/i.test(name));
  const entry = entries.find((e) => /(^|\/)doc\.kml$/i.test(e.name)) ?? entries[0];
  if (!entry) throw invalidFile(`"${filename}" is a zip without a .kml inside`);
  return readKmlText(decodeXml(entry.bytes));
}
