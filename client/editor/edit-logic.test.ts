import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Polygon } from 'geojson';
import {
  changesetTime,
  containsPoint,
  debounce,
  ifMatchHeader,
  isPreviewable,
  nearestVertex,
  outlineVertices,
  restoreUnmoved,
  singlePolygon,
} from './edit-logic.ts';

/*  (0,2) +-----+ (2,2)   square; withHole adds the hole 0.5..1.5 × 0.5..1.5
 *        |     |
 *  (0,0) +-----+ (2,0)       */
const square: Polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [0, 0],
      [2, 0],
      [2, 2],
      [0, 2],
      [0, 0],
    ],
  ],
};
const withHole: Polygon = {
  type: 'Polygon',
  coordinates: [
    square.coordinates[0]!,
    [
      [0.5, 0.5],
      [1.5, 0.5],
      [1.5, 1.5],
      [0.5, 1.5],
      [0.5, 0.5],
    ],
  ],
};

describe('editor logic', () => {
  afterEach(() => vi.useRealTimers());

  it('names every touched grid in one If-Match header', () => {
    expect(ifMatchHeader(['"a.v1"', '"b.d3r2"'])).toBe('"a.v1", "b.d3r2"');
  });

  it('takes the one polygon of a single-part grid, and refuses a multipart one', () => {
    expect(singlePolygon({ type: 'MultiPolygon', coordinates: [square.coordinates] })).toEqual(square);
    expect(singlePolygon({ type: 'MultiPolygon', coordinates: [square.coordinates, square.coordinates] })).toBeNull();
    expect(singlePolygon(square)).toBe(square);
  });

  it('puts back the exact coordinates of vertices the drawing library rounded, and keeps moved ones', () => {
    const exact: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [116.1234567891234, 39.5],
          [116.2, 39.5],
          [116.2, 39.6],
          [116.1234567891234, 39.5],
        ],
      ],
    };
    const edited: Polygon = {
      type: 'Polygon',
      coordinates: [
        [
          [116.123456789, 39.5],
          [116.25, 39.55],
          [116.2, 39.6],
          [116.123456789, 39.5],
        ],
      ],
    };
    expect(restoreUnmoved(edited, exact).coordinates[0]).toEqual([
      [116.1234567891234, 39.5],
      [116.25, 39.55],
      [116.2, 39.6],
      [116.1234567891234, 39.5],
    ]);
  });

  it('finds points inside polygons, outside holes', () => {
    expect(containsPoint(square, [1, 1])).toBe(true);
    expect(containsPoint(square, [3, 1])).toBe(false);
    expect(containsPoint(withHole, [1, 1])).toBe(false);
    expect(containsPoint(withHole, [0.25, 1])).toBe(true);
    expect(
      containsPoint(
        {
          type: 'MultiPolygon',
          coordinates: [
            square.coordinates,
            [
              [
                [5, 5],
                [6, 5],
                [6, 6],
                [5, 5],
              ],
            ],
          ],
        },
        [5.8, 5.2],
      ),
    ).toBe(true);
  });

  it('snaps to the nearest vertex within the pixel tolerance only', () => {
    const project = (lon: number, lat: number) => ({ x: lon * 100, y: lat * 100 });
    const candidates = [
      [0, 0],
      [1, 0],
      [1.05, 0],
    ];
    expect(nearestVertex({ x: 103, y: 2 }, candidates, project, 10)).toEqual([1.05, 0]);
    expect(nearestVertex({ x: 98, y: 0 }, candidates, project, 10)).toEqual([1, 0]);
    expect(nearestVertex({ x: 50, y: 50 }, candidates, project, 10)).toBeUndefined();
  });

  it('debounces: only the last call within the window runs; cancel drops it', () => {
    vi.useFakeTimers();
    const calls: number[] = [];
    const run = debounce((n: number) => calls.push(n), 150);
    run(1);
    vi.advanceTimersByTime(100);
    run(2);
    vi.advanceTimersByTime(149);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(calls).toEqual([2]);
    run(3);
    run.cancel();
    vi.advanceTimersByTime(500);
    expect(calls).toEqual([2]);
  });

  it('previews only outlines with three distinct corners', () => {
    expect(isPreviewable(square)).toBe(true);
    expect(
      isPreviewable({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 0],
            [0, 0],
          ],
        ],
      }),
    ).toBe(false);
  });
});

describe('editor logic: vertices and times', () => {
  it('lists every vertex of polygons and multipolygons, holes included', () => {
    expect(outlineVertices([withHole, { type: 'MultiPolygon', coordinates: [square.coordinates] }])).toHaveLength(15);
  });

  it('shows a changeset time in local time, and unparseable text as it is', () => {
    const local = new Date(Date.UTC(2026, 10, 23, 14, 35));
    const expected = `${String(local.getMonth() + 1).padStart(2, '0')}-${String(local.getDate()).padStart(2, '0')} ${String(local.getHours()).padStart(2, '0')}:${String(local.getMinutes()).padStart(2, '0')}`;
    expect(changesetTime('2026-11-23 14:35:12.123456+00')).toBe(expected);
    expect(changesetTime('yesterday')).toBe('yesterday');
  });
});
