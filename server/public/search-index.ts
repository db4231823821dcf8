/**
 * Where a search request gets its index: the public indexes' (rebuilt in the background) when
 * they run, else one built on demand and kept until the public version moves. Search has no
 * per-request PostGIS path (pinyin lives only in the index), so with WANGGE_PUBLIC_INDEX=0 the
 * first search builds it (about a second for the demo district) rather than answering 503 forever.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { PublicIndexes } from './public-index.ts';
import { loadSearchEntries, readPublicVersion } from './public.queries.ts';
import { buildSearchIndex, type SearchIndex } from './search.ts';

class OnDemandSearch {
  private built: { version: string; index: SearchIndex } | null = null;
  private building: Promise<SearchIndex> | null = null;

  constructor(private readonly db: Kysely<DB>) {}

  async current(): Promise<SearchIndex> {
    const version = await readPublicVersion(this.db);
    if (this.built?.version === version) return this.built.index;
    this.building ??= (async () => {
      try {
        const index = await buildSearchIndex(await loadSearchEntries(this.db));
        this.built = { version, index };
        return index;
      } finally {
        this.building = null;
      }
    })();
    return this.building;
  }
}

const onDemand = new WeakMap<Kysely<DB>, OnDemandSearch>();

/** The search index to answer from now; null while the background index is still being built. */
export async function searchIndexFor(db: Kysely<DB>, indexes: PublicIndexes | null): Promise<SearchIndex | null> {
  if (indexes) return indexes.search;
  let holder = onDemand.get(db);
  if (!holder) onDemand.set(db, (holder = new OnDemandSearch(db)));
  return holder.current();
}
