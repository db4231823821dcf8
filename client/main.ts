/** Entry point: wires the API, the map adapter and the panels together. */
import type { SessionUser } from '../common/contracts/auth.ts';
import type { GridCollection } from '../common/contracts/grids.ts';
import type { RegionFeature, RegionSummary } from '../common/contracts/regions.ts';
import type { StationKind } from '../common/domain.ts';
import { api, forgetRegionFeatures } from './api.ts';
import { byId } from './dom.ts';
import { lang, onLangChange, setLang, t, type MessageKey } from './i18n/index.ts';
import { MapAdapter } from './map/adapter.ts';
import { gridSourceKind } from './map/tile-source.ts';
import { Editor } from './editor/editor.ts';
import { CoveragePanel } from './panels/coverage-panel.ts';
import { DetailsPanel } from './panels/details.ts';
import { ImportExportDialog } from './panels/import-dialog.ts';
import { LegendPanel } from './panels/legend.ts';
import { LoginPanel } from './panels/login.ts';
import { MapTooltip } from './panels/map-tooltip.ts';
import { RegionTree } from './panels/region-tree.ts';
import { RegionSummaryPanel } from './panels/region-summary.ts';
import { StatusLine } from './panels/status-line.ts';
import { ValidationPanel } from './panels/validation.ts';
import { bboxOf } from './problems.ts';
import { householdBounds } from './household-bounds.ts';
import './styles.css';
import './coverage.css';
import './interop.css';

declare global {
  interface Window {
    /** Debug handle for the console and the end-to-end test. */
    __wangge?: { map: unknown; adapter: MapAdapter; project: (lon: number, lat: number) => { x: number; y: number } };
  }
}

/** Static strings in index.html carry data-i18n / data-i18n-title keys. */
function translateStatic(): void {
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n as MessageKey);
  }
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n-title]')) {
    element.title = t(element.dataset.i18nTitle as MessageKey);
  }
  document.title = t('app.title');
}

/** Community outlines: district → streets → communities, features fetched in parallel. */
async function loadCommunities(districtCode: string): Promise<RegionFeature[]> {
  const { regions: streets } = await api.regions(districtCode);
  const lists = await Promise.all(streets.map((street) => api.regions(street.code)));
  const communities = lists.flatMap((list) => list.regions);
  return Promise.all(communities.map((community) => api.region(community.code)));
}

function setupSidebarToggle(): void {
  const toggle = byId<HTMLButtonElement>('sidebar-toggle');
  toggle.addEventListener('click', () => {
    const open = document.body.classList.toggle('sidebar-open');
    toggle.setAttribute('aria-expanded', String(open));
  });
}

async function main(): Promise<void> {
  onLangChange(translateStatic);
  byId('lang-switch').addEventListener('click', () => setLang(lang() === 'zh' ? 'en' : 'zh'));
  setupSidebarToggle();

  const status = new StatusLine(byId('status'));
  const details = new DetailsPanel(byId('details'));
  const summary = new RegionSummaryPanel(byId('region-summary'));
  // The editor needs the map; the session may be known before it exists.
  let editor: Editor | null = null;
  let sessionUser: SessionUser | null = null;
  let coverage: CoveragePanel | null = null;
  let legend: LegendPanel | null = null;
  let validation: ValidationPanel | null = null;
  // Set once the map has its data: reloads what carries household figures after a sign-in or out.
  let reloadForSession: ((signedIn: boolean) => void) | null = null;
  // 导入 / 导出 (writers import, planners export); a committed import redraws what it changed.
  let reloadAfterImport: ((layer: string) => void) | null = null;
  const interop = new ImportExportDialog(byId('auth'), (layer) => reloadAfterImport?.(layer));
  const login = new LoginPanel(byId('auth'), (user) => {
    sessionUser = user;
    editor?.setUser(user);
    interop.setUser(user);
    // Household figures, 校验 and 覆盖分析 are for signed-in users only (the API enforces it).
    summary.setSignedIn(!!user);
    legend?.setHouseholdsVisible(!!user);
    if (!user) {
      coverage?.signOut();
      validation?.close();
    }
    reloadForSession?.(!!user);
    // The bands' bounds come from the API (per district), for signed-in users only.
    if (user) void householdBounds.load().catch((error: Error) => console.error(error));
    else householdBounds.clear();
  });
  void login.refresh();

  const config = await api.config().catch(() => ({ basemapStyleUrl: null, demo: false }));
  byId('demo-badge').hidden = !config.demo;
  login.setDemo(config.demo);

  const map = await MapAdapter.create({ container: byId('map'), basemapStyleUrl: config.basemapStyleUrl });
  window.__wangge = { map: map.debugMap, adapter: map, project: (lon, lat) => map.project(lon, lat) };

  let districtCode = '';
  let districtGrids: GridCollection | null = null;
  editor = new Editor(byId('editor'), map, {
    onActiveChange: (active) => {
      document.body.classList.toggle('editing', active);
      if (active) {
        map.selectGrid(null);
        details.close();
      }
    },
    onPublished: () => {
      map.refreshGridTiles();
      if (map.usesGridTiles) return;
      void api.grids(districtCode).then((grids) => {
        districtGrids = grids;
        map.setGrids(grids);
        editor?.setPublishedGrids(grids);
        status.setGrids(grids);
      });
    },
  });
  editor.setUser(sessionUser);

  let gridRequest = 0;
  details.onClose = () => map.selectGrid(null);
  const tooltip = new MapTooltip(byId('map-tooltip'));
  map.on({
    hover: (target, point) => tooltip.show(target, point),
    gridClick: (code, additive) => {
      if (editor?.active) return void editor.pickGrid(code, additive);
      const request = ++gridRequest;
      map.selectGrid(code);
      details.showLoading();
      api.grid(code).then(
        (grid) => request === gridRequest && details.showGrid(grid),
        (error: Error) => request === gridRequest && details.showError(error.message),
      );
    },
    stationClick: (station) => {
      gridRequest++;
      map.selectGrid(null);
      details.showStation(station);
    },
    emptyClick: () => {
      editor?.clearPicked();
      map.selectGrid(null);
      details.close();
    },
  });

  const narrow = () => window.matchMedia('(max-width: 700px)').matches;
  const detailsInset = () => (document.body.classList.contains('details-open') && !narrow() ? byId('details').offsetWidth + 20 : 0);
  let currentRegion: RegionFeature | null = null;
  // The check's and the coverage's cards cover the map's left side (not on phones, where they
  // sit below the map); one of the two is open at a time.
  const leftCardChanged = (card: HTMLElement, bodyClass: string, open: boolean) => {
    document.body.classList.toggle(bodyClass, open);
    map.resize(); // on a phone the sheet takes room from the map
    const bbox = currentRegion?.properties.bbox;
    const wholeRegionInView = bbox && map.showsBbox(bbox);
    map.setLeftInset(open && !narrow() ? card.offsetWidth + 10 : 0);
    // Looking at the whole region: move it out from under the card.
    if (open && bbox && wholeRegionInView) map.fitBbox(bbox, true, detailsInset());
  };
  const validationCard = byId('validation');
  validation = new ValidationPanel(validationCard, {
    gridName: (code) => tooltip.grids.get(code)?.name,
    onReport: (report) => {
      map.setProblems(report?.problems ?? null);
      if (report) tree.setStatuses(report.communities);
    },
    onProblem: (problem) => {
      map.highlightProblem(problem.properties.id);
      const [lon, lat] = problem.properties.point;
      map.showProblem(bboxOf(problem.geometry) ?? [lon, lat, lon, lat], detailsInset());
    },
    onOpenChange: (open) => leftCardChanged(validationCard, 'validation-open', open),
  });
  const coverageCard = byId('coverage');
  coverage = new CoveragePanel(coverageCard, {
    overlay: map.createCoverageOverlay(),
    grids: () => districtGrids,
    bboxOf: (code) => api.region(code).then((region) => region.properties.bbox, () => null),
    fit: (bbox) => map.showProblem(bbox, detailsInset()),
    onOpenChange: (open) => {
      if (open) {
        validation.close();
        details.close();
        map.selectGrid(null);
      }
      leftCardChanged(coverageCard, 'coverage-open', open);
    },
  });
  summary.setSignedIn(!!sessionUser);
  summary.onCoverage = () => {
    coverage?.open();
    if (narrow()) document.body.classList.remove('sidebar-open');
  };
  // While a draft is open, map clicks pick grids for the editor, not for the coverage.
  map.on({ overlayClick: (point, lngLat) => !editor?.active && !!coverage?.mapClick(point, lngLat) });
  summary.onValidate = () => {
    coverage?.close();
    validation?.open();
    // On a phone the card is a sheet below the map: close the drawer over it.
    if (narrow()) document.body.classList.remove('sidebar-open');
  };
  map.on({ problemClick: (id) => !!validation?.select(id) && map.highlightProblem(id) });

  legend = new LegendPanel(byId('layers'), {
    onFillMode: (mode) => {
      map.setFillMode(mode);
      status.setMode(mode);
    },
    onStationKinds: (kinds) => map.setVisibleStationKinds(kinds),
  });
  legend.setHouseholdsVisible(!!sessionUser);
  householdBounds.onChange(() => legend?.setBounds(householdBounds.of(districtCode)));

  const selectRegion = async (region: RegionSummary, animate = true) => {
    validation?.setRegion(region);
    coverage?.setRegion(region);
    interop.setRegion(region);
    editor?.setSelectedStreet(region.level === 'district' ? null : `${region.code.slice(0, 9)}000`);
    const feature = await api.region(region.code);
    currentRegion = feature;
    summary.show(feature);
    map.setSelectedRegion(feature.properties.level === 'district' ? null : feature);
    map.fitBbox(feature.properties.bbox, animate, detailsInset());
    if (narrow()) document.body.classList.remove('sidebar-open');
    return feature;
  };
  const showGrids = (grids: GridCollection) => {
    districtGrids = grids;
    map.setGrids(grids);
    editor?.setPublishedGrids(grids);
    tooltip.grids.clear();
    for (const grid of grids.features) tooltip.grids.set(grid.properties.code, grid.properties);
    status.setGrids(grids);
    // For the end-to-end tests: whether the grids on the map carry household figures.
    document.body.dataset.households = grids.features.some((f) => f.properties.households !== null) ? '1' : '0';
  };
  reloadForSession = (signedIn) => {
    // Tiles vary by session (households and band for signed-in readers): fetch them again.
    if (map.usesGridTiles) {
      map.refreshGridTiles();
      document.body.dataset.households = signedIn ? '1' : '0';
      return;
    }
    // The grids as loaded already match the session (e.g. the start-up session check came late).
    if (!districtCode || districtGrids?.features.some((f) => f.properties.households !== null) === signedIn) return;
    if (!editor?.active) {
      gridRequest++;
      map.selectGrid(null);
      details.close(); // it may show households the new session must not see
    }
    forgetRegionFeatures();
    void api.grids(districtCode).then(showGrids, (error: Error) => console.error(error));
    const code = currentRegion?.properties.code;
    if (code) {
      void api.region(code).then(
        (feature) => {
          if (currentRegion?.properties.code !== code) return;
          currentRegion = feature;
          summary.show(feature);
        },
        (error: Error) => console.error(error),
      );
    }
  };

  reloadAfterImport = (layer) => {
    if (layer === 'grids' && map.usesGridTiles) map.refreshGridTiles();
    else if (layer === 'grids') void api.grids(districtCode).then(showGrids, (error: Error) => console.error(error));
    if (layer === 'stations') void api.stations(districtCode).then((stations) => map.setStations(stations), (error: Error) => console.error(error));
  };

  const tree = new RegionTree(byId('region-tree'), { onSelect: (region) => void selectRegion(region) });

  try {
    const [district] = await tree.load();
    if (!district) throw new Error('no district loaded');
    tree.highlight(district.code);
    const districtFeature = await selectRegion(district, false);
    map.setDistrict(districtFeature);
    districtCode = district.code;
    legend.setBounds(householdBounds.of(districtCode));
    // A big region is drawn from vector tiles: its grids are never loaded as one GeoJSON.
    if (gridSourceKind(districtFeature.properties.grid_count, window.location.search) === 'tiles') {
      map.useGridTiles();
      status.setTileCount(districtFeature.properties.grid_count);
      document.body.dataset.gridSource = 'tiles';
      document.body.dataset.households = sessionUser ? '1' : '0';
    } else {
      showGrids(await api.grids(district.code));
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
        legend.setStationCounts(counts);
      }),
      loadCommunities(district.code).then((communities) => {
        map.setCommunities(communities);
        editor?.setCommunities(communities);
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

void main();
