/**
 * Exact-coordinate vertex ids: an open-addressing hash table on the bits of (lon, lat), so
 * that lines sharing an identical vertex share a node. A string-keyed Map did the same at
 * a tenth of the speed (24 s for the 1.3 M edges of the 100,000-grid city).
 */
const f64 = new Float64Array(2);
const u32 = new Uint32Array(f64.buffer);

function hash(lon: number, lat: number): number {
  f64[0] = lon === 0 ? 0 : lon; // -0 and 0 are the same vertex
  f64[1] = lat === 0 ? 0 : lat;
  let h = Math.imul(u32[0]! ^ 0x9e3779b9, 0x85ebca6b);
  h = Math.imul(h ^ u32[1]! ^ (h >>> 13), 0xc2b2ae35);
  h = Math.imul(h ^ u32[2]! ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ u32[3]! ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export class VertexTable {
  lon: Float64Array;
  lat: Float64Array;
  size = 0;
  private slots: Int32Array;
  private mask: number;

  /** `expected`: an upper bound on the number of distinct vertices (the table never grows past it without rehashing). */
  constructor(expected: number) {
    let cap = 16;
    while (cap < expected * 2) cap *= 2;
    this.slots = new Int32Array(cap).fill(-1);
    this.mask = cap - 1;
    this.lon = new Float64Array(Math.max(16, expected));
    this.lat = new Float64Array(Math.max(16, expected));
  }

  /** The id of (lon, lat), a new one if it was not seen before. */
  id(lon: number, lat: number): number {
    let slot = hash(lon, lat) & this.mask;
    for (;;) {
      const id = this.slots[slot]!;
      if (id < 0) break;
      if (this.lon[id] === lon && this.lat[id] === lat) return id;
      slot = (slot + 1) & this.mask;
    }
    if (this.size === this.lon.length || this.size * 2 >= this.slots.length) {
      this.grow();
      return this.id(lon, lat);
    }
    const id = this.size++;
    this.lon[id] = lon;
    this.lat[id] = lat;
    this.slots[slot] = id;
    return id;
  }

  private grow(): void {
    const lon = new Float64Array(this.lon.length * 2);
    const lat = new Float64Array(this.lat.length * 2);
    lon.set(this.lon);
    lat.set(this.lat);
    this.lon = lon;
    this.lat = lat;
    this.slots = new Int32Array(this.slots.length * 2).fill(-1);
    this.mask = this.slots.length - 1;
    for (let id = 0; id < this.size; id++) {
      let slot = hash(lon[id]!, lat[id]!) & this.mask;
      while (this.slots[slot]! >= 0) slot = (slot + 1) & this.mask;
      this.slots[slot] = id;
    }
  }
}
