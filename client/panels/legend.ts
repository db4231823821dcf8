/** Layer switches and legend: household bands or party coverage, and station kinds. */
import { STATION_KINDS, type StationKind } from '../../common/rules/station-kinds.ts';
import { HOUSEHOLD_BANDS, type HouseholdBounds } from '../../common/rules/household-band.ts';
import { bandLabel } from '../household-bounds.ts';
import { h } from '../dom.ts';
import { onLangChange, t } from '../i18n/index.ts';
import type { CoverageView } from '../map/coverage-overlay.ts';
import { partyLegend, reachLegend } from './coverage-legends.ts';
import { BAND_COLORS, COVERAGE_COLORS, NEUTRAL_GRID_COLOR, STATION_COLORS, type FillMode } from '../map/layers.ts';

export interface LegendOptions {
  onFillMode: (mode: FillMode) => void;
  onStationKinds: (kinds: StationKind[]) => void;
}

export class LegendPanel {
  private mode: FillMode = 'band';
  private visibleKinds = new Set<StationKind>(STATION_KINDS);
  private stationCounts: Partial<Record<StationKind, number>> = {};
  /** Signed in: the grids carry household bands. Anonymous: one neutral colour, no bands. */
  private householdsVisible = false;
  /** The bounds of the district on the map, as the API serves them (null until loaded). */
  private bounds: HouseholdBounds | null = null;
  /** The coverage panel's colours on the map (null: the grids' own fill). */
  private coverageView: CoverageView | null = null;

  constructor(
    private readonly container: HTMLElement,
    private readonly options: LegendOptions,
  ) {
    onLangChange(() => this.render());
  }

  setStationCounts(counts: Partial<Record<StationKind, number>>): void {
    this.stationCounts = counts;
    this.render();
  }

  setHouseholdsVisible(visible: boolean): void {
    this.householdsVisible = visible;
    this.render();
  }

  /** The coverage panel recoloured the map (or stopped): the legend follows what the map shows. */
  setCoverageView(view: CoverageView | null): void {
    if (view === this.coverageView) return;
    this.coverageView = view;
    this.render();
  }

  setBounds(bounds: HouseholdBounds | null): void {
    this.bounds = bounds;
    this.render();
  }

  private render(): void {
    const coverage = h('input', { type: 'checkbox', id: 'coverage-toggle', disabled: this.coverageView !== null });
    coverage.checked = this.mode === 'coverage';
    coverage.addEventListener('change', () => {
      this.mode = coverage.checked ? 'coverage' : 'band';
      this.options.onFillMode(this.mode);
      this.render();
    });

    const swatch = (color: string, extra = '') => h('span', { class: `swatch ${extra}`, style: `--swatch:${color}` });
    const overlay = this.coverageView;
    const fillLegend = overlay
      ? h(
          'div',
          { id: 'coverage-view-legend', 'data-view': overlay },
          overlay === 'party' ? partyLegend() : reachLegend(true),
          h('p', { class: 'muted small' }, t('legend.coverageViewHint')),
        )
      : this.mode === 'band'
        ? this.householdsVisible
          ? h(
              'ul',
              {
                class: 'legend',
                id: 'band-legend',
                'data-bounds': this.bounds ? `${this.bounds.min}-${this.bounds.max}` : '',
              },
              ...HOUSEHOLD_BANDS.map((band) =>
                h('li', { 'data-band': band }, swatch(BAND_COLORS[band]), bandLabel(band, this.bounds)),
              ),
            )
          : h(
              'ul',
              { class: 'legend' },
              h('li', { id: 'legend-sign-in' }, swatch(NEUTRAL_GRID_COLOR), t('legend.signInForHouseholds')),
            )
        : h(
            'ul',
            { class: 'legend' },
            h('li', {}, swatch(COVERAGE_COLORS.covered), t('legend.covered')),
            h('li', {}, swatch(COVERAGE_COLORS.uncovered, 'hatched'), t('legend.uncovered')),
            h('li', {}, swatch(COVERAGE_COLORS.overlap), t('legend.overlap')),
          );

    const kindRows = STATION_KINDS.map((kind) => {
      const box = h('input', { type: 'checkbox', 'data-kind': kind });
      box.checked = this.visibleKinds.has(kind);
      box.addEventListener('change', () => {
        if (box.checked) this.visibleKinds.add(kind);
        else this.visibleKinds.delete(kind);
        this.emitKinds();
      });
      const count = this.stationCounts[kind];
      return h(
        'li',
        {},
        h(
          'label',
          {},
          box,
          h('span', { class: 'dot', style: `--swatch:${STATION_COLORS[kind]}` }),
          t(`station.${kind}`),
        ),
        count === undefined ? null : h('span', { class: 'count' }, String(count)),
      );
    });
    const setAll = (on: boolean) => () => {
      this.visibleKinds = new Set(on ? STATION_KINDS : []);
      this.emitKinds();
      this.render();
    };
    const allButton = h('button', { type: 'button', class: 'link' }, t('layers.all'));
    allButton.addEventListener('click', setAll(true));
    const noneButton = h('button', { type: 'button', class: 'link' }, t('layers.none'));
    noneButton.addEventListener('click', setAll(false));

    this.container.replaceChildren(
      h('h2', {}, t('layers.title')),
      h('label', { class: 'switch', title: t('layers.coverageHint') }, coverage, h('span', {}, t('layers.coverage'))),
      h(
        'h3',
        {},
        overlay
          ? t(overlay === 'party' ? 'legend.view.party' : 'legend.view.reach')
          : this.mode === 'coverage'
            ? t('legend.coverage')
            : this.householdsVisible
              ? t('legend.bands')
              : t('legend.grids'),
      ),
      fillLegend,
      h('ul', { class: 'legend' }, h('li', {}, h('span', { class: 'line-swatch' }), t('legend.communityLine'))),
      h('h3', {}, t('layers.stations'), h('span', { class: 'actions' }, allButton, ' · ', noneButton)),
      h('ul', { class: 'legend kinds' }, ...kindRows),
    );
  }

  private emitKinds(): void {
    this.options.onStationKinds(STATION_KINDS.filter((kind) => this.visibleKinds.has(kind)));
  }
}
