/**
 * Where a search result is: a ring at its point, drawn over everything, until the next pick or
 * until it is cleared. Framing the result is the adapter's (fitBbox / flyToPoint).
 */
import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';

const SOURCE = 'search-hit';
export const SEARCH_HIT_LAYER = 'search-hit-ring';

export class SearchHitLayer {
  constructor(private readonly map: MapLibreMap) {}

  /** Mark a point (WGS84), or clear the mark with null. */
  show(point: { lon: number; lat: number } | null): void {
    this.ensure();
    const data: GeoJSON.FeatureCollection = {
      type: 'FeatureCollection',
      features: point
        ? [{ type: 'Feature', geometry: { type: 'Point', coordinates: [point.lon, point.lat] }, properties: {} }]
        : [],
    };
    this.map.getSource<GeoJSONSource>(SOURCE)!.setData(data);
  }

  /** Added on first use, on top of the layers present then. */
  private ensure(): void {
    if (this.map.getSource(SOURCE)) return;
    this.map.addSource(SOURCE, { type: 'geojson', data: { type: 'FeatureCollection', features: [] } });
    this.map.addLayer({
      id: SEARCH_HIT_LAYER,
      type: 'circle',
      source: SOURCE,
      paint: {
        'circle-radius': 11,
        'circle-color': 'rgba(0, 0, 0, 0)',
        'circle-stroke-color': '#d81b60',
        'circle-stroke-width': 3,
      },
    });
  }
}
