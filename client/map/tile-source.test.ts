import { describe, expect, it } from 'vitest';
import { GRID_TILES_THRESHOLD } from '../../common/tiles.ts';
import { LAYERS, gridLayers } from './layers.ts';
import { gridLayersFromTiles, gridSourceKind, tileSource, TILE_SOURCES } from './tile-source.ts';

describe('grid source switch', () => {
  it('keeps GeoJSON up to the threshold and switches to tiles above it', () => {
    expect(GRID_TILES_THRESHOLD).toBe(5000);
    expect(gridSourceKind(319)).toBe('geojson'); // the demo district
    expect(gridSourceKind(5000)).toBe('geojson');
    expect(gridSourceKind(5001)).toBe('tiles');
    expect(gridSourceKind(100_000)).toBe('tiles'); // the generated city
    expect(gridSourceKind(50, '', 10)).toBe('tiles');
  });

  it('?tiles=1 and ?tiles=0 force either way; other values are ignored', () => {
    expect(gridSourceKind(319, '?tiles=1')).toBe('tiles');
    expect(gridSourceKind(100_000, '?tiles=0')).toBe('geojson');
    expect(gridSourceKind(319, '?lang=en&tiles=1')).toBe('tiles');
    expect(gridSourceKind(319, '?tiles=yes')).toBe('geojson');
  });
});

describe('tile layers', () => {
  it('draws the same grid layers (ids, paint, filters) from the tile source', () => {
    const geojson = gridLayers();
    const tiled = gridLayersFromTiles(geojson);
    expect(tiled.map((l) => l.id)).toEqual([LAYERS.gridFill, LAYERS.gridHatch, LAYERS.gridLine, LAYERS.gridSelected]);
    for (const layer of tiled) {
      const original = geojson.find((l) => l.id === layer.id)!;
      expect(layer).toMatchObject({ source: TILE_SOURCES.grids, 'source-layer': 'grids' });
      expect((layer as { paint?: unknown }).paint).toEqual((original as { paint?: unknown }).paint);
      expect((layer as { filter?: unknown }).filter).toEqual((original as { filter?: unknown }).filter);
    }
  });

  it('versions the tile URL so a publish or sign-in fetches new tiles, and promotes the code to the feature id', () => {
    const source = tileSource('http://localhost:8080', 'grids', 3);
    expect(source.tiles).toEqual(['http://localhost:8080/tiles/grids/{z}/{x}/{y}.pbf?v=3']);
    expect(source.minzoom).toBe(10);
    expect(source.promoteId).toEqual({ grids: 'code' });
    expect(tileSource('http://x', 'buildings', 0).minzoom).toBe(14);
  });
});
