/** The printed board's pure pieces: map extent, scale bar, text fitting, the QR link. */
import { describe, expect, it } from 'vitest';
import jsQR from 'jsqr';
import { mapExtent, projector, scaleBarMetres } from '../../server/boards/board-map.ts';
import { fitText, wrapText, distanceText } from '../../server/boards/board-layout.ts';
import { boardTitle } from '../../server/boards/board-title.ts';
import { chinaDate, findUrl, qrMatrix } from '../../server/boards/boards.ts';

/** Every character 1 em wide: enough to test breaking without a font. */
const em = (text: string, size: number) => [...text].length * size;

describe('board map', () => {
  it('pads the grid and widens the extent to the map box shape, north up, metres equal both ways', () => {
    const box = { x: 30, y: 138, w: 535, h: 292 };
    const extent = mapExtent([116.69, 39.5, 116.7, 39.51], box);
    expect(extent[0]).toBeLessThan(116.69);
    expect(extent[3]).toBeGreaterThan(39.51);
    const project = projector(extent, box);
    const [x0, y0] = project([extent[0], extent[3]]);
    const [x1, y1] = project([extent[2], extent[1]]);
    expect(x0).toBeCloseTo(box.x, 6);
    expect(y0).toBeCloseTo(box.y, 6);
    expect(x1).toBeCloseTo(box.x + box.w, 6);
    expect(y1).toBeCloseTo(box.y + box.h, 6);
    // 100 m east and 100 m north are the same length on paper (cos φ scaling at 39.5° N).
    const c = project([116.695, 39.505]);
    const east = project([116.695 + 100 / (111_320 * Math.cos((39.505 * Math.PI) / 180)), 39.505]);
    const north = project([116.695, 39.505 + 100 / 111_320]);
    expect(east[0] - c[0]).toBeCloseTo(c[1] - north[1], 3);
  });

  it('keeps at least 120 m around a tiny grid', () => {
    const extent = mapExtent([116.7, 39.5, 116.7001, 39.5001], { w: 100, h: 100 });
    expect((extent[3] - extent[1]) * 111_320).toBeGreaterThanOrEqual(240);
  });

  it('picks a scale bar of 1, 2 or 5 × 10ⁿ metres near a quarter of the width', () => {
    expect(scaleBarMetres(1000)).toBe(200);
    expect(scaleBarMetres(900)).toBe(200);
    expect(scaleBarMetres(400)).toBe(100);
    expect(scaleBarMetres(3000)).toBe(500);
    expect(scaleBarMetres(50_000)).toBe(10_000);
  });
});

describe('board text', () => {
  it('cuts a text to a width with an ellipsis', () => {
    expect(fitText(em, '丽景社区党群服务中心', 10, 100)).toBe('丽景社区党群服务中心');
    expect(fitText(em, '丽景社区党群服务中心', 10, 60)).toBe('丽景社区党…');
  });

  it('wraps opening hours after a separator, at most two lines', () => {
    expect(wrapText(em, '周一至周五 08:30-17:30；周六 09:00-12:00', 1, 24, 2)).toEqual([
      '周一至周五 08:30-17:30；',
      '周六 09:00-12:00',
    ]);
    expect(wrapText(em, '一二三四五六七八九十', 1, 4, 2)).toEqual(['一二三四', '五六七…']);
  });

  it('names the grid with its community once', () => {
    expect(boardTitle({ name: '第2网格', communityName: '丽景社区' })).toBe('丽景社区第2网格');
    expect(boardTitle({ name: '丽景社区第2网格', communityName: '丽景社区' })).toBe('丽景社区第2网格');
  });

  it('says distances as a board does and dates in China time', () => {
    expect(distanceText(333)).toBe('330 米');
    expect(distanceText(4)).toBe('10 米');
    expect(distanceText(1260)).toBe('1.3 千米');
    expect(chinaDate(new Date('2026-12-06T17:00:00Z'))).toBe('2026-12-07');
  });
});

describe('board QR code', () => {
  it('encodes the finder link, read back by a scanner', () => {
    const url = findUrl('https://wangge.example.cn/', '131002001001002');
    expect(url).toBe('https://wangge.example.cn/find?grid=131002001001002');
    const matrix = qrMatrix(url);
    // Draw it 4 px a module with a 4-module quiet zone and scan it.
    const n = matrix.length + 8;
    const px = 4;
    const size = n * px;
    const data = new Uint8ClampedArray(size * size * 4).fill(255);
    matrix.forEach((row, r) =>
      row.forEach((dark, c) => {
        if (!dark) return;
        for (let y = 0; y < px; y++)
          for (let x = 0; x < px; x++) {
            const i = (((r + 4) * px + y) * size + (c + 4) * px + x) * 4;
            data[i] = data[i + 1] = data[i + 2] = 0;
          }
      }),
    );
    expect(jsQR(data, size, size)?.data).toBe(url);
  });
});
