/**
 * Each collection's extent and item count, kept per data version (issue 20): `/ogc/collections`
 * ran ST_Extent and every items page a count(*) on each request. The version is the one the
 * public index and the tiles follow (readPublicVersion: topology_epochs + public_epochs, kept by
 * triggers in the database), so every API process sees an edit published through another one
 * on its next request. Collections whose tables those epochs do not fully follow (party
 * organisations created without grids, cases) add their own cheap signal (`version`) and are
 * read again at least every STALE_MS.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { BBox } from '../http/params.ts';
import { readPublicVersion } from '../public/public.queries.ts';
import type { OgcCollection } from './ogc.collections.ts';
import { collectionExtent, countAll } from './ogc.queries.ts';

export interface CollectionStats {
  extent: BBox | null;
  count: number;
}

const STALE_MS = 60_000;

interface Entry {
  version: string;
  at: number;
  stats: Promise<CollectionStats>;
}

export class CollectionStatsCache {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly db: Kysely<DB>) {}

  /** The current data version of a collection (one small query). */
  private async versionOf(c: OgcCollection): Promise<string> {
    const data = await readPublicVersion(this.db);
    if (!c.version) return data;
    const { rows } = await sql<{ v: string | null }>`SELECT (${c.version})::text AS v`.execute(this.db);
    return `${data}|${rows[0]?.v ?? ''}`;
  }

  async get(c: OgcCollection): Promise<CollectionStats> {
    const version = await this.versionOf(c);
    const now = Date.now();
    const entry = this.entries.get(c.id);
    if (entry && entry.version === version && (!c.version || now - entry.at < STALE_MS)) return entry.stats;
    const stats = Promise.all([collectionExtent(this.db, c), countAll(this.db, c)]).then(([extent, count]) => ({
      extent,
      count,
    }));
    this.entries.set(c.id, { version, at: now, stats });
    // A failed read is not kept: the next request tries again.
    stats.catch(() => {
      if (this.entries.get(c.id)?.stats === stats) this.entries.delete(c.id);
    });
    return stats;
  }
}
