/**
 * The case layers on a live map: points by state and the 办结率 choropleth, each switched on
 * and off by itself; answers what a click hit and shows the case's popup. Created by
 * MapAdapter.createCaseOverlay(), so maplibregl stays inside client/map/.
 */
import { Popup, type GeoJSONSource, type Map as MapLibreMap, type PointLike } from 'maplibre-gl';
import type { CasePointCollection, CasePointProperties } from '../../common/contracts/case-points.ts';
import { CASE_LAYERS, CASE_SOURCES, caseLayers } from './case-layers.ts';
import { LAYERS } from './layers.ts';

const EMPTY: GeoJSON.FeatureCollection = { type: 'FeatureCollection', features: [] };

export class CaseOverlay {
  private popup: Popup | null = null;

  constructor(private readonly map: MapLibreMap) {
    for (const source of Object.values(CASE_SOURCES)) map.addSource(source, { type: 'geojson', data: EMPTY });
    // The choropleth goes under the community outlines; the points on top of everything.
    for (const layer of caseLayers())
      map.addLayer(layer, layer.id === CASE_LAYERS.points ? undefined : LAYERS.communityLine);
  }

  setPoints(points: CasePointCollection | null): void {
    this.source(CASE_SOURCES.points).setData((points as GeoJSON.FeatureCollection | null) ?? EMPTY);
    if (!points) this.closePopup();
  }

  setGridRates(rates: GeoJSON.FeatureCollection | null): void {
    this.source(CASE_SOURCES.rates).setData(rates ?? EMPTY);
  }

  showPoints(on: boolean): void {
    this.map.setLayoutProperty(CASE_LAYERS.points, 'visibility', on ? 'visible' : 'none');
    if (!on) this.closePopup();
  }

  showRates(on: boolean): void {
    for (const layer of [CASE_LAYERS.rateFill, CASE_LAYERS.rateLine])
      this.map.setLayoutProperty(layer, 'visibility', on ? 'visible' : 'none');
  }

  /** The case point at a point of the container, if the points are on. */
  caseAt(point: PointLike): CasePointProperties | null {
    if (this.map.getLayoutProperty(CASE_LAYERS.points, 'visibility') !== 'visible') return null;
    const [hit] = this.map.queryRenderedFeatures(point, { layers: [CASE_LAYERS.points] });
    return hit ? (hit.properties as CasePointProperties) : null;
  }

  showPopup(lngLat: [number, number], content: HTMLElement): void {
    this.closePopup();
    this.popup = new Popup({ closeButton: true, maxWidth: '260px', className: 'case-popup' })
      .setLngLat(lngLat)
      .setDOMContent(content)
      .addTo(this.map);
  }

  closePopup(): void {
    this.popup?.remove();
    this.popup = null;
  }

  private source(id: string): GeoJSONSource {
    const source = this.map.getSource<GeoJSONSource>(id);
    if (!source) throw new Error(`map source ${id} missing`);
    return source;
  }
}
