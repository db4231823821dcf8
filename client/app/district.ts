/**
 * The district on show: the region tree and its selection, the grids (GeoJSON for a small
 * district, vector tiles for a big one), the stations and community outlines, and what is
 * fetched again after a sign-in or out or an import.
 */
import type { GridCollection } from '../../common/contracts/grids.ts';
import type { RegionFeature, RegionSummary } from '../../common/contracts/regions.ts';
import type { StationKind } from '../../common/rules/station-kinds.ts';
import { streetOf } from '../../common/rules/region-codes.ts';
import { api, forgetRegionFeatures } from '../api.ts';
import { byId } from '../dom.ts';
import { householdBounds } from '../household-bounds.ts';
import { gridSourceKind } from '../map/tile-source.ts';
import { RegionTree } from '../panels/region-tree.ts';
import type { MapApp } from './app-context.ts';
import { closeSidebarOnPhone, detailsInset } from './layout.ts';

/** Community outlines: district → streets → communities, features fetched in parallel. */
async function loadCommunities(districtCode: string): Promise<RegionFeature[]> {
  const { regions: streets } = await api.regions(districtCode);
  const lists = await Promise.all(streets.map((street) => api.regions(street.code)));
  const communities = lists.flatMap((list) => list.regions);
  return Promise.all(communities.map((community) => api.region(community.code)));
}

async function selectRegion(app: MapApp, region: RegionSummary, animate = true): Promise<RegionFeature> {
  const { map } = app;
  app.validation?.setRegion(region);
  app.coverage?.setRegion(region);
  app.cases?.setRegion(region);
  app.caseStats?.setRegion(region);
  app.interop.setRegion(region);
  app.editor?.setSelectedStreet(region.level === 'district' ? null : streetOf(region.code));
  app.editor?.setSelectedCommunity(region.level === 'community' ? region.code : null);
  const feature = await api.region(region.code);
  app.currentRegion = feature;
  app.summary.show(feature);
  map.setSelectedRegion(feature.properties.level === 'district' ? null : feature);
  map.fitBbox(feature.properties.bbox, animate, detailsInset());
  closeSidebarOnPhone();
  return feature;
}

/** Select a region by code as a click in the tree would (a search result): fits it, shows its summary. */
export async function selectRegionByCode(app: MapApp, code: string): Promise<void> {
  const { properties } = await api.region(code);
  app.tree?.highlight(code);
  await selectRegion(app, properties);
}

function showGrids(app: MapApp, grids: GridCollection): void {
  const { map, tooltip } = app;
  app.districtGrids = grids;
  map.setGrids(grids);
  app.editor?.setPublishedGrids(grids);
  tooltip.grids.clear();
  for (const grid of grids.features) tooltip.grids.set(grid.properties.code, grid.properties);
  app.status.setGrids(grids);
  // For the end-to-end tests: whether the grids on the map carry household figures.
  document.body.dataset.households = grids.features.some((f) => f.properties.households !== null) ? '1' : '0';
}

/** The region card of the region on show, fetched again (its figures changed). */
function refreshSummary(app: MapApp): void {
  const code = app.currentRegion?.properties.code;
  if (!code) return;
  void api.region(code).then(
    (feature) => {
      if (app.currentRegion?.properties.code !== code) return;
      app.currentRegion = feature;
      app.summary.show(feature);
    },
    (error: Error) => console.error(error),
  );
}

/** After a sign-in or out, a publish and an import: fetch again what changed. */
export function wireReloads(app: MapApp): void {
  const { map } = app;
  app.reloadForSession = (signedIn) => {
    // Tiles vary by session (households and band for signed-in readers): fetch them again.
    map.refreshTiles();
    if (map.usesGridTiles) {
      document.body.dataset.households = signedIn ? '1' : '0';
      return;
    }
    // The grids as loaded already match the session (e.g. the start-up session check came late).
    if (!app.districtCode || app.districtGrids?.features.some((f) => f.properties.households !== null) === signedIn)
      return;
    if (!app.editor?.active) {
      app.gridRequest++;
      map.selectGrid(null);
      app.details.close(); // it may show households the new session must not see
    }
    forgetRegionFeatures();
    void api.grids(app.districtCode).then(
      (grids) => showGrids(app, grids),
      (error: Error) => console.error(error),
    );
    refreshSummary(app);
  };

  /** Grids were published (a draft, an import): redraw them and fetch the region card's figures again. */
  const gridsChanged = () => {
    // The region features carry grid and household counts: the memo of them is out of date.
    forgetRegionFeatures();
    refreshSummary(app);
    // Tiles (grids and the base map's grid labels) are fetched again either way.
    map.refreshTiles();
    if (map.usesGridTiles) {
      void api.region(app.districtCode).then(
        (district) => app.status.setTileCount(district.properties.grid_count),
        (error: Error) => console.error(error),
      );
      return;
    }
    void api.grids(app.districtCode).then(
      (grids) => showGrids(app, grids),
      (error: Error) => console.error(error),
    );
  };
  app.reloadAfterPublish = gridsChanged;

  app.reloadAfterImport = (layer) => {
    if (layer === 'grids') gridsChanged();
    // Any other layer may change the base map too (roads, compounds, names): fetch its tiles again.
    else map.refreshTiles();
    if (layer === 'stations')
      void api.stations(app.districtCode).then(
        (stations) => map.setStations(stations),
        (error: Error) => console.error(error),
      );
  };
}

export function wireRegionTree(app: MapApp): RegionTree {
  app.tree = new RegionTree(byId('region-tree'), { onSelect: (region) => void selectRegion(app, region) });
  return app.tree;
}

/** Load the first district: its tree, grids, stations and community outlines. */
export async function loadDistrict(app: MapApp, tree: RegionTree): Promise<void> {
  const { map, status, tooltip } = app;
  try {
    const [district] = await tree.load();
    if (!district) throw new Error('no district loaded');
    tree.highlight(district.code);
    const districtFeature = await selectRegion(app, district, false);
    map.setDistrict(districtFeature);
    app.districtCode = district.code;
    app.legend?.setBounds(householdBounds.of(app.districtCode));
    // A big region is drawn from vector tiles: its grids are never loaded as one GeoJSON.
    if (gridSourceKind(districtFeature.properties.grid_count, window.location.search) === 'tiles') {
      map.useGridTiles();
      status.setTileCount(districtFeature.properties.grid_count);
      document.body.dataset.gridSource = 'tiles';
      document.body.dataset.households = app.sessionUser ? '1' : '0';
    } else {
      showGrids(app, await api.grids(district.code));
    }
    // Stations and outlines are extras: the map is usable without them.
    const extras = Promise.allSettled([
      api.stations(district.code).then((stations) => {
        map.setStations(stations);
        const counts: Partial<Record<StationKind, number>> = {};
        for (const { properties } of stations.features) {
          tooltip.stations.set(properties.code, properties);
          counts[properties.kind] = (counts[properties.kind] ?? 0) + 1;
        }
        app.legend?.setStationCounts(counts);
      }),
      loadCommunities(district.code).then((communities) => {
        map.setCommunities(communities);
        app.editor?.setCommunities(communities);
      }),
    ]);
    await map.whenIdle();
    document.body.dataset.mapReady = '1';
    for (const result of await extras) if (result.status === 'rejected') console.error(result.reason);
    await map.whenIdle();
    document.body.dataset.layersReady = '1';
  } catch (error) {
    status.fail((error as Error).message);
    throw error;
  }
}
