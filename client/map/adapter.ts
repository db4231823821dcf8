/**
 * MapLibre behind a small interface: the rest of the client speaks grids, stations and
 * regions, never maplibregl. Sources are GeoJSON loaded once; styling changes are paint,
 * filter and feature-state updates.
 */
import { LngLatBounds, setWorkerUrl, type Map as MapLibreMap } from 'maplibre-gl';
import type {
  GeoJSONSource,
  MapGeoJSONFeature,
  MapMouseEvent,
  VectorSourceSpecification,
  VectorTileSource,
} from 'maplibre-gl';
import 'maplibre-gl/dist/maplibre-gl.css';
// MapLibre looks for its worker beside its own module, which bundling moves: point at the copy.
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import type { GridCollection } from '../../common/contracts/grids.ts';
import type { RegionFeature } from '../../common/contracts/regions.ts';
import type { StationCollection, StationProperties } from '../../common/contracts/stations.ts';
import type { ProblemCollection } from '../../common/contracts/validation.ts';
import type { StationKind } from '../../common/rules/station-kinds.ts';
import {
  BLANK_STYLE,
  HATCH_IMAGE,
  LAYERS,
  SOURCES,
  gridFillColor,
  gridLayers,
  hatchImage,
  stationFilter,
  toMapGrids,
  type FillMode,
} from './layers.ts';
import type { DraftDetail } from '../../common/contracts/drafts.ts';
import {
  DRAFT_LAYERS,
  DRAFT_SOURCES,
  draftLayers,
  historyFeatures,
  toDraftFeatures,
  type HistoryGrid,
} from './draft-layers.ts';
import { DrawSurface, type Snapper } from './draw.ts';
import { createFlatMap } from './flat-map.ts';
import { CaseOverlay } from './case-overlay.ts';
import { CoverageOverlay } from './coverage-overlay.ts';
import { SearchHitLayer } from './search-hit-layer.ts';
import { PROBLEM_HIT_LAYERS, PROBLEM_SOURCES, problemLayers, toProblemFeatures } from './problem-layers.ts';
import { TILE_SOURCES, gridLayersFromTiles, tileSource } from './tile-source.ts';
import { BASE_SOURCES, baseLabelLayers, baseRoadLayers, baseTileSource, baseUnderLayers } from './base-layers.ts';
import { BASE_TILESET } from '../../common/tiles.ts';
import { onLangChange, t } from '../i18n/index.ts';
import { householdBounds } from '../household-bounds.ts';

export type Bbox = [number, number, number, number];
type Hit = { source: string; id: string };

export interface MapAdapterOptions {
  container: HTMLElement;
  basemapStyleUrl: string | null;
  /** Initial view before any data is loaded. */
  bbox?: Bbox;
}

export type HoverTarget = { layer: 'grid' | 'station'; code: string } | null;

export interface MapHandlers {
  /** Pointer over a grid or station (or nothing), at a point relative to the map container. */
  hover?: (target: HoverTarget, point: { x: number; y: number }) => void;
  /** `additive`: Shift, Ctrl or Cmd held (add to a selection). */
  gridClick?: (code: string, additive: boolean) => void;
  stationClick?: (station: StationProperties) => void;
  /** A validation problem's area or marker, by problem id. */
  problemClick?: (id: string) => void;
  emptyClick?: () => void;
  /** Clicks an overlay (e.g. coverage) handles itself, asked first; true when it took the click. */
  overlayClick?: (point: { x: number; y: number }, lngLat: [number, number]) => boolean;
}

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };
// Anci district, for the first frame before the district's bbox arrives.
const DEFAULT_BBOX: Bbox = [116.6, 39.43, 116.8, 39.56];

const BASEMAP_TIMEOUT_MS = 15_000;

setWorkerUrl(workerUrl);

export class MapAdapter {
  private hover: Hit | null = null;
  private selectedGrid: string | null = null;
  private selectedProblem: string | null = null;
  private hasProblems = false;
  private stationsByCode = new Map<string, StationProperties>();
  private handlers: MapHandlers = {};
  private hasDraft = false;
  private draftGrids: DraftDetail['grids'] | null = null;
  /** While the editor draws, map clicks belong to the drawing, not to selection. */
  private clicksSuppressed = false;
  /** Where the published grids are drawn from: the GeoJSON source, or the vector tiles. */
  private gridSource: string = SOURCES.grids;
  private tileVersion = 0;

  private constructor(private readonly map: MapLibreMap) {
    // The draft's bands follow the bounds the API serves; redraw when they arrive or change.
    householdBounds.onChange(() => this.draftGrids && this.setDraftGrids(this.draftGrids));
  }

  /** Create the map and resolve once its style is loaded and our layers are in place. */
  static create(options: MapAdapterOptions): Promise<MapAdapter> {
    const bbox = options.bbox ?? DEFAULT_BBOX;
    const map = createFlatMap({
      container: options.container,
      basemapStyleUrl: options.basemapStyleUrl,
      blankStyle: BLANK_STYLE,
      bounds: bbox,
      fitBoundsOptions: { padding: 20 },
      scalePosition: 'bottom-right',
    });
    const adapter = new MapAdapter(map);
    return new Promise((resolve) => {
      // A basemap that cannot be fetched must not keep the grids off screen: fall back to the
      // blank style. Tile errors of a loaded basemap are left to MapLibre.
      let settled = false;
      let external = !!options.basemapStyleUrl;
      const fallBack = (reason: unknown) => {
        if (settled || map.isStyleLoaded()) return;
        settled = true;
        external = false;
        console.warn('Basemap style unavailable, using the blank style:', reason);
        map.setStyle(BLANK_STYLE);
      };
      const timer = options.basemapStyleUrl ? setTimeout(() => fallBack('timeout'), BASEMAP_TIMEOUT_MS) : undefined;
      if (options.basemapStyleUrl) map.on('error', (event) => fallBack(event.error));
      map.once('load', () => {
        settled = true;
        clearTimeout(timer);
        adapter.addOwnLayers(external);
        adapter.bindEvents();
        resolve(adapter);
      });
    });
  }

  on(handlers: MapHandlers): void {
    const previous = this.handlers.overlayClick;
    const next = handlers.overlayClick;
    this.handlers = { ...this.handlers, ...handlers };
    // Overlays stack (coverage, cases): the one wired last is asked first, then the others.
    if (previous && next)
      this.handlers.overlayClick = (point, lngLat) => next(point, lngLat) || previous(point, lngLat);
  }

  /** True once the grids come from /tiles (a big region); see tile-source.ts. */
  get usesGridTiles(): boolean {
    return this.gridSource === TILE_SOURCES.grids;
  }

  /**
   * Draw grids from vector tiles: the grid layers keep their ids, places, paint and
   * visibility, only their source changes.
   */
  useGridTiles(): void {
    if (this.usesGridTiles) return;
    const origin = window.location.origin;
    this.map.addSource(TILE_SOURCES.grids, tileSource(origin, 'grids', this.tileVersion));
    const order = this.map.getStyle().layers.map((layer) => layer.id);
    for (const layer of gridLayersFromTiles(gridLayers())) {
      const before = order[order.indexOf(layer.id) + 1];
      const fillColor = layer.type === 'fill' ? this.map.getPaintProperty(layer.id, 'fill-color') : undefined;
      const visibility = this.map.getLayoutProperty(layer.id, 'visibility');
      this.map.removeLayer(layer.id);
      this.map.addLayer(layer, before);
      if (fillColor !== undefined && layer.id === LAYERS.gridFill)
        this.map.setPaintProperty(layer.id, 'fill-color', fillColor);
      if (visibility !== undefined) this.map.setLayoutProperty(layer.id, 'visibility', visibility);
    }
    this.gridSource = TILE_SOURCES.grids;
  }

  /**
   * Fetch the tiles again (after a publish, a sign-in or a sign-out: their content changed):
   * the grids' when drawn from tiles, and always the base map's (grid names, households).
   */
  refreshTiles(): void {
    this.tileVersion++;
    const origin = window.location.origin;
    const sources: [string, VectorSourceSpecification][] = [
      [BASE_SOURCES.base, baseTileSource(origin, BASE_TILESET, this.tileVersion)],
      [BASE_SOURCES.buildings, baseTileSource(origin, 'buildings', this.tileVersion)],
      [TILE_SOURCES.grids, tileSource(origin, 'grids', this.tileVersion)],
    ];
    for (const [id, spec] of sources) this.map.getSource<VectorTileSource>(id)?.setTiles(spec.tiles!);
  }

  setGrids(grids: GridCollection): void {
    this.source(SOURCES.grids).setData(toMapGrids(grids));
  }

  setCommunities(communities: RegionFeature[]): void {
    this.source(SOURCES.communities).setData({ type: 'FeatureCollection', features: communities });
  }

  setDistrict(district: RegionFeature): void {
    this.source(SOURCES.district).setData({ type: 'FeatureCollection', features: [district] });
  }

  /** Outline the region chosen in the tree (or none). */
  setSelectedRegion(region: RegionFeature | null): void {
    this.source(SOURCES.selectedRegion).setData({ type: 'FeatureCollection', features: region ? [region] : [] });
  }

  setStations(stations: StationCollection): void {
    this.stationsByCode = new Map(stations.features.map((f) => [f.properties.code, f.properties]));
    this.source(SOURCES.stations).setData(stations);
  }

  setFillMode(mode: FillMode): void {
    this.map.setPaintProperty(LAYERS.gridFill, 'fill-color', gridFillColor(mode) as never);
    this.map.setLayoutProperty(LAYERS.gridHatch, 'visibility', mode === 'coverage' ? 'visible' : 'none');
  }

  setVisibleStationKinds(kinds: readonly StationKind[]): void {
    this.map.setFilter(LAYERS.stations, stationFilter(kinds));
  }

  /** Outline one grid (or none) as the current selection. */
  selectGrid(code: string | null): void {
    if (this.selectedGrid) this.setState(this.gridSource, this.selectedGrid, { selected: false });
    this.selectedGrid = code;
    if (code) this.setState(this.gridSource, code, { selected: true });
  }

  /** Draw a validation report's problems; null clears them. */
  setProblems(problems: ProblemCollection | null): void {
    this.highlightProblem(null);
    const { areas, markers } = toProblemFeatures(problems);
    this.source(PROBLEM_SOURCES.areas).setData(areas);
    this.source(PROBLEM_SOURCES.markers).setData(markers);
    this.hasProblems = markers.features.length > 0;
    // Stations step back while problems are shown: both are drawn as circles.
    this.map.setPaintProperty(LAYERS.stations, 'circle-opacity', this.hasProblems ? 0.3 : 1);
    this.map.setPaintProperty(LAYERS.stations, 'circle-stroke-opacity', this.hasProblems ? 0.3 : 1);
  }

  /** Draw a draft's own grids over the published ones; null clears them. */
  setDraftGrids(grids: DraftDetail['grids'] | null): void {
    this.hasDraft = !!grids?.features.length;
    this.draftGrids = grids;
    this.source(DRAFT_SOURCES.grids).setData(toDraftFeatures(grids, (code) => householdBounds.of(code)));
  }

  /** Outline the grids picked for an edit. */
  setPickedGrids(outlines: GeoJSON.Feature[]): void {
    this.source(DRAFT_SOURCES.picked).setData({ type: 'FeatureCollection', features: outlines });
  }

  /** Outline a history entry's grids, before dashed and after solid; [] clears them. */
  setHistoryGrids(grids: readonly HistoryGrid[]): void {
    this.source(DRAFT_SOURCES.history).setData(historyFeatures(grids));
  }

  /** While editing, Shift-click adds a grid to the picked ones instead of starting a box zoom. */
  setMultiPick(on: boolean): void {
    if (on) this.map.boxZoom.disable();
    else this.map.boxZoom.enable();
  }

  suppressClicks(suppressed: boolean): void {
    this.clicksSuppressed = suppressed;
  }

  /** A drawing surface on this map (polygon, line, vertex editing). */
  createDrawSurface(snapper: Snapper): DrawSurface {
    return new DrawSurface(this.map, snapper);
  }

  /** The planner's coverage layers on this map. */
  createCoverageOverlay(): CoverageOverlay {
    return new CoverageOverlay(this.map);
  }

  /** The case layers (points by state, 办结率 per grid) on this map. */
  createCaseOverlay(): CaseOverlay {
    return new CaseOverlay(this.map);
  }

  /** Emphasise one problem (or none) on the map. */
  highlightProblem(id: string | null): void {
    if (this.selectedProblem) {
      for (const source of Object.values(PROBLEM_SOURCES))
        this.setState(source, this.selectedProblem, { selected: false });
    }
    this.selectedProblem = id;
    if (id) for (const source of Object.values(PROBLEM_SOURCES)) this.setState(source, id, { selected: true });
  }

  /**
   * Fly to a problem's extent: close enough to see a 3 m gap, not so close that a point
   * problem loses its grid from view.
   */
  showProblem(bbox: Bbox, rightInset = 0): void {
    const isPoint = bbox[0] === bbox[2] && bbox[1] === bbox[3];
    this.map.fitBounds(new LngLatBounds([bbox[0], bbox[1]], [bbox[2], bbox[3]]), {
      padding: { top: 60, bottom: 60, left: 60, right: 60 + rightInset },
      maxZoom: isPoint ? 16 : 18,
      duration: 900,
    });
  }

  /**
   * Keep the left `px` of the map (under a card) out of every fit and out of the map's centre,
   * without moving what is on screen now.
   */
  setLeftInset(px: number): void {
    const { left = 0, top = 0, right = 0, bottom = 0 } = this.map.getPadding();
    if (left === px) return;
    const canvas = this.map.getCanvas();
    const width = canvas.clientWidth;
    const height = canvas.clientHeight;
    const centre = this.map.unproject([px + (width - px - right) / 2, top + (height - top - bottom) / 2]);
    this.map.jumpTo({ center: centre, padding: { left: px, top, right, bottom } });
  }

  /** Keep the top `px` of the map (under the editor's toolbar) out of every fit, as setLeftInset does. */
  setTopInset(px: number): void {
    const { left = 0, top = 0, right = 0, bottom = 0 } = this.map.getPadding();
    if (top === px) return;
    const canvas = this.map.getCanvas();
    const centre = this.map.unproject([
      left + (canvas.clientWidth - left - right) / 2,
      px + (canvas.clientHeight - px - bottom) / 2,
    ]);
    this.map.jumpTo({ center: centre, padding: { left, top: px, right, bottom } });
  }

  /** What the map shows now, as [west, south, east, north] (批量修复 in the current view). */
  viewBbox(): Bbox {
    const b = this.map.getBounds();
    return [b.getWest(), b.getSouth(), b.getEast(), b.getNorth()];
  }

  /** True when the whole bbox is on screen, e.g. while the user looks at a whole region. */
  showsBbox(bbox: Bbox): boolean {
    const bounds = this.map.getBounds();
    return bounds.contains([bbox[0], bbox[1]]) && bounds.contains([bbox[2], bbox[3]]);
  }

  /** Fit a bbox; `rightInset` keeps it clear of a card drawn over the map's right side. */
  fitBbox(bbox: Bbox, animate = true, rightInset = 0): void {
    this.map.fitBounds(new LngLatBounds([bbox[0], bbox[1]], [bbox[2], bbox[3]]), {
      padding: { top: 30, bottom: 30, left: 30, right: 30 + rightInset },
      animate,
      duration: 900,
      maxZoom: 17,
    });
  }

  /** Fly to a point (a search result without an extent): street zoom, unless already closer. */
  flyToPoint(lon: number, lat: number, rightInset = 0): void {
    this.map.flyTo({
      center: [lon, lat],
      zoom: Math.max(this.map.getZoom(), 17),
      padding: { top: 30, bottom: 30, left: 30, right: 30 + rightInset },
      duration: 900,
    });
  }

  /** The ring that marks a search result on this map. */
  createSearchHitLayer(): SearchHitLayer {
    return new SearchHitLayer(this.map);
  }

  /** A station's properties as loaded for the map, by code. */
  station(code: string): StationProperties | undefined {
    return this.stationsByCode.get(code);
  }

  /** Resolve at the next `idle`: sources loaded, nothing left to draw. */
  whenIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.map.once('idle', () => resolve());
      this.map.triggerRepaint();
    });
  }

  resize(): void {
    this.map.resize();
  }

  /** Screen position (CSS pixels, relative to the map container) of a lon/lat. */
  project(lon: number, lat: number): { x: number; y: number } {
    const point = this.map.project([lon, lat]);
    return { x: point.x, y: point.y };
  }

  /** The raw map, for debugging from the console and for end-to-end tests only. */
  get debugMap(): MapLibreMap {
    return this.map;
  }

  private source(id: string): GeoJSONSource {
    const source = this.map.getSource<GeoJSONSource>(id);
    if (!source) throw new Error(`map source ${id} missing`);
    return source;
  }

  private setState(source: string, id: string, state: Record<string, boolean>): void {
    this.map.setFeatureState(
      source === TILE_SOURCES.grids ? { source, sourceLayer: 'grids', id } : { source, id },
      state,
    );
  }

  /** The base map under and around our layers (base-layers.ts); `external`: a basemap style is drawn. */
  private addBaseLayers(external: boolean): void {
    const origin = window.location.origin;
    this.map.addSource(BASE_SOURCES.base, baseTileSource(origin, BASE_TILESET, this.tileVersion));
    this.map.addSource(BASE_SOURCES.buildings, baseTileSource(origin, 'buildings', this.tileVersion));
    for (const layer of baseUnderLayers({ external })) this.map.addLayer(layer, LAYERS.gridFill);
    for (const layer of baseRoadLayers({ external })) this.map.addLayer(layer, LAYERS.gridLine);
    const labels = () => baseLabelLayers({ external, householdsUnit: t('map.householdsUnit') });
    for (const layer of labels()) this.map.addLayer(layer, LAYERS.stations);
    onLangChange(() => {
      for (const layer of labels())
        if (layer.type === 'symbol') this.map.setLayoutProperty(layer.id, 'text-field', layer.layout?.['text-field']);
    });
  }

  private addOwnLayers(external: boolean): void {
    const { width, height, data } = hatchImage();
    this.map.addImage(HATCH_IMAGE, { width, height, data });
    // promoteId makes the grid/station code the feature id, so feature-state can address it.
    this.map.addSource(SOURCES.grids, { type: 'geojson', data: EMPTY, promoteId: 'code' });
    this.map.addSource(SOURCES.communities, { type: 'geojson', data: EMPTY });
    this.map.addSource(SOURCES.district, { type: 'geojson', data: EMPTY });
    this.map.addSource(SOURCES.selectedRegion, { type: 'geojson', data: EMPTY });
    this.map.addSource(SOURCES.stations, { type: 'geojson', data: EMPTY, promoteId: 'code' });
    for (const source of Object.values(PROBLEM_SOURCES))
      this.map.addSource(source, { type: 'geojson', data: EMPTY, promoteId: 'id' });
    for (const source of Object.values(DRAFT_SOURCES))
      this.map.addSource(source, { type: 'geojson', data: EMPTY, promoteId: 'code' });
    for (const layer of [...gridLayers(), ...problemLayers()]) this.map.addLayer(layer);
    // The draft goes over the published grids, under the outlines, stations and problems.
    for (const layer of draftLayers()) this.map.addLayer(layer, LAYERS.communityLine);
    this.addBaseLayers(external);
  }

  private hitAt(event: MapMouseEvent): {
    problem?: MapGeoJSONFeature;
    station?: MapGeoJSONFeature;
    grid?: MapGeoJSONFeature;
  } {
    if (this.hasProblems) {
      const [problem] = this.map.queryRenderedFeatures(event.point, { layers: [...PROBLEM_HIT_LAYERS] });
      if (problem) return { problem };
    }
    const [station] = this.map.queryRenderedFeatures(event.point, { layers: [LAYERS.stations] });
    if (station) return { station };
    if (this.hasDraft) {
      const [live] = this.map.queryRenderedFeatures(event.point, { layers: [DRAFT_LAYERS.fill] });
      if (live) return { grid: live };
      // A retired grid with nothing drafted over it: nothing to pick underneath.
      if (this.map.queryRenderedFeatures(event.point, { layers: [DRAFT_LAYERS.retired] }).length > 0) return {};
    }
    const [grid] = this.map.queryRenderedFeatures(event.point, { layers: [LAYERS.gridFill] });
    return grid ? { grid } : {};
  }

  private bindEvents(): void {
    this.map.on('click', (event) => {
      if (this.clicksSuppressed) return;
      if (this.handlers.overlayClick?.(event.point, [event.lngLat.lng, event.lngLat.lat])) return;
      const { problem, station, grid } = this.hitAt(event);
      if (problem) {
        this.handlers.problemClick?.(String(problem.id));
      } else if (station) {
        const properties = this.stationsByCode.get(String(station.id));
        if (properties) this.handlers.stationClick?.(properties);
      } else if (grid) {
        const { shiftKey, ctrlKey, metaKey } = event.originalEvent;
        this.handlers.gridClick?.(String(grid.id), shiftKey || ctrlKey || metaKey);
      } else {
        this.handlers.emptyClick?.();
      }
    });
    this.map.on('mousemove', (event) => {
      const { problem, station, grid } = this.hitAt(event);
      this.map.getCanvas().style.cursor = problem || station || grid ? 'pointer' : '';
      const feature = station ?? grid;
      const next: Hit | null = feature
        ? { source: station ? SOURCES.stations : this.gridSource, id: String(feature.id) }
        : null;
      this.handlers.hover?.(
        next ? { layer: next.source === SOURCES.stations ? 'station' : 'grid', code: next.id } : null,
        { x: event.point.x, y: event.point.y },
      );
      if (next?.id === this.hover?.id && next?.source === this.hover?.source) return;
      if (this.hover) this.setState(this.hover.source, this.hover.id, { hover: false });
      this.hover = next;
      if (next) this.setState(next.source, next.id, { hover: true });
    });
    this.map.on('mouseout', () => {
      this.handlers.hover?.(null, { x: 0, y: 0 });
      if (this.hover) this.setState(this.hover.source, this.hover.id, { hover: false });
      this.hover = null;
    });
  }
}
