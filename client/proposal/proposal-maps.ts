/**
 * The two maps of the 智能划格 view, 现状 left and 方案 right, with one camera: moving either
 * moves the other (as a before/after compare does). Each draws the offline base (compounds,
 * buildings, roads) under the grids, so a reader sees where a boundary leaves a road.
 */
import type { FeatureCollection } from 'geojson';
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { BASE_TILESET } from '../../common/tiles.ts';
import { BASE_SOURCES, baseRoadLayers, baseTileSource, baseUnderLayers } from '../map/base-layers.ts';
import { createFlatMap } from '../map/flat-map.ts';
import { BLANK_STYLE } from '../map/layers.ts';
import { PROPOSAL_SOURCES, proposalLayers } from './proposal-layers.ts';

const EMPTY: FeatureCollection = { type: 'FeatureCollection', features: [] };
type Bbox = [number, number, number, number];

function createMap(container: HTMLElement, byStatus: boolean, bbox: Bbox): Promise<MapLibreMap> {
  const map = createFlatMap({
    container,
    basemapStyleUrl: null,
    blankStyle: BLANK_STYLE,
    bounds: bbox,
    fitBoundsOptions: { padding: 24 },
    scalePosition: 'bottom-left',
  });
  return new Promise((resolve) => {
    map.once('load', () => {
      const origin = window.location.origin;
      map.addSource(BASE_SOURCES.base, baseTileSource(origin, BASE_TILESET, 0));
      map.addSource(BASE_SOURCES.buildings, baseTileSource(origin, 'buildings', 0));
      map.addSource(PROPOSAL_SOURCES.grids, { type: 'geojson', data: EMPTY });
      map.addSource(PROPOSAL_SOURCES.communities, { type: 'geojson', data: EMPTY });
      const { fill, over } = proposalLayers(byStatus);
      for (const layer of [
        ...baseUnderLayers({ external: false }),
        fill,
        ...baseRoadLayers({ external: false }),
        ...over,
      ])
        map.addLayer(layer);
      resolve(map);
    });
  });
}

function settled(map: MapLibreMap): Promise<void> {
  return new Promise((resolve) => {
    const check = () => {
      if (!map.isSourceLoaded(PROPOSAL_SOURCES.grids) || !map.areTilesLoaded()) return;
      map.off('idle', check);
      resolve();
    };
    map.on('idle', check);
    map.triggerRepaint();
  });
}

export class ProposalMaps {
  private constructor(
    private readonly today: MapLibreMap,
    private readonly proposed: MapLibreMap,
  ) {
    let following = false;
    const follow = (from: MapLibreMap, to: MapLibreMap) =>
      from.on('move', () => {
        if (following) return;
        following = true;
        to.jumpTo({ center: from.getCenter(), zoom: from.getZoom() });
        following = false;
      });
    follow(today, proposed);
    follow(proposed, today);
  }

  static async create(left: HTMLElement, right: HTMLElement, bbox: Bbox): Promise<ProposalMaps> {
    const [today, proposed] = await Promise.all([createMap(left, false, bbox), createMap(right, true, bbox)]);
    return new ProposalMaps(today, proposed);
  }

  setToday(grids: FeatureCollection): void {
    this.today.getSource<GeoJSONSource>(PROPOSAL_SOURCES.grids)?.setData(grids);
  }

  setProposed(grids: FeatureCollection): void {
    this.proposed.getSource<GeoJSONSource>(PROPOSAL_SOURCES.grids)?.setData(grids);
  }

  setCommunities(outlines: FeatureCollection): void {
    for (const map of [this.today, this.proposed])
      map.getSource<GeoJSONSource>(PROPOSAL_SOURCES.communities)?.setData(outlines);
  }

  /** Fit both (the camera follows from the left map). */
  fit(bbox: Bbox): void {
    this.today.fitBounds(bbox, { padding: 24, animate: false });
  }

  /**
   * Both maps drawn with the data last set (for the end-to-end test and the screenshot): a
   * first `idle` can come before the worker has cut the new GeoJSON into tiles, so wait for one
   * with the grids' source loaded.
   */
  async whenIdle(): Promise<void> {
    await Promise.all([this.today, this.proposed].map(settled));
  }

  resize(): void {
    this.today.resize();
    this.proposed.resize();
  }

  remove(): void {
    this.today.remove();
    this.proposed.remove();
  }
}
