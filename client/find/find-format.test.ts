import geographiclib from 'geographiclib-geodesic';
import { describe, expect, it } from 'vitest';
import {
  dialable,
  formatDistance,
  formatWalk,
  greatCircleM,
  openLabel,
  shareUrl,
  sharedGrid,
  sharedStation,
  splitServices,
  walkMinutes,
} from './find-format.ts';
import { pickLang } from './find-i18n.ts';

describe('formatDistance', () => {
  it.each([
    [0, '0 米', '0 m'],
    [47.4, '47 米', '47 m'],
    [347, '350 米', '350 m'],
    [994, '990 米', '990 m'],
    [996, '1.0 公里', '1.0 km'],
    [1249, '1.2 公里', '1.2 km'],
    [9_940, '9.9 公里', '9.9 km'],
    [12_600, '13 公里', '13 km'],
  ])('%d m', (metres, zh, en) => {
    expect(formatDistance(metres, 'zh')).toBe(zh);
    expect(formatDistance(metres, 'en')).toBe(en);
  });
});

describe('walking minutes', () => {
  it('says at least one minute and rounds up', () => {
    expect(formatWalk(0, 'zh')).toBe('步行约 1 分钟');
    expect(formatWalk(4, 'zh')).toBe('步行约 4 分钟');
    expect(formatWalk(3.2, 'en')).toBe('About 4 min on foot');
  });
  it('walks at 1.2 m/s like the server', () => {
    expect(walkMinutes(72)).toBe(1);
    expect(walkMinutes(73)).toBe(2);
    expect(walkMinutes(720)).toBe(10);
  });
});

describe('openLabel', () => {
  it('labels the three states in both languages', () => {
    expect([true, false, null].map((v) => openLabel(v, 'zh'))).toEqual(['营业中', '已关门', '时间未知']);
    expect([true, false, null].map((v) => openLabel(v, 'en'))).toEqual(['Open now', 'Closed', 'Hours unknown']);
  });
});

describe('dialable', () => {
  it('dials full numbers only', () => {
    expect(dialable('13812348000')).toBe('13812348000');
    expect(dialable('0316-5201234')).toBe('03165201234');
    expect(dialable('+86 138 1234 8000')).toBe('+8613812348000');
    expect(dialable('138****8000')).toBeNull();
    expect(dialable('')).toBeNull();
    expect(dialable(null)).toBeNull();
    expect(dialable('call the office')).toBeNull();
  });
});

describe('share links', () => {
  it('builds and reads back a station link', () => {
    const url = shareUrl('https://wangge.example/', '131002001001HY01');
    expect(url).toBe('https://wangge.example/find?station=131002001001HY01');
    expect(sharedStation(new URL(url).search)).toBe('131002001001HY01');
  });
  it('ignores missing and malformed codes', () => {
    expect(sharedStation('')).toBeNull();
    expect(sharedStation('?station=')).toBeNull();
    expect(sharedStation('?station=%3Cscript%3E')).toBeNull();
    expect(sharedStation(`?station=${'1'.repeat(41)}`)).toBeNull();
  });
  it('reads the grid code of a board QR link (15 digits only)', () => {
    expect(sharedGrid('?grid=131002001001001')).toBe('131002001001001');
    expect(sharedGrid('?grid=%20131002001001001%20&lang=en')).toBe('131002001001001');
    expect(sharedGrid('?grid=13100200100100')).toBeNull();
    expect(sharedGrid('?grid=13100200100100x')).toBeNull();
    expect(sharedGrid('?station=131002001001HY01')).toBeNull();
  });
});

describe('splitServices', () => {
  it('puts the six services first in canonical order and keeps the rest as text', () => {
    expect(splitServices(['手机充电', '餐食加热', '饮水', '休息'])).toEqual({
      six: ['饮水', '休息', '手机充电'],
      other: ['餐食加热'],
    });
    expect(splitServices([])).toEqual({ six: [], other: [] });
  });
});

describe('greatCircleM', () => {
  it('is within 0.5 % of the WGS84 geodesic near Langfang', () => {
    const a = { lon: 116.69, lat: 39.5 };
    for (const b of [
      { lon: 116.7, lat: 39.5 },
      { lon: 116.69, lat: 39.51 },
      { lon: 116.75, lat: 39.56 },
    ]) {
      const { s12 } = geographiclib.Geodesic.WGS84.Inverse(a.lat, a.lon, b.lat, b.lon);
      expect(Math.abs(greatCircleM(a, b) - s12!) / s12!).toBeLessThan(0.005);
    }
  });
});

describe('pickLang', () => {
  it('prefers a stored choice, then any Chinese browser language, then English', () => {
    expect(pickLang('en', ['zh-CN'])).toBe('en');
    expect(pickLang('zh', ['en-US'])).toBe('zh');
    expect(pickLang(null, ['en-US', 'zh-CN'])).toBe('zh');
    expect(pickLang(null, ['en-GB'])).toBe('en');
    expect(pickLang(null, ['fr-FR'])).toBe('zh');
    expect(pickLang('garbage', [])).toBe('zh');
  });
});
