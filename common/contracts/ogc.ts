/**
 * OGC API – Features documents as /ogc serves them in JSON (server/ogc/ogc.routes.ts): the
 * landing page, conformance, collections and features. Declared for the OpenAPI document and
 * the response test; the HTML forms of the same documents are not described.
 */
import { z } from 'zod';
import { Geometry } from './geojson.ts';

export const OgcLink = z
  .object({ href: z.string(), rel: z.string(), type: z.string().optional(), title: z.string().optional() })
  .meta({ id: 'OgcLink' });
const links = z.array(OgcLink);

export const OgcLandingPage = z
  .object({ title: z.string(), description: z.string(), links })
  .meta({ id: 'OgcLandingPage' });
export const OgcConformance = z.object({ conformsTo: z.array(z.string()) }).meta({ id: 'OgcConformance' });

export const OgcCollection = z
  .object({
    id: z.string(),
    title: z.string(),
    description: z.string(),
    itemType: z.literal('feature'),
    crs: z.array(z.string()),
    /** Empty bbox list while the collection has no features. */
    extent: z.object({ spatial: z.object({ bbox: z.array(z.array(z.number())), crs: z.string() }) }),
    links,
  })
  .meta({ id: 'OgcCollection' });
export const OgcCollections = z.object({ links, collections: z.array(OgcCollection) }).meta({ id: 'OgcCollections' });

/** A feature of any collection: its id is the object's code; anonymous readers get private properties as null. */
export const OgcFeature = z
  .object({
    type: z.literal('Feature'),
    id: z.string(),
    geometry: Geometry.nullable(),
    properties: z.record(z.string(), z.unknown()),
  })
  .meta({ id: 'OgcFeature' });
export const OgcItem = OgcFeature.extend({ links }).meta({ id: 'OgcItem' });
export const OgcItems = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(OgcFeature),
    // Omitted for a filtered query matching more than 10,000 (server/ogc/ogc.routes.ts, EXACT_COUNT_CAP).
    numberMatched: z.number().int().optional(),
    numberReturned: z.number().int(),
    timeStamp: z.string(),
    links,
  })
  .meta({ id: 'OgcItems', description: 'A page of features; `next` links page through' });

/** The answer of a Part 4 create or replace: the item's id (Location and ETag name it too). */
export const OgcWritten = z.object({ id: z.string() }).meta({ id: 'OgcWritten' });
