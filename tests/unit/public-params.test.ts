/** The finder's pure pieces: parameters, crs conversion, opening hours in China time, name search. */
import { describe, expect, it } from 'vitest';
import gcoord from 'gcoord';
import { HttpError } from '../../server/http/errors.ts';
import { parseLimit, parsePublicPoint, toCrs } from '../../server/public/public-params.ts';
import { chinaWallClock, openNow } from '../../server/public/opening-hours.ts';
import { buildSearchIndex, pinyinInitials, searchNames, type SearchEntry } from '../../server/public/search.ts';
import { geodesicDistanceM } from '../../server/geo/geodesic.ts';

const refusal = (fn: () => unknown): { param?: string; message: string } => {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(HttpError);
    expect((error as HttpError).status).toBe(400);
    return { param: (error as HttpError).param, message: (error as HttpError).message };
  }
  throw new Error('expected a 400');
};

describe('parsePublicPoint', () => {
  it('reads WGS84 as is, and GCJ-02 / BD-09 back to the DESIGN.md point within 1 m', () => {
    expect(parsePublicPoint({ lon: '116.69', lat: '39.5' })).toEqual({ lon: 116.69, lat: 39.5, crs: 'wgs84' });
    for (const [crs, lon, lat] of [
      ['gcj02', '116.69593', '39.50110'],
      ['bd09', '116.70256', '39.50676'],
    ] as const) {
      const p = parsePublicPoint({ lon, lat, crs });
      expect(p.crs).toBe(crs);
      expect(geodesicDistanceM([p.lon, p.lat], [116.69, 39.5])).toBeLessThan(1);
    }
  });

  it('converts answers back into the crs asked for (round trip)', () => {
    expect(toCrs(116.69, 39.5, 'wgs84')).toEqual([116.69, 39.5]);
    const [x, y] = toCrs(116.69, 39.5, 'gcj02');
    expect(x).toBeCloseTo(116.69593, 5);
    expect(y).toBeCloseTo(39.5011, 5);
    const [bx, by] = toCrs(116.69, 39.5, 'bd09');
    expect(bx).toBeCloseTo(116.70256, 5);
    expect(by).toBeCloseTo(39.50676, 5);
    expect(gcoord.transform([bx, by], gcoord.BD09, gcoord.WGS84)[0]).toBeCloseTo(116.69, 5);
  });

  const bad: [string, Record<string, unknown>, string, RegExp?][] = [
    ['missing lon', { lat: '39.5' }, 'lon', /required/],
    ['missing lat', { lon: '116.7' }, 'lat', /required/],
    ['empty lon', { lon: '', lat: '39.5' }, 'lon'],
    ['non-numeric lat', { lon: '116.7', lat: 'abc' }, 'lat', /number/],
    ['NaN', { lon: 'NaN', lat: '39.5' }, 'lon'],
    ['Infinity', { lon: 'Infinity', lat: '39.5' }, 'lon'],
    ['1e999 (overflows to Infinity)', { lon: '116.7', lat: '1e999' }, 'lat', /finite/],
    ['hex', { lon: '0x74', lat: '39.5' }, 'lon'],
    ['lat beyond 90', { lon: '116.7', lat: '91' }, 'lat', /between/],
    ['lon beyond 180', { lon: '-180.5', lat: '39.5' }, 'lon', /between/],
    ['swapped lat/lon (lat out of range)', { lon: '39.5', lat: '116.7' }, 'lon', /swapped/],
    ['swapped lat/lon (both in range)', { lon: '40', lat: '80' }, 'lon', /swapped/],
    ['lat beyond 90, not a swap', { lon: '116.7', lat: '95' }, 'lat', /between/],
    ['outside China (Paris)', { lon: '2.35', lat: '48.85' }, 'lon', /outside China/],
    ['outside China (south of 3° N)', { lon: '110', lat: '1' }, 'lat', /outside China/],
    ['given twice', { lon: ['116.7', '116.8'], lat: '39.5' }, 'lon', /once/],
    ['bad crs', { lon: '116.7', lat: '39.5', crs: 'epsg3857' }, 'crs', /wgs84, gcj02, bd09/],
  ];
  for (const [name, query, param, message] of bad) {
    it(`refuses ${name} naming ${param}`, () => {
      const r = refusal(() => parsePublicPoint(query));
      expect(r.param).toBe(param);
      if (message) expect(r.message).toMatch(message);
    });
  }

  it('the swapped message gives the corrected order', () => {
    expect(refusal(() => parsePublicPoint({ lon: '39.5', lat: '116.7' })).message).toMatch(
      /lon=116.7, lat=39.5 is in China/,
    );
  });

  it('limit: default, 1..max, and a 400 past the cap', () => {
    expect(parseLimit(undefined, 5, 20)).toBe(5);
    expect(parseLimit('20', 5, 20)).toBe(20);
    for (const v of ['0', '21', '-1', '2.5', 'x', '1e1'])
      expect(refusal(() => parseLimit(v, 5, 20)).param).toBe('limit');
  });
});

describe('openNow (China time)', () => {
  const hours = 'Mo-Fr 08:30-17:30; Sa 09:00-12:00';
  // 2026-11-23 is a Monday. 00:45 UTC = 08:45 in China (open); 10:00 UTC = 18:00 (closed).
  it('reads the hours in Asia/Shanghai whatever the server zone', () => {
    expect(openNow(hours, new Date('2026-11-23T00:45:00Z'))).toBe(true);
    expect(openNow(hours, new Date('2026-11-23T00:15:00Z'))).toBe(false); // 08:15 China
    expect(openNow(hours, new Date('2026-11-23T10:00:00Z'))).toBe(false);
    // Saturday 2026-11-28 11:59 China = 03:59 UTC; Sunday closed.
    expect(openNow(hours, new Date('2026-11-28T03:59:00Z'))).toBe(true);
    expect(openNow(hours, new Date('2026-11-29T03:59:00Z'))).toBe(false);
    // Sunday 23:30 UTC is Monday 07:30 in China: still closed; Monday 00:30 UTC is 08:30: open.
    expect(openNow(hours, new Date('2026-11-22T23:30:00Z'))).toBe(false);
    expect(openNow(hours, new Date('2026-11-23T00:30:00Z'))).toBe(true);
    expect(openNow('24/7', new Date('2026-11-29T20:00:00Z'))).toBe(true);
  });
  it('is null for empty or unreadable hours', () => {
    expect(openNow('', new Date())).toBeNull();
    expect(openNow('whenever we feel like it', new Date())).toBeNull();
  });
  it('chinaWallClock shows the China time in local fields', () => {
    const d = chinaWallClock(new Date('2026-11-23T16:05:00Z'));
    expect([d.getDate(), d.getHours(), d.getMinutes()]).toEqual([24, 0, 5]);
  });
});

describe('name search', () => {
  const entry = (type: SearchEntry['type'], code: string, name: string): SearchEntry => ({
    type,
    code,
    name,
    lon: 116.7,
    lat: 39.5,
    bbox: null,
    context: '',
    households: null,
  });
  it('pinyin initials keep digits and letters', () => {
    expect(pinyinInitials('和家园')).toBe('hjy');
    expect(pinyinInitials('第12网格')).toBe('d12wg');
  });
  it('finds by substring and by initials, exact and prefix first', async () => {
    const index = await buildSearchIndex([
      entry('station', 'S1', '和家园红色驿站'),
      entry('compound', 'X1', '和家园'),
      entry('compound', 'X2', '长河家园'),
      entry('community', 'C1', '丽景社区'),
      entry('grid', 'G1', '第1网格'),
    ]);
    expect(searchNames(index, 'hjy', 10).map((e) => e.entry.code)).toEqual(['X1', 'S1', 'X2']);
    expect(searchNames(index, '和家园', 10).map((e) => e.entry.code)).toEqual(['X1', 'S1']); // 长河家园 is 河, not 和
    expect(searchNames(index, '家园', 10).map((e) => e.entry.code)).toEqual(['X1', 'X2', 'S1']);
    expect(searchNames(index, 'LJ', 10).map((e) => e.entry.code)).toEqual(['C1']);
    expect(searchNames(index, 'hjy', 1).map((e) => e.entry.code)).toEqual(['X1']);
    expect(searchNames(index, '不存在', 10)).toEqual([]);
  });
});
