/**
 * Search for signed-in staff (GET /api/search): the public hit plus the household figure of a
 * street, community or grid. The public answer (public.ts PublicSearchHit) never carries it.
 */
import { z } from 'zod';
import { PublicSearchHit } from './public.ts';

export const SearchHit = PublicSearchHit.extend({
  /** Households of a street, community or grid (signed-in only); null for other kinds. */
  households: z.number().int().nullable(),
}).meta({ id: 'SearchHit' });
export type SearchHit = z.infer<typeof SearchHit>;

export const SearchResponse = z
  .object({ q: z.string(), hits: z.array(SearchHit) })
  .meta({ id: 'SearchResponse', description: 'Search with household figures, for signed-in users' });
export type SearchResponse = z.infer<typeof SearchResponse>;
