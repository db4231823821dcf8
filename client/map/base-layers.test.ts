import { describe, expect, it } from 'vitest';
import type { LayerSpecification } from 'maplibre-gl';
import {
  BASE_LAYER_IDS,
  BASE_SOURCES,
  baseLabelLayers,
  baseRoadLayers,
  baseTileSource,
  baseUnderLayers,
} from './base-layers.ts';
import { BLANK_STYLE } from './layers.ts';

const ids = (layers: LayerSpecification[]) => layers.map((l) => l.id);

describe('base map layers', () => {
  it('draw water, green, compounds and buildings under the grids, roads and names from our own tiles', () => {
    expect(ids(baseUnderLayers({ external: false }))).toEqual([
      BASE_LAYER_IDS.water,
      BASE_LAYER_IDS.green,
      BASE_LAYER_IDS.compoundFill,
      BASE_LAYER_IDS.compoundLine,
      BASE_LAYER_IDS.buildings,
    ]);
    expect(ids(baseRoadLayers({ external: false }))).toEqual([BASE_LAYER_IDS.roadCasing, BASE_LAYER_IDS.road]);
    const labels = baseLabelLayers({ external: false, householdsUnit: ' 户' });
    // Later layers win label collisions: streets and communities last.
    expect(ids(labels)).toEqual([
      BASE_LAYER_IDS.roadLabel,
      BASE_LAYER_IDS.compoundLabel,
      BASE_LAYER_IDS.gridLabel,
      BASE_LAYER_IDS.communityLabel,
      BASE_LAYER_IDS.streetLabel,
    ]);
    const all = [...baseUnderLayers({ external: false }), ...baseRoadLayers({ external: false }), ...labels];
    for (const layer of all) expect(Object.values(BASE_SOURCES)).toContain((layer as { source: string }).source);
    expect(labels.find((l) => l.id === BASE_LAYER_IDS.roadLabel)).toMatchObject({
      layout: { 'symbol-placement': 'line' },
    });
  });

  it('with a configured basemap, leave roads, water and green to it and keep our names', () => {
    expect(ids(baseUnderLayers({ external: true }))).not.toContain(BASE_LAYER_IDS.water);
    expect(baseRoadLayers({ external: true })).toEqual([]);
    expect(ids(baseLabelLayers({ external: true, householdsUnit: ' 户' }))).not.toContain(BASE_LAYER_IDS.roadLabel);
    expect(ids(baseLabelLayers({ external: true, householdsUnit: ' 户' }))).toContain(BASE_LAYER_IDS.gridLabel);
  });

  it('grid labels add households only when the tile has them, and never on the residents page', () => {
    const grid = (unit: string | null) =>
      baseLabelLayers({ external: false, householdsUnit: unit }).find((l) => l.id === BASE_LAYER_IDS.gridLabel)!;
    const text = JSON.stringify((grid(' 户') as { layout: Record<string, unknown> }).layout['text-field']);
    expect(text).toContain('["has","households"]');
    expect(text).toContain(' 户');
    expect((grid(null) as { layout: Record<string, unknown> }).layout['text-field']).toEqual(['get', 'name']);
  });

  it('needs no glyph files: the styles name no glyphs URL, so MapLibre draws text with local fonts', () => {
    expect(BLANK_STYLE).not.toHaveProperty('glyphs');
    const source = baseTileSource('http://localhost:8080', 'base', 2);
    expect(source.tiles).toEqual(['http://localhost:8080/tiles/base/{z}/{x}/{y}.pbf?v=2']);
    expect(source.minzoom).toBe(10);
    expect(baseTileSource('http://x', 'buildings', 0).minzoom).toBe(14);
  });
});
