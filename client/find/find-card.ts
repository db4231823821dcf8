/** The result card: where you are, who your grid worker is, and the nearest stations. */
import type {
  PublicCommunityCard,
  PublicLocateResponse,
  PublicStation,
  PublicStationDetail,
} from '../../common/contracts/public.ts';
import { STATION_KINDS, type StationKind } from '../../common/rules/station-kinds.ts';
import { h, type Child } from '../dom.ts';
import { formatOpeningHours } from '../../common/rules/opening-hours.ts';
import { dialable, formatDistance, formatWalk, openLabel, openState, splitServices } from './find-format.ts';
import { serviceIcon } from './find-icons.ts';
import { kindLabel, lang, t } from './find-i18n.ts';

/** A station as listed: with its distance when we know where you are. */
export type ListedStation = PublicStationDetail & Partial<Pick<PublicStation, 'distanceM' | 'walkMin'>>;

/**
 * What the answer is about: where you stand (定位我), a place you picked (a tap or a search hit:
 * 该位置所在网格), or a grid by code (a board's QR code, a grid picked from a community).
 */
export type AnswerMode = 'you' | 'place' | 'grid';

export interface CardState {
  answer: PublicLocateResponse | null;
  mode: AnswerMode;
  /** A community picked in the search: its grids, never "the grid you are in". */
  community: PublicCommunityCard | null;
  /** The stations listed under the kind filter (null while a filtered lookup runs). */
  stations: ListedStation[] | null;
  kind: StationKind | null;
  selected: string | null;
  /** A station opened from a shared link, shown even when it is not among the nearest. */
  shared: ListedStation | null;
  shareUrl: (code: string) => string;
}

export interface CardHandlers {
  kind: (kind: StationKind | null) => void;
  select: (code: string) => void;
  copy: (url: string, button: HTMLButtonElement) => void;
  grid: (code: string) => void;
}

function phoneNode(phone: string | null): Child {
  if (!phone) return null;
  const tel = dialable(phone);
  if (tel) return h('a', { class: 'tel', href: `tel:${tel}` }, phone);
  return h(
    'span',
    { class: 'masked' },
    phone,
    h('small', {}, lang() === 'zh' ? `（${t('phoneMasked')}）` : ` (${t('phoneMasked')})`),
  );
}

const NEAREST = { you: 'nearest', place: 'nearPlace', grid: 'nearGrid' } as const;
const EYEBROW = { you: 'yourGrid', place: 'placeGrid', grid: 'gridCard' } as const;

function whereSection(answer: PublicLocateResponse, mode: AnswerMode): HTMLElement {
  if (!answer.grid)
    return h(
      'section',
      { class: 'where outside' },
      h('p', { id: 'outside' }, t(mode === 'you' ? 'outside' : 'placeOutside')),
    );
  const rows: Child[] = [
    h('dt', {}, t('worker')),
    h(
      'dd',
      { id: 'worker' },
      ...(answer.worker
        ? [
            h('span', { class: 'worker-name' }, answer.worker.name),
            ' ',
            // Only a published number is served (common/rules/public-fields.ts).
            answer.worker.phone ? phoneNode(answer.worker.phone) : h('small', {}, t('phoneMasked')),
          ]
        : [t('noWorker')]),
    ),
    // A grid with no party organisation says so: the line is never left out.
    h('dt', {}, t('partyOrg')),
    answer.partyOrg
      ? h('dd', { id: 'party-org' }, answer.partyOrg.name)
      : h('dd', { id: 'party-org', class: 'none' }, t('noPartyOrg')),
  ];
  return h(
    'section',
    { class: 'where', 'data-mode': mode },
    h('p', { class: 'eyebrow', id: 'where-eyebrow' }, t(EYEBROW[mode])),
    h('h2', { id: 'grid-name', 'data-code': answer.grid.code }, answer.grid.name),
    answer.community
      ? h('p', { id: 'community', class: 'community' }, `${t('community')}${t('colon')}${answer.community.name}`)
      : null,
    h('dl', { class: 'facts' }, ...rows),
  );
}

/** A community picked in the search: its name, street and grids to pick from. */
function communitySection(card: PublicCommunityCard, onGrid: CardHandlers['grid']): HTMLElement {
  const village = card.name.endsWith('村');
  const grids = card.grids.map((g) => {
    const button = h('button', { type: 'button', class: 'grid-pick', 'data-code': g.code }, g.name);
    button.addEventListener('click', () => onGrid(g.code));
    return h('li', {}, button);
  });
  return h(
    'section',
    { class: 'where community-card', id: 'community-card', 'data-code': card.code },
    h('p', { class: 'eyebrow' }, t(village ? 'villageCard' : 'communityCard')),
    h('h2', { id: 'community-name' }, card.name),
    card.street ? h('p', { class: 'community' }, `${t('street')}${t('colon')}${card.street}`) : null,
    h('p', { class: 'hint' }, t('communityNote')),
    h('h3', {}, t('communityGrids', { n: card.grids.length })),
    grids.length
      ? h('ul', { class: 'grid-picks', id: 'community-grids' }, ...grids)
      : h('p', { class: 'muted' }, t('noGrids')),
  );
}

function kindChips(current: StationKind | null, onKind: CardHandlers['kind']): HTMLElement {
  const chip = (kind: StationKind | null) => {
    const button = h(
      'button',
      { type: 'button', class: 'chip', 'data-kind': kind ?? '', 'aria-pressed': String(kind === current) },
      kind ? kindLabel(kind) : t('allKinds'),
    );
    button.addEventListener('click', () => onKind(kind));
    return button;
  };
  return h(
    'div',
    { class: 'chips', role: 'group', 'aria-label': t('nearest') },
    chip(null),
    ...STATION_KINDS.map(chip),
  );
}

function services(list: readonly string[]): HTMLElement | null {
  const { six, other } = splitServices(list);
  if (six.length === 0 && other.length === 0) return null;
  const items: HTMLElement[] = six.map((s) => {
    const item = h('li', { class: 'svc six', 'data-service': s });
    item.innerHTML = serviceIcon(s);
    item.append(h('span', {}, t(`svc_${s}`)));
    return item;
  });
  for (const s of other) items.push(h('li', { class: 'svc' }, s));
  return h('ul', { class: 'services', 'aria-label': t('services') }, ...items);
}

function stationItem(station: ListedStation, selected: boolean, state: CardState, handlers: CardHandlers): HTMLElement {
  const open = openState(station.openNow);
  const distance = station.distanceM === undefined ? null : formatDistance(station.distanceM, lang());
  const head = h(
    'button',
    { type: 'button', class: 'station-head', 'aria-expanded': String(selected) },
    h('span', { class: 'station-name' }, station.name),
    h('span', { class: `open ${open}` }, openLabel(station.openNow, lang())),
    h('span', { class: 'station-kind' }, kindLabel(station.kind)),
    distance
      ? h('span', { class: 'station-distance' }, `${distance} · ${formatWalk(station.walkMin ?? 1, lang())}`)
      : null,
  );
  head.addEventListener('click', () => handlers.select(station.code));
  const hours = station.opening_hours
    ? h('p', { class: 'hours' }, `${t('hours')}${t('colon')}${formatOpeningHours(station.opening_hours, lang())}`)
    : null;
  const children: Child[] = [head, hours, services(station.services)];
  if (selected) {
    const url = state.shareUrl(station.code);
    const copy = h('button', { type: 'button', class: 'copy', id: 'copy-link' }, t('copy'));
    copy.addEventListener('click', () => handlers.copy(url, copy));
    children.push(
      station.address ? h('p', { class: 'address' }, `${t('address')}${t('colon')}${station.address}`) : null,
      station.phone ? h('p', { class: 'station-phone' }, `${t('phone')}${t('colon')}`, phoneNode(station.phone)) : null,
      distance ? null : h('p', { class: 'hint' }, t('locateForDistance')),
      h(
        'div',
        { class: 'share' },
        h('label', { for: 'share-url' }, t('share')),
        h('input', { id: 'share-url', readonly: true, value: url }),
        copy,
      ),
    );
  }
  return h(
    'li',
    { class: `station${selected ? ' selected' : ''}`, 'data-code': station.code, 'data-kind': station.kind },
    ...children,
  );
}

/** The whole card for the current state. */
export function renderCard(state: CardState, handlers: CardHandlers): HTMLElement[] {
  const parts: HTMLElement[] = [];
  const { answer, stations, shared } = state;
  if (state.community) parts.push(communitySection(state.community, handlers.grid));
  if (answer) parts.push(whereSection(answer, state.mode));
  const listed = stations ?? [];
  if (shared && !listed.some((s) => s.code === shared.code)) {
    parts.push(
      h(
        'section',
        { class: 'shared' },
        h('p', { class: 'eyebrow' }, t('sharedStation')),
        h(
          'ul',
          { class: 'stations', id: 'shared-station' },
          stationItem(shared, state.selected === shared.code, state, handlers),
        ),
      ),
    );
  }
  if (answer) {
    const list =
      stations === null
        ? h('p', { class: 'muted' }, t('loading'))
        : listed.length === 0
          ? h('p', { class: 'muted' }, t('noStations'))
          : h(
              'ol',
              { class: 'stations', id: 'stations' },
              ...listed.map((s) => stationItem(s, s.code === state.selected, state, handlers)),
            );
    parts.push(
      h(
        'section',
        { class: 'nearest' },
        h('h3', {}, t(NEAREST[state.mode])),
        kindChips(state.kind, handlers.kind),
        list,
      ),
    );
  }
  return parts;
}
