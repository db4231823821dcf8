/**
 * The patrol form's small map, loaded lazily (maplibre-gl is ~230 KB gzipped): the offline base
 * map (roads, compounds, grid names) and a pin where the worker tapped. Nothing is fetched from
 * outside the origin unless BASEMAP_STYLE_URL names a basemap.
 */
import { setWorkerUrl, type GeoJSONSource, type StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { BASE_TILESET } from '../../common/tiles.ts';
import { createFlatMap } from '../map/flat-map.ts';
import { BASE_SOURCES, baseLabelLayers, baseRoadLayers, baseTileSource, baseUnderLayers } from '../map/base-layers.ts';

setWorkerUrl(workerUrl);

const BLANK_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#f4f1ea' } }],
};

export interface PickMap {
  setPin(lon: number, lat: number, centre: boolean): void;
}

export function createPickMap(
  container: HTMLElement,
  basemapStyleUrl: string | null,
  centre: [number, number],
  tap: (lon: number, lat: number) => void,
): Promise<PickMap> {
  const map = createFlatMap({
    container,
    basemapStyleUrl,
    blankStyle: BLANK_STYLE,
    center: centre,
    zoom: 15,
    scalePosition: 'bottom-left',
  });
  const external = !!basemapStyleUrl;
  return new Promise((resolve) => {
    map.once('load', () => {
      const origin = window.location.origin;
      map.addSource(BASE_SOURCES.base, baseTileSource(origin, BASE_TILESET, 0));
      map.addSource(BASE_SOURCES.buildings, baseTileSource(origin, 'buildings', 0));
      for (const layer of [...baseUnderLayers({ external }), ...baseRoadLayers({ external })]) map.addLayer(layer);
      for (const layer of baseLabelLayers({ external, householdsUnit: null })) map.addLayer(layer);
      map.addSource('pin', { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
      map.addLayer({
        id: 'pin',
        type: 'circle',
        source: 'pin',
        paint: {
          'circle-color': '#c62828',
          'circle-radius': 8,
          'circle-stroke-color': '#fff',
          'circle-stroke-width': 3,
        },
      });
      map.on('click', (event) => tap(event.lngLat.lng, event.lngLat.lat));
      resolve({
        setPin(lon, lat, centreOn) {
          (map.getSource('pin') as GeoJSONSource).setData({
            type: 'Feature',
            properties: {},
            geometry: { type: 'Point', coordinates: [lon, lat] },
          });
          if (centreOn) map.easeTo({ center: [lon, lat], duration: 0 });
        },
      });
    });
  });
}
