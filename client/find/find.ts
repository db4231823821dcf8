/**
 * The residents' station finder (/find): locate me, tap the map or search → which grid,
 * which grid worker, the nearest stations. Text first; the map module loads afterwards.
 * 我要反映 (case-panel.ts) reports a concern from here and tracks it (`?case=&token=`).
 */
import type { PublicCommunityCard, PublicGridOutline, PublicLocateResponse } from '../../common/contracts/public.ts';
import type { StationKind } from '../../common/rules/station-kinds.ts';
import { byId } from '../dom.ts';
import { CasePanel } from './case-panel.ts';
import type { CaseLocation } from './case-form.ts';
import { findApi } from './find-api.ts';
import { renderCard, type AnswerMode, type CardState, type ListedStation } from './find-card.ts';
import { formatDistance, greatCircleM, shareUrl, sharedGrid, sharedStation, walkMinutes } from './find-format.ts';
import { LOCATE_ICON } from './find-icons.ts';
import { initLang, lang, setLang, t, type FindKey } from './find-i18n.ts';
import type { FindMap } from './find-map.ts';
import { SearchBox } from './find-search.ts';
import { setStatus, showFailure } from './find-status.ts';

const LIST_SIZE = 5;

const state: CardState & { you: { lon: number; lat: number } | null } = {
  answer: null,
  mode: 'you',
  community: null,
  stations: null,
  kind: null,
  selected: null,
  shared: null,
  you: null,
  shareUrl: (code) => shareUrl(location.origin, code),
};
let lookup: AbortController | null = null;
/** The outline of the grid you are in, fetched after the answer (the text never waits for it). */
let gridOutline: PublicGridOutline | null = null;
let map: FindMap | null = null;
let mapLoading: Promise<void> | null = null;
/** A tap on the map while the report form picks its place (else a tap looks the place up). */
let tapOverride: ((lon: number, lat: number) => void) | null = null;

const card = byId('card');
const sheet = byId('sheet');

/** Every station drawn on the map: the listed ones and a shared one. */
function mapStations(): ListedStation[] {
  const listed = state.stations ?? [];
  return state.shared && !listed.some((s) => s.code === state.shared!.code) ? [...listed, state.shared] : listed;
}

function selectedStation(): ListedStation | undefined {
  return mapStations().find((s) => s.code === state.selected);
}

function lineLabel(): string | null {
  const target = selectedStation();
  if (!state.you || !target) return null;
  const metres = target.distanceM ?? greatCircleM(state.you, target);
  return t('lineTo', { name: target.name, distance: formatDistance(metres, lang()) });
}

function render(fit = true): void {
  card.replaceChildren(
    ...renderCard(state, {
      kind: (kind) => void filterKind(kind),
      select: (code) => select(code),
      copy: (url, button) => void copyLink(url, button),
      grid: (code) => void openGrid(code),
    }),
  );
  // The row of kind chips is redrawn: keep the pressed one in view.
  const pressed = card.querySelector<HTMLElement>('.chip[aria-pressed="true"]');
  if (pressed?.parentElement)
    pressed.parentElement.scrollLeft = Math.max(0, pressed.offsetLeft - pressed.parentElement.offsetLeft - 48);
  if (!state.answer && !state.shared && !state.community) {
    const welcome = document.createElement('p');
    welcome.className = 'welcome';
    welcome.textContent = t('welcome');
    card.append(welcome);
  }
  map?.show(
    {
      you: state.you,
      stations: mapStations(),
      selected: state.selected,
      lineLabel: lineLabel(),
      grid: state.community ? communityOutline(state.community) : gridOutline,
      frame: state.community?.bbox ?? (state.mode === 'grid' && gridOutline ? outlineBbox(gridOutline) : null),
    },
    fit,
    framePadding(),
  );
}

function communityOutline(card: PublicCommunityCard): GeoJSON.Feature {
  return { type: 'Feature', geometry: card.geometry, properties: { code: card.code } };
}

/** [west, south, east, north] of a grid's outline, to frame a grid opened by code. */
function outlineBbox(outline: PublicGridOutline): [number, number, number, number] {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of outline.geometry.coordinates)
    for (const [lon, lat] of polygon[0] ?? []) {
      box[0] = Math.min(box[0], lon!);
      box[1] = Math.min(box[1], lat!);
      box[2] = Math.max(box[2], lon!);
      box[3] = Math.max(box[3], lat!);
    }
  return box;
}

/** Keep what is framed clear of the bottom sheet (phones) and of the zoom buttons. */
function framePadding(): { top: number; right: number; bottom: number; left: number } {
  const mapBox = byId('map').getBoundingClientRect();
  const sheetBox = sheet.getBoundingClientRect();
  const covered = sheetBox.left <= mapBox.left + 1 ? Math.max(0, mapBox.bottom - sheetBox.top) : 0;
  // On a short map the sheet may cover most of it: keep at least 80 px to frame in.
  const bottom = Math.min(covered + 32, Math.max(32, mapBox.height - 80 - 56));
  return { top: 40, right: 56, bottom, left: 32 };
}

function select(code: string): void {
  state.selected = state.selected === code ? null : code;
  // A shared station is not "yours" until a locate answer measures it.
  const target = selectedStation();
  if (target && state.you && target.distanceM === undefined) {
    const metres = greatCircleM(state.you, target);
    Object.assign(target, { distanceM: metres, walkMin: walkMinutes(metres) });
  }
  if (state.selected)
    history.replaceState(null, '', `${location.pathname}?station=${encodeURIComponent(state.selected)}`);
  render();
  document.querySelector(`.station.selected`)?.scrollIntoView({ block: 'nearest' });
}

async function copyLink(url: string, button: HTMLButtonElement): Promise<void> {
  try {
    await navigator.clipboard.writeText(url);
    button.textContent = t('copied');
  } catch {
    (document.getElementById('share-url') as HTMLInputElement | null)?.select();
    button.textContent = t('copyFailed');
  }
}

/** Load maplibre-gl and the map after the first answer is painted. */
function ensureMap(): Promise<void> {
  mapLoading ??= new Promise<void>((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)))
    .then(() =>
      Promise.all([
        import('./find-map.ts'),
        fetch('/api/config')
          .then((r) => r.json())
          .catch(() => ({})),
      ]),
    )
    .then(async ([module, config]) => {
      const container = byId('map');
      container.replaceChildren();
      container.removeAttribute('aria-hidden');
      document.body.dataset.map = 'loading';
      map = await module.FindMap.create(
        container,
        (config as { basemapStyleUrl?: string | null }).basemapStyleUrl ?? null,
        {
          tap: (lon, lat) => (tapOverride ? tapOverride(lon, lat) : void locateAt(lon, lat, 'place')),
          stationTap: (code) => select(code),
        },
      );
      document.body.dataset.map = 'ready';
      map.resize();
      render();
      void map.idle().then(() => (document.body.dataset.mapReady = '1'));
      // For the e2e test: where a point is drawn, and which point a tap at (x, y) means.
      (window as unknown as { __find: unknown }).__find = {
        project: (lon: number, lat: number) => map!.project(lon, lat),
        unproject: (x: number, y: number) => map!.unproject(x, y),
        idle: () => map!.idle(),
      };
    })
    .catch((error: unknown) => {
      // No WebGL or no network for the chunk: the text answer stands alone, the sheet takes the page.
      console.warn('Map unavailable:', error);
      delete document.body.dataset.map;
      byId('map').replaceChildren();
    });
  return mapLoading;
}

/** `mode`: 'you' only for the device's own position; a tap or a search hit is a place ('place'). */
async function locateAt(lon: number, lat: number, mode: AnswerMode, select: string | null = null): Promise<void> {
  lookup?.abort();
  lookup = new AbortController();
  setStatus('loading');
  try {
    const answer: PublicLocateResponse = await findApi.locate(lon, lat, lookup.signal);
    Object.assign(state, { answer, mode, community: null, you: answer.point, stations: answer.stations, kind: null });
    clearQuery('grid');
    state.selected =
      select ??
      (state.shared?.code === state.selected && state.selected ? state.selected : (answer.stations[0]?.code ?? null));
    if (state.shared && state.selected === state.shared.code) {
      const listed = answer.stations.find((s) => s.code === state.shared!.code);
      const metres = listed?.distanceM ?? greatCircleM(answer.point, state.shared);
      Object.assign(state.shared, { distanceM: metres, walkMin: listed?.walkMin ?? walkMinutes(metres) });
    }
    setStatus(null);
    render();
    document.body.dataset.answers = String(Number(document.body.dataset.answers ?? 0) + 1);
    void ensureMap();
    void showGridOutline(answer.grid?.code ?? null);
  } catch (error) {
    showFailure(error, () => void locateAt(lon, lat, mode, select));
  }
}

/** Drop `?grid=` (or `?station=`) from the address once the page shows something else. */
function clearQuery(param: 'grid' | 'station'): void {
  const params = new URLSearchParams(location.search);
  if (!params.has(param)) return;
  params.delete(param);
  const rest = params.toString();
  history.replaceState(null, '', `${location.pathname}${rest ? `?${rest}` : ''}`);
}

/** A grid's card by code (the board's QR, a grid picked from a community): no location asked. */
async function openGrid(code: string): Promise<void> {
  lookup?.abort();
  lookup = new AbortController();
  setStatus('loading');
  try {
    const answer = await findApi.gridCard(code, lookup.signal);
    Object.assign(state, {
      answer,
      mode: 'grid',
      community: null,
      you: null,
      stations: answer.stations,
      kind: null,
      selected: answer.stations[0]?.code ?? null,
    });
    history.replaceState(null, '', `${location.pathname}?grid=${encodeURIComponent(code)}`);
    setStatus(null);
    render();
    document.body.dataset.gridCard = code; // for the e2e test
    void ensureMap();
    void showGridOutline(code);
  } catch (error) {
    showFailure(error, () => void openGrid(code), 'gridNotFound');
  }
}

/** A community picked in the search: its grids to choose from, framed on the map. */
async function openCommunity(code: string): Promise<void> {
  lookup?.abort();
  lookup = new AbortController();
  setStatus('loading');
  try {
    const community = await findApi.community(code, lookup.signal);
    Object.assign(state, { answer: null, community, you: null, stations: null, kind: null, selected: null });
    clearQuery('grid');
    setStatus(null);
    void showGridOutline(null);
    render();
    void ensureMap();
  } catch (error) {
    showFailure(error, () => void openCommunity(code));
  }
}

async function showGridOutline(code: string | null): Promise<void> {
  if (gridOutline?.properties.code === code) return;
  const had = gridOutline !== null;
  gridOutline = null;
  delete document.body.dataset.gridOutline;
  if (had) render(false);
  if (!code) return;
  const outline = await findApi.grid(code).catch(() => null);
  if (state.answer?.grid?.code !== code) return;
  gridOutline = outline;
  if (outline) document.body.dataset.gridOutline = code; // for the e2e test
  // A grid opened by code is framed with its outline; around you, the outline is only drawn.
  render(state.mode === 'grid');
}

async function filterKind(kind: StationKind | null): Promise<void> {
  if (!state.you || !state.answer) return;
  state.kind = kind;
  if (kind === null) {
    state.stations = state.answer.stations;
    render();
    return;
  }
  lookup?.abort();
  lookup = new AbortController();
  state.stations = null;
  render(false);
  try {
    const answer = await findApi.nearest(state.you.lon, state.you.lat, kind, LIST_SIZE, lookup.signal);
    state.stations = answer.stations;
    if (!answer.stations.some((s) => s.code === state.selected)) state.selected = answer.stations[0]?.code ?? null;
    setStatus(null);
    render();
  } catch (error) {
    state.stations = [];
    render(false);
    showFailure(error, () => void filterKind(kind));
  }
}

function locateMe(): void {
  if (!('geolocation' in navigator)) {
    setStatus('geoUnsupported', {}, true);
    void ensureMap();
    return;
  }
  setStatus('locating');
  navigator.geolocation.getCurrentPosition(
    (position) => void locateAt(position.coords.longitude, position.coords.latitude, 'you'),
    () => {
      setStatus('geoDenied', {}, true);
      void ensureMap();
    },
    { enableHighAccuracy: true, timeout: 15_000, maximumAge: 60_000 },
  );
}

async function openShared(code: string): Promise<void> {
  setStatus('loading');
  try {
    const station = await findApi.station(code);
    state.shared = { ...station };
    state.selected = station.code;
    setStatus(null);
    render();
    await ensureMap();
  } catch (error) {
    showFailure(error, () => void openShared(code));
  }
}

function applyLang(): void {
  for (const element of document.querySelectorAll<HTMLElement>('[data-k]'))
    element.textContent = t(element.dataset.k as FindKey);
  for (const element of document.querySelectorAll<HTMLElement>('[data-k-title]'))
    element.title = t(element.dataset.kTitle as FindKey);
  for (const element of document.querySelectorAll<HTMLInputElement>('[data-k-placeholder]'))
    element.placeholder = t(element.dataset.kPlaceholder as FindKey);
  document.title = `${t('title')} · ${lang() === 'zh' ? '网格服务' : 'Wangge'}`;
}

/** Where the report form starts: the board's grid (?grid=), or the point the finder answered for. */
function caseLocation(): CaseLocation | null {
  const answer = state.answer;
  if (!answer || state.community) return null;
  if (state.mode === 'grid' && answer.grid) return { kind: 'qr', grid: answer.grid, community: answer.community };
  const kind = state.mode === 'you' ? 'gps' : 'tap';
  return { kind, lon: answer.point.lon, lat: answer.point.lat, grid: answer.grid, community: answer.community };
}

function init(): void {
  initLang();
  applyLang();
  const cases = new CasePanel({
    initialLocation: caseLocation,
    ensureMap: () => ensureMap().then(() => map !== null),
    setTap: (tap) => (tapOverride = tap),
  });
  document.querySelector('.locate-icon')!.innerHTML = LOCATE_ICON;
  byId('lang-switch').addEventListener('click', () => {
    setLang(lang() === 'zh' ? 'en' : 'zh');
    applyLang();
    cases.applyLang();
    render(false);
    search.refresh();
  });
  byId('locate').addEventListener('click', locateMe);
  const handle = byId('sheet-handle');
  handle.addEventListener('click', () => {
    const expanded = sheet.dataset.expanded !== '1';
    sheet.dataset.expanded = expanded ? '1' : '0';
    handle.setAttribute('aria-expanded', String(expanded));
  });
  const search = new SearchBox(
    byId<HTMLFormElement>('search'),
    (hit) => {
      if (hit.type === 'community') void openCommunity(hit.code);
      else if (hit.type === 'grid') void openGrid(hit.code);
      else void locateAt(hit.lon, hit.lat, 'place', hit.type === 'station' ? hit.code : null);
    },
    showFailure,
  );
  const grid = sharedGrid(location.search);
  const code = sharedStation(location.search);
  if (cases.openFromUrl()) render();
  else if (grid) void openGrid(grid);
  else if (code) void openShared(code);
  else render();
  document.body.dataset.findReady = '1';
}

init();
