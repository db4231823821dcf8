/**
 * The finder's map, loaded lazily (dynamic import) after the first answer is on screen:
 * maplibre-gl is ~230 KB gzipped and the text answer must not wait for it. Same offline
 * approach as the main map: a blank background unless BASEMAP_STYLE_URL names a basemap,
 * no glyphs (labels are HTML markers), nothing fetched from outside the origin.
 */
import { LngLatBounds, Marker, setWorkerUrl, type Map as MapLibreMap } from 'maplibre-gl';
import type { GeoJSONSource, StyleSpecification } from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { StationKind } from '../../common/rules/station-kinds.ts';
import { createFlatMap } from '../map/flat-map.ts';

setWorkerUrl(workerUrl);

const BLANK_STYLE: StyleSpecification = {
  version: 8,
  sources: {},
  layers: [{ id: 'bg', type: 'background', paint: { 'background-color': '#f4f1ea' } }],
};
// Anci district, until the first point arrives.
const DEFAULT_CENTER: [number, number] = [116.7, 39.5];

const KIND_COLORS: Record<StationKind, string> = {
  party_service_center: '#c62828',
  party_parlour: '#ad1457',
  red_post: '#e53935',
  courier_post: '#ef6c00',
  mobile_member_post: '#6a1b9a',
  helper_post: '#1565c0',
  civilization_post: '#2e7d32',
  convenience_center: '#00838f',
};

export interface MapStation {
  code: string;
  kind: StationKind;
  lon: number;
  lat: number;
}
export interface MapScene {
  you: { lon: number; lat: number } | null;
  stations: MapStation[];
  selected: string | null;
  /** Text on the line from you to the selected station (its distance). */
  lineLabel: string | null;
  /** The outline of the grid you are in (drawn, not framed). */
  grid?: GeoJSON.Feature | null;
  /** [west, south, east, north] to frame as well (a community picked in the search). */
  frame?: [number, number, number, number] | null;
}
export interface FindMapHandlers {
  tap: (lon: number, lat: number) => void;
  stationTap: (code: string) => void;
}

/** Screen pixels kept clear when framing: the bottom sheet covers part of the map on phones. */
export type Padding = { top: number; right: number; bottom: number; left: number };

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

export class FindMap {
  private label: Marker | null = null;

  private constructor(private readonly map: MapLibreMap) {}

  static create(container: HTMLElement, basemapStyleUrl: string | null, handlers: FindMapHandlers): Promise<FindMap> {
    const map = createFlatMap({
      container,
      basemapStyleUrl,
      blankStyle: BLANK_STYLE,
      center: DEFAULT_CENTER,
      zoom: 13,
      scalePosition: 'bottom-left',
    });
    const findMap = new FindMap(map);
    return new Promise((resolve) => {
      map.once('load', () => {
        findMap.addLayers();
        map.on('click', (event) => {
          const hit = map.queryRenderedFeatures(
            [
              [event.point.x - 12, event.point.y - 12],
              [event.point.x + 12, event.point.y + 12],
            ],
            { layers: ['stations'] },
          )[0];
          const code = hit?.properties?.code;
          if (typeof code === 'string') handlers.stationTap(code);
          else handlers.tap(event.lngLat.lng, event.lngLat.lat);
        });
        resolve(findMap);
      });
    });
  }

  private addLayers(): void {
    const map = this.map;
    for (const id of ['grid', 'line', 'stations', 'you']) map.addSource(id, { type: 'geojson', data: EMPTY });
    map.addLayer({
      id: 'grid-fill',
      type: 'fill',
      source: 'grid',
      paint: { 'fill-color': '#1a73e8', 'fill-opacity': 0.08 },
    });
    map.addLayer({
      id: 'grid-line',
      type: 'line',
      source: 'grid',
      paint: { 'line-color': '#1a73e8', 'line-width': 2, 'line-opacity': 0.8 },
    });
    map.addLayer({
      id: 'line',
      type: 'line',
      source: 'line',
      paint: { 'line-color': '#c62828', 'line-width': 3, 'line-dasharray': [2, 1.5] },
    });
    const color: unknown[] = ['match', ['get', 'kind']];
    for (const [kind, value] of Object.entries(KIND_COLORS)) color.push(kind, value);
    color.push('#555');
    map.addLayer({
      id: 'stations',
      type: 'circle',
      source: 'stations',
      paint: {
        'circle-color': color as never,
        'circle-radius': ['case', ['get', 'selected'], 10, 7],
        'circle-stroke-color': '#fff',
        'circle-stroke-width': ['case', ['get', 'selected'], 3, 2],
      },
    });
    map.addLayer({
      id: 'you-halo',
      type: 'circle',
      source: 'you',
      paint: { 'circle-color': '#1a73e8', 'circle-opacity': 0.18, 'circle-radius': 18 },
    });
    map.addLayer({
      id: 'you',
      type: 'circle',
      source: 'you',
      paint: { 'circle-color': '#1a73e8', 'circle-radius': 7, 'circle-stroke-color': '#fff', 'circle-stroke-width': 3 },
    });
  }

  private setData(source: string, data: GeoJSON.FeatureCollection): void {
    (this.map.getSource(source) as GeoJSONSource).setData(data);
  }

  /** Draw the scene and frame it: you, the stations and the line to the chosen one. */
  show(scene: MapScene, fit = true, padding: Padding = { top: 48, right: 48, bottom: 48, left: 48 }): void {
    const point = (lon: number, lat: number, properties: Record<string, unknown> = {}): GeoJSON.Feature => ({
      type: 'Feature',
      geometry: { type: 'Point', coordinates: [lon, lat] },
      properties,
    });
    this.setData('grid', { type: 'FeatureCollection', features: scene.grid ? [scene.grid] : [] });
    this.setData('you', {
      type: 'FeatureCollection',
      features: scene.you ? [point(scene.you.lon, scene.you.lat)] : [],
    });
    this.setData('stations', {
      type: 'FeatureCollection',
      features: scene.stations.map((s) =>
        point(s.lon, s.lat, { code: s.code, kind: s.kind, selected: s.code === scene.selected }),
      ),
    });
    const target = scene.stations.find((s) => s.code === scene.selected);
    this.label?.remove();
    this.label = null;
    if (scene.you && target) {
      const line: GeoJSON.Feature = {
        type: 'Feature',
        geometry: {
          type: 'LineString',
          coordinates: [
            [scene.you.lon, scene.you.lat],
            [target.lon, target.lat],
          ],
        },
        properties: {},
      };
      this.setData('line', { type: 'FeatureCollection', features: [line] });
      if (scene.lineLabel) {
        const element = document.createElement('div');
        element.className = 'map-line-label';
        element.textContent = scene.lineLabel;
        // At the station on the side away from you, not on the line: a short line stays visible.
        const below = scene.you.lat > target.lat;
        this.label = new Marker({ element, anchor: below ? 'top' : 'bottom', offset: [0, below ? 14 : -14] })
          .setLngLat([target.lon, target.lat])
          .addTo(this.map);
      }
    } else {
      this.setData('line', EMPTY);
    }
    if (!fit) return;
    // Frame you and the stations listed, so the line to the chosen one is whole on screen.
    const points = [...(scene.you ? [scene.you] : []), ...scene.stations];
    if (scene.frame)
      points.push({ lon: scene.frame[0], lat: scene.frame[1] }, { lon: scene.frame[2], lat: scene.frame[3] });
    if (points.length === 0) return;
    const bounds = new LngLatBounds();
    for (const p of points) bounds.extend([p.lon, p.lat]);
    this.map.fitBounds(bounds, { padding, maxZoom: 16, duration: 0 });
  }

  /** Screen position of a point, for tests that tap the map. */
  project(lon: number, lat: number): { x: number; y: number } {
    const { x, y } = this.map.project([lon, lat]);
    return { x, y };
  }

  unproject(x: number, y: number): { lon: number; lat: number } {
    const { lng, lat } = this.map.unproject([x, y]);
    return { lon: lng, lat };
  }

  resize(): void {
    this.map.resize();
  }

  /** Resolves when the map has drawn what it was last given (a repaint ensures an idle event). */
  idle(): Promise<void> {
    return new Promise((resolve) => {
      this.map.once('idle', () => resolve());
      this.map.triggerRepaint();
    });
  }
}
