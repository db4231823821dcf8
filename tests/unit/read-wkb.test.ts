import { describe, expect, it } from 'vitest';
import { partCount, ringSetFromWkb, splitWkb } from '../../server/geo/read-wkb.ts';

/** Build WKB by hand (the format is small enough to write out), in either byte order. */
function wkbPolygon(rings: number[][][], little: boolean, nested = false): Uint8Array {
  const buf = new ArrayBuffer(4096);
  const view = new DataView(buf);
  let o = 0;
  const byte = (v: number) => view.setUint8(o++, v);
  const u32 = (v: number) => {
    view.setUint32(o, v, little);
    o += 4;
  };
  const f64 = (v: number) => {
    view.setFloat64(o, v, little);
    o += 8;
  };
  if (nested) {
    byte(little ? 1 : 0);
    u32(6);
    u32(1);
  }
  byte(little ? 1 : 0);
  u32(3);
  u32(rings.length);
  for (const ring of rings) {
    u32(ring.length);
    for (const [x, y] of ring) {
      f64(x!);
      f64(y!);
    }
  }
  // An odd offset inside a larger buffer, as pg hands out slices of its receive buffer.
  const out = new Uint8Array(o + 3);
  out.set(new Uint8Array(buf, 0, o), 3);
  return out.subarray(3);
}

describe('WKB reader', () => {
  const shell = [
    [116.7, 39.5],
    [116.71, 39.5],
    [116.71, 39.51],
    [116.7, 39.5],
  ];
  const hole = [
    [116.702, 39.501],
    [116.703, 39.502],
    [116.703, 39.501],
    [116.702, 39.501],
  ];
  for (const little of [true, false]) {
    it(`reads a Polygon with a hole (${little ? 'NDR' : 'XDR'}) at an unaligned offset`, () => {
      const set = ringSetFromWkb('g', wkbPolygon([shell, hole], little));
      expect(set.shell).toEqual([true, false]);
      expect(Array.from(set.rings[0]!)).toEqual(shell.flat());
      expect(Array.from(set.rings[1]!)).toEqual(hole.flat());
      expect(partCount(set)).toBe(1);
    });
  }
  it('reads a MultiPolygon and refuses other types', () => {
    expect(Array.from(ringSetFromWkb('g', wkbPolygon([shell], true, true)).rings[0]!)).toEqual(shell.flat());
    const point = new Uint8Array([1, 1, 0, 0, 0, ...new Array(16).fill(0)]);
    expect(() => ringSetFromWkb('g', point)).toThrow(/Polygon or MultiPolygon/);
  });
});

describe("splitWkb (a community's grids as one string_agg value)", () => {
  const square = (x: number) => [
    [x, 0],
    [x + 1, 0],
    [x + 1, 1],
    [x, 1],
    [x, 0],
  ];
  const hole = [
    [0.2, 0.2],
    [0.4, 0.2],
    [0.4, 0.4],
    [0.2, 0.2],
  ];
  it('splits geometries of either byte order, Polygon and MultiPolygon, back to back', () => {
    const parts = [
      wkbPolygon([square(0), hole], true),
      wkbPolygon([square(5)], false, true),
      wkbPolygon([square(9)], true, true),
    ];
    const blob = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) {
      blob.set(p, at);
      at += p.length;
    }
    const split = splitWkb(blob);
    expect(split.map((s) => s.length)).toEqual(parts.map((p) => p.length));
    expect(split.map((s, i) => Array.from(ringSetFromWkb(`g${i}`, s).rings[0]!))).toEqual([
      square(0).flat(),
      square(5).flat(),
      square(9).flat(),
    ]);
    expect(splitWkb(new Uint8Array(0))).toEqual([]);
  });
  it('refuses a truncated value', () => {
    const one = wkbPolygon([square(0)], true);
    expect(() => splitWkb(one.subarray(0, one.length - 8))).toThrow(/truncated/);
  });
});
