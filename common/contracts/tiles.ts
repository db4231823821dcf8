/** TileJSON of a vector-tile layer (GET /tiles/{layer}.json). */
import { z } from 'zod';
import { BASE_LAYERS, TILE_LAYERS } from '../tiles.ts';

/** https://github.com/mapbox/tilejson-spec/tree/master/3.0.0 (the fields we fill). */
export const TileJson = z
  .object({
    tilejson: z.literal('3.0.0'),
    name: z.string(),
    description: z.string(),
    tiles: z.array(z.string()),
    scheme: z.literal('xyz'),
    minzoom: z.number().int(),
    maxzoom: z.number().int(),
    /** [west, south, east, north] of the layer's data, WGS84. */
    bounds: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    vector_layers: z.array(
      z.object({
        /** A feature layer, or one of the base tileset's source layers. */
        id: z.enum([...TILE_LAYERS, ...BASE_LAYERS]),
        description: z.string(),
        minzoom: z.number().int(),
        maxzoom: z.number().int(),
        fields: z.record(z.string(), z.string()),
      }),
    ),
    /** Features in the layer (e.g. grids), so a client can choose tiles or GeoJSON. */
    feature_count: z.number().int(),
  })
  .meta({ id: 'TileJson' });
export type TileJson = z.infer<typeof TileJson>;
