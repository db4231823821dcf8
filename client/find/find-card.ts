/** The result card: where you are, who your grid worker is, and the nearest stations. */
import type { PublicLocateResponse, PublicStation, PublicStationDetail } from '../../common/contracts/public.ts';
import { STATION_KINDS, type StationKind } from '../../common/rules/station-kinds.ts';
import { h, type Child } from '../dom.ts';
import { formatOpeningHours } from '../../common/rules/opening-hours.ts';
import { dialable, formatDistance, formatWalk, openLabel, openState, splitServices } from './find-format.ts';
import { serviceIcon } from './find-icons.ts';
import { kindLabel, lang, t } from './find-i18n.ts';

/** A station as listed: with its distance when we know where you are. */
export type ListedStation = PublicStationDetail & Partial<Pick<PublicStation, 'distanceM' | 'walkMin'>>;

export interface CardState {
  answer: PublicLocateResponse | null;
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

function whereSection(answer: PublicLocateResponse): HTMLElement {
  if (!answer.grid) return h('section', { class: 'where outside' }, h('p', { id: 'outside' }, t('outside')));
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
  ];
  if (answer.partyOrg) rows.push(h('dt', {}, t('partyOrg')), h('dd', { id: 'party-org' }, answer.partyOrg.name));
  return h(
    'section',
    { class: 'where' },
    h('p', { class: 'eyebrow' }, t('yourGrid')),
    h('h2', { id: 'grid-name', 'data-code': answer.grid.code }, answer.grid.name),
    answer.community
      ? h('p', { id: 'community', class: 'community' }, `${t('community')}${t('colon')}${answer.community.name}`)
      : null,
    h('dl', { class: 'facts' }, ...rows),
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
  if (answer) parts.push(whereSection(answer));
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
      h('section', { class: 'nearest' }, h('h3', {}, t('nearest')), kindChips(state.kind, handlers.kind), list),
    );
  }
  return parts;
}
