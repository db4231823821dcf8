/**
 * The coverage layers on a live map: the panel hands it reports, it sets sources, shows one
 * view at a time, answers what a click hit, and snapshots the canvas for printing. Created by
 * MapAdapter.createCoverageOverlay(), so maplibregl stays inside client/map/.
 */
import { Marker, Popup, type GeoJSONSource, type Map as MapLibreMap, type PointLike } from 'maplibre-gl';
import type { GridCollection } from '../../common/contracts/grids.ts';
import type { PartyCoverageReport } from '../../common/contracts/party-coverage.ts';
import type { StationReachReport, StationSuggestResponse } from '../../common/contracts/station-reach.ts';
import { COVERAGE_LAYERS, COVERAGE_SOURCES, VIEW_LAYERS, coverageLayers } from './coverage-layers.ts';
import { regionPrefix } from '../../common/rules/region-codes.ts';
import {
  orgOutlines,
  toPartyGrids,
  toReachStations,
  toShareGrids,
  toSuggestionFeatures,
  toUnreachedFeatures,
} from './coverage-features.ts';
import { LAYERS } from './layers.ts';

export type CoverageView = 'party' | 'reach';
export type CoverageHit =
  { kind: 'grid'; code: string } | { kind: 'unreached'; index: number } | { kind: 'station'; code: string } | null;

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

export class CoverageOverlay {
  private view: CoverageView | null = null;
  private markers: Marker[] = [];
  private popup: Popup | null = null;
  private selectedUnreached: number | null = null;
  /** Told which view the map shows (null: none), e.g. so the sidebar's legend can follow it. */
  onShow: ((view: CoverageView | null) => void) | null = null;

  constructor(private readonly map: MapLibreMap) {
    for (const source of Object.values(COVERAGE_SOURCES)) {
      map.addSource(source, {
        type: 'geojson',
        data: EMPTY,
        promoteId: source === COVERAGE_SOURCES.unreached ? 'index' : undefined,
      });
    }
    // Fills go under the community outlines; lines and points on top of everything.
    for (const layer of coverageLayers()) {
      map.addLayer(
        layer,
        layer.type === 'fill' && layer.id !== COVERAGE_LAYERS.orgSelectedFill ? LAYERS.communityLine : undefined,
      );
    }
  }

  /** Show one view's layers (null: none), dimming the grids' own fill and stations under them. */
  show(view: CoverageView | null): void {
    this.view = view;
    for (const [name, layers] of Object.entries(VIEW_LAYERS)) {
      for (const layer of layers) this.map.setLayoutProperty(layer, 'visibility', name === view ? 'visible' : 'none');
    }
    this.map.setPaintProperty(
      LAYERS.gridFill,
      'fill-opacity',
      view ? 0.12 : (['case', ['boolean', ['feature-state', 'hover'], false], 0.85, 0.55] as never),
    );
    // The reach draws its own counted stations; party coverage needs none.
    this.map.setLayoutProperty(LAYERS.stations, 'visibility', view ? 'none' : 'visible');
    for (const marker of this.markers) marker.getElement().hidden = view !== 'reach';
    if (view !== 'reach') this.closePopup();
    this.onShow?.(view);
  }

  setParty(grids: GridCollection | null, report: PartyCoverageReport | null): void {
    this.source(COVERAGE_SOURCES.partyGrids).setData(grids && report ? toPartyGrids(grids, report) : EMPTY);
    if (!grids || !report) return void this.source(COVERAGE_SOURCES.orgOutlines).setData(EMPTY);
    const prefix = regionPrefix(report.region.code, report.region.level);
    const inRegion = { ...grids, features: grids.features.filter((f) => f.properties.code.startsWith(prefix)) };
    this.source(COVERAGE_SOURCES.orgOutlines).setData(orgOutlines(inRegion));
  }

  /** The chosen organisation's area (its union outline), or none. */
  setSelectedOrg(outline: GeoJSON.MultiPolygon | null): void {
    this.source(COVERAGE_SOURCES.orgSelected).setData(
      outline ? { type: 'Feature', geometry: outline, properties: {} } : EMPTY,
    );
  }

  setReach(grids: GridCollection | null, report: StationReachReport | null): void {
    this.selectUnreached(null);
    this.closePopup();
    this.source(COVERAGE_SOURCES.shareGrids).setData(grids && report ? toShareGrids(grids, report) : EMPTY);
    this.source(COVERAGE_SOURCES.unreached).setData(report ? toUnreachedFeatures(report) : EMPTY);
    this.source(COVERAGE_SOURCES.stations).setData(report ? toReachStations(report) : EMPTY);
  }

  /** Suggested sites: a circle in the canvas (it prints) and a numbered marker over it. */
  setSuggestions(response: StationSuggestResponse | null): void {
    this.source(COVERAGE_SOURCES.suggestions).setData(toSuggestionFeatures(response));
    for (const marker of this.markers) marker.remove();
    this.markers = (response?.suggestions ?? []).map((s) => {
      const element = document.createElement('div');
      element.className = 'suggestion-marker';
      element.dataset.rank = String(s.rank);
      element.textContent = String(s.rank);
      element.hidden = this.view !== 'reach';
      return new Marker({ element }).setLngLat([s.lon, s.lat]).addTo(this.map);
    });
  }

  selectUnreached(index: number | null): void {
    const source = COVERAGE_SOURCES.unreached;
    if (this.selectedUnreached !== null)
      this.map.setFeatureState({ source, id: this.selectedUnreached }, { selected: false });
    this.selectedUnreached = index;
    if (index !== null) this.map.setFeatureState({ source, id: index }, { selected: true });
  }

  /** What the shown view has at a point (container pixels): a station, an unreached area, a grid. */
  hitAt(point: PointLike): CoverageHit {
    if (this.view === 'reach') {
      const [station] = this.map.queryRenderedFeatures(point, { layers: [COVERAGE_LAYERS.stations] });
      if (station) return { kind: 'station', code: String(station.properties.code) };
      const [area] = this.map.queryRenderedFeatures(point, { layers: [COVERAGE_LAYERS.unreachedFill] });
      if (area) return { kind: 'unreached', index: Number(area.properties.index) };
      return null;
    }
    if (this.view === 'party') {
      const [grid] = this.map.queryRenderedFeatures(point, { layers: [COVERAGE_LAYERS.partyFill] });
      if (grid) return { kind: 'grid', code: String(grid.properties.code) };
    }
    return null;
  }

  showPopup(lngLat: [number, number], content: HTMLElement): void {
    this.closePopup();
    this.popup = new Popup({ closeButton: true, maxWidth: '260px', className: 'coverage-popup' })
      .setLngLat(lngLat)
      .setDOMContent(content)
      .addTo(this.map);
  }

  closePopup(): void {
    this.popup?.remove();
    this.popup = null;
  }

  /**
   * The map as a PNG data URL, read in the frame it is drawn (no preserveDrawingBuffer
   * needed). With `bbox`, the whole of it is framed first, clear of the card's inset, and the
   * view is put back afterwards.
   */
  async snapshot(bbox?: [number, number, number, number]): Promise<string> {
    const camera = { center: this.map.getCenter(), zoom: this.map.getZoom(), padding: this.map.getPadding() };
    if (bbox) {
      this.map.setPadding({ top: 0, right: 0, bottom: 0, left: 0 });
      this.map.fitBounds(bbox, { animate: false, padding: 16 });
      await new Promise<void>((resolve) => {
        this.map.once('idle', () => resolve());
        this.map.triggerRepaint();
      });
    }
    const image = await new Promise<string>((resolve) => {
      this.map.once('render', () => resolve(this.map.getCanvas().toDataURL('image/png')));
      this.map.triggerRepaint();
    });
    if (bbox) this.map.jumpTo(camera);
    return image;
  }

  private source(id: string): GeoJSONSource {
    const source = this.map.getSource<GeoJSONSource>(id);
    if (!source) throw new Error(`map source ${id} missing`);
    return source;
  }
}
