/**
 * Each collection's extent and item count, kept per data version (issue 20): `/ogc/collections`
 * ran ST_Extent and every items page a count(*) on each request. The version is the one the
 * public index and the tiles follow (readPublicVersion: topology_epochs + public_epochs, kept by
 * triggers in the database), read at most once a second (VERSION_TTL_MS), so every API process
 * sees an edit published through another one within a second. Collections whose tables those epochs do not fully follow (party
 * organisations created without grids, cases) add their own cheap signal (`version`) and are
 * read again at least every STALE_MS.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { BBox } from '../http/params.ts';
import { readPublicVersion } from '../public/public.queries.ts';
import type { OgcCollection } from './ogc.collections.ts';
import { collectionExtent, collectionSignal, countAll } from './ogc.queries.ts';

export interface CollectionStats {
  extent: BBox | null;
  count: number;
}

const STALE_MS = 60_000;
/**
 * How long one read of the data version serves. The read scans topology_epochs (18,495 rows in
 * the 100,000-grid city: 2.5–10 ms here), which on every page of GDAL's 10 per page cost more
 * than the page itself; so an edit shows within a second, as the public index shows it within
 * its poll interval.
 */
export const VERSION_TTL_MS = 1000;

interface Entry {
  version: string;
  at: number;
  stats: Promise<CollectionStats>;
}

export class CollectionStatsCache {
  private readonly entries = new Map<string, Entry>();
  private dataVersion: { at: number; version: Promise<string> } | undefined;

  constructor(private readonly db: Kysely<DB>) {}

  /** The data version, read at most once per VERSION_TTL_MS (concurrent callers share the read). */
  private readDataVersion(): Promise<string> {
    const now = Date.now();
    if (this.dataVersion && now - this.dataVersion.at < VERSION_TTL_MS) return this.dataVersion.version;
    const version = readPublicVersion(this.db);
    const entry = { at: now, version };
    this.dataVersion = entry;
    version.catch(() => {
      if (this.dataVersion === entry) this.dataVersion = undefined;
    });
    return version;
  }

  /** The current data version of a collection. */
  private async versionOf(c: OgcCollection): Promise<string> {
    const data = await this.readDataVersion();
    if (!c.version) return data;
    return `${data}|${await collectionSignal(this.db, c.version)}`;
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
