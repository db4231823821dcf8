/**
 * Encoded tiles kept in process, least recently used out first, bounded by bytes. Keys carry
 * the data version, so a stale tile is never returned: it just ages out. `null` (empty tile)
 * is cached too, since empty tiles are the common case around a city.
 */
export class TileCache {
  private readonly entries = new Map<string, Uint8Array | null>();
  private bytes = 0;

  constructor(private readonly maxBytes = 64 * 1024 * 1024) {}

  /** The tile, null for a known empty tile, undefined when not cached. */
  get(key: string): Uint8Array | null | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: string, value: Uint8Array | null): void {
    const size = (value?.byteLength ?? 0) + key.length;
    if (size > this.maxBytes) return;
    const old = this.entries.get(key);
    if (old !== undefined) {
      this.bytes -= (old?.byteLength ?? 0) + key.length;
      this.entries.delete(key);
    }
    this.entries.set(key, value);
    this.bytes += size;
    for (const [k, v] of this.entries) {
      if (this.bytes <= this.maxBytes) break;
      this.entries.delete(k);
      this.bytes -= (v?.byteLength ?? 0) + k.length;
    }
  }
}
