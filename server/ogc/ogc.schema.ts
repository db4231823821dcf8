/**
 * A collection's features as JSON Schema: the schema of a GeoJSON Feature whose
 * `properties` lists the collection's fields. GDAL's OAPIF driver (3.6) follows the
 * collection's `describedBy` link (that exact case) to it and takes its field types from
 * here instead of guessing them from the first page, where an anonymous reader's household
 * figures are all null. One `type` name per field: GDAL reads no type lists, so
 * nullability is left implicit.
 */
import type { OgcCollection } from './ogc.collections.ts';

export function collectionSchema(c: OgcCollection, id: string, lang: 'zh' | 'en') {
  const fields: Record<string, unknown> = {};
  for (const p of c.properties) {
    const title = p.title[lang];
    fields[p.name] =
      p.type === 'array'
        ? { type: 'array', items: { type: 'string' }, title }
        : p.type === 'datetime'
          ? { type: 'string', format: 'date-time', title }
          : { type: p.type, title };
  }
  return {
    $schema: 'https://json-schema.org/draft/2019-09/schema',
    $id: id,
    title: c.title[lang],
    description: c.description[lang],
    type: 'object',
    required: ['type', 'geometry', 'properties'],
    properties: {
      type: { type: 'string', enum: ['Feature'] },
      id: { type: 'string' },
      geometry: { $ref: `https://geojson.org/schema/${c.geometryType}.json` },
      properties: { type: 'object', properties: fields },
    },
  };
}
