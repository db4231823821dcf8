/** The details card: one grid (from /api/grids/:code) or one service station. */
import type { GridDetailFeature } from '../../common/contracts/grids.ts';
import type { StationProperties } from '../../common/contracts/stations.ts';
import { append, h, named, type Child } from '../dom.ts';
import { formatNumber, lang, onLangChange, t, type MessageKey } from '../i18n/index.ts';
import { formatOpeningHours } from '../../common/rules/opening-hours.ts';
import { BAND_COLORS, NEUTRAL_GRID_COLOR, STATION_COLORS } from '../map/layers.ts';
import { bandLabel, householdBounds } from '../household-bounds.ts';

type Content =
  | { kind: 'loading' }
  | { kind: 'error'; message: string }
  | { kind: 'grid'; grid: GridDetailFeature }
  | { kind: 'station'; station: StationProperties };

export class DetailsPanel {
  private content: Content | null = null;
  onClose: () => void = () => {};

  constructor(private readonly container: HTMLElement) {
    onLangChange(() => this.render());
    document.addEventListener('keydown', (event) => {
      if (event.key !== 'Escape' || !this.content || document.querySelector('dialog[open]')) return;
      this.close();
      this.onClose();
    });
  }

  showLoading(): void {
    this.set({ kind: 'loading' });
  }
  showError(message: string): void {
    this.set({ kind: 'error', message });
  }
  showGrid(grid: GridDetailFeature): void {
    this.set({ kind: 'grid', grid });
  }
  showStation(station: StationProperties): void {
    this.set({ kind: 'station', station });
  }
  close(): void {
    this.set(null);
  }

  private set(content: Content | null): void {
    this.content = content;
    this.render();
  }

  private render(): void {
    const content = this.content;
    this.container.hidden = !content;
    document.body.classList.toggle('details-open', Boolean(content));
    if (!content) {
      this.container.replaceChildren();
      return;
    }
    const close = h(
      'button',
      { type: 'button', class: 'close', 'aria-label': t('details.close'), title: t('details.close') },
      '×',
    );
    close.addEventListener('click', () => {
      this.close();
      this.onClose();
    });
    this.container.replaceChildren();
    append(this.container, [close, ...this.body(content)]);
  }

  private body(content: Content): Child[] {
    switch (content.kind) {
      case 'loading':
        return [h('p', { class: 'muted' }, t('details.loading'))];
      case 'error':
        return [h('p', { class: 'error' }, content.message)];
      case 'grid':
        return gridBody(content.grid);
      case 'station':
        return stationBody(content.station);
    }
  }
}

function row(label: string, ...value: Child[]): HTMLElement {
  return h('div', { class: 'row' }, h('dt', {}, label), h('dd', {}, ...value));
}

/** A list of names, each with a tag (its kind or role) and what follows the tag. */
function taggedList(items: [name: string, tag: string, ...after: Child[]][]): HTMLElement {
  return h(
    'ul',
    { class: 'plain' },
    ...items.map(([name, tag, ...after]) => h('li', {}, name, ' ', h('span', { class: 'tag' }, tag), ...after)),
  );
}

function gridBody(grid: GridDetailFeature): Child[] {
  const p = grid.properties;
  const none = t('details.none');
  const party = p.party.length
    ? taggedList(
        p.party.map((org) => [
          org.name,
          t(`partyKind.${org.kind}` as MessageKey),
          org.secretary_name
            ? h('div', { class: 'muted' }, t('details.secretary', { name: org.secretary_name }))
            : null,
        ]),
      )
    : h('span', { class: 'gap' }, t('details.partyNone'));
  const workers = p.workers.length
    ? taggedList(
        p.workers.map((worker) => [
          worker.name,
          t(`workerRole.${worker.role}` as MessageKey),
          ' ',
          worker.phone
            ? h('span', { class: 'phone' }, worker.phone)
            : h('span', { class: 'muted' }, t('details.phoneUnpublished')),
        ]),
      )
    : h('span', { class: 'muted' }, t('details.workersNone'));
  const updated = p.updated_at ? new Date(p.updated_at).toLocaleString(lang() === 'zh' ? 'zh-CN' : 'en-GB') : none;
  return [
    h(
      'div',
      { class: 'eyebrow' },
      h('span', { class: 'dot', style: `--swatch:${p.band ? BAND_COLORS[p.band] : NEUTRAL_GRID_COLOR}` }),
      t('details.grid'),
    ),
    h('h2', {}, p.name),
    h(
      'dl',
      {},
      row(t('details.code'), h('code', { id: 'detail-grid-code' }, p.code)),
      row(t('details.community'), named(p.community_name, p.community_code)),
      row(t('details.street'), named(p.street_name, p.street_code)),
      row(t('details.kind'), t(`gridKind.${p.kind}` as MessageKey)),
      // Anonymous users get no household figures (null): a hint to sign in instead.
      p.households === null
        ? row(
            t('details.households'),
            h('span', { class: 'muted', id: 'detail-households-hidden' }, t('legend.signInForHouseholds')),
          )
        : row(
            t('details.households'),
            formatNumber(p.households),
            ' ',
            p.band ? h('span', { class: 'tag' }, bandLabel(p.band, householdBounds.of(p.code))) : null,
          ),
      p.population === null ? null : row(t('details.population'), formatNumber(p.population)),
      row(t('details.area'), t('details.areaValue', { value: formatNumber(p.area_m2) })),
      row(t('details.buildings'), formatNumber(p.building_count)),
      row(t('details.party'), party, p.party.length > 1 ? h('div', { class: 'overlap' }, t('legend.overlap')) : null),
      row(t('details.workers'), workers),
      row(t('details.updated'), updated, ' · ', `${t('details.version')} ${p.version}`),
    ),
    // The printed board (网格公示牌, A4 PDF): public fields only, so any reader may open it.
    h(
      'p',
      { class: 'details-actions' },
      h(
        'a',
        {
          class: 'button-link',
          id: 'detail-board',
          href: `/api/grids/${encodeURIComponent(p.code)}/board.pdf`,
          target: '_blank',
          rel: 'noopener',
          title: t('details.printBoardTitle'),
        },
        t('details.printBoard'),
      ),
    ),
  ];
}

function stationBody(station: StationProperties): Child[] {
  const none = t('details.none');
  return [
    h(
      'div',
      { class: 'eyebrow' },
      h('span', { class: 'dot', style: `--swatch:${STATION_COLORS[station.kind]}` }),
      t('details.station'),
    ),
    h('h2', {}, station.name),
    h(
      'dl',
      {},
      row(t('details.stationKind'), t(`station.${station.kind}` as MessageKey)),
      row(t('details.address'), station.address || none),
      row(t('details.hours'), station.opening_hours ? formatOpeningHours(station.opening_hours, lang()) : none),
      row(
        t('details.services'),
        station.services.length ? h('ul', { class: 'chips' }, ...station.services.map((s) => h('li', {}, s))) : none,
      ),
      row(t('details.phone'), station.phone ? h('a', { href: `tel:${station.phone}` }, station.phone) : none),
    ),
  ];
}
