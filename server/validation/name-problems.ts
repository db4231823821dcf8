/**
 * Problems as people read them: each problem's grids by name as well as by code. The engine
 * works in codes (and caches its problems per community); names are added at the edge, on
 * copies, from the published grids or, for a draft, from the draft's own.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { ProblemCollection } from '../../common/contracts/validation.ts';
import { gridNames } from '../grids/grids.queries.ts';

/** A name for every grid code the problems mention (the code itself where none is found). */
export async function problemGridNames(
  db: Kysely<DB>,
  collections: (ProblemCollection | undefined)[],
  draftId?: number,
): Promise<(collection: ProblemCollection) => ProblemCollection> {
  const codes = collections.flatMap((c) => c?.features.flatMap((f) => f.properties.grids) ?? []);
  const names = await gridNames(db, codes, draftId);
  return (collection) => ({
    ...collection,
    features: collection.features.map((f) => ({
      ...f,
      properties: { ...f.properties, grid_names: f.properties.grids.map((code) => names.get(code) ?? code) },
    })),
  });
}
