/**
 * The search box over the map: signed-in users search with household figures (/api/search),
 * anonymous visitors the residents' search (/api/public/search). Picking a hit frames it and
 * selects it as a click would: a grid opens its details, a street or community is selected as in
 * the tree, a station opens its card; other hits (compounds, roads, addresses) get a ring.
 */
import { api } from '../api.ts';
import { byId, h } from '../dom.ts';
import { SearchBox, type Hit } from '../panels/search-box.ts';
import type { MapApp } from './app-context.ts';
import { selectRegionByCode } from './district.ts';
import { detailsInset } from './layout.ts';

export function wireSearch(app: MapApp): void {
  const container = h('div', { id: 'map-search', class: 'map-search', role: 'search' });
  byId('map').after(container);
  const ring = app.map.createSearchHitLayer();
  new SearchBox(
    container,
    async (q, signal) => (await api.search(q, app.sessionUser !== null, signal)).hits,
    (hit) => void showHit(app, hit, ring),
  );
}

async function showHit(app: MapApp, hit: Hit, ring: ReturnType<MapApp['map']['createSearchHitLayer']>): Promise<void> {
  const { map, details } = app;
  ring.show(hit.type === 'grid' || hit.type === 'community' || hit.type === 'street' ? null : hit);
  // For the end-to-end test: what was picked last.
  document.body.dataset.searchPicked = `${hit.type}:${hit.code}`;
  if (hit.type === 'street' || hit.type === 'community') {
    await selectRegionByCode(app, hit.code);
    return;
  }
  if (hit.type === 'grid') {
    const request = ++app.gridRequest;
    map.selectGrid(hit.code);
    details.showLoading();
    if (hit.bbox) map.fitBbox(hit.bbox, true, detailsInset());
    api.grid(hit.code).then(
      (grid) => request === app.gridRequest && details.showGrid(grid),
      (error: Error) => request === app.gridRequest && details.showError(error.message),
    );
    return;
  }
  if (hit.type === 'station') {
    const station = map.station(hit.code);
    if (station) {
      app.gridRequest++;
      map.selectGrid(null);
      details.showStation(station);
    }
  }
  if (hit.bbox) map.fitBbox(hit.bbox, true, detailsInset());
  else map.flyToPoint(hit.lon, hit.lat, detailsInset());
}
