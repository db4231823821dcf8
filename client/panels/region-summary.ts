/** The selected region's key figures (grids, households, stations), its 校验 and 覆盖分析 buttons. */
import type { RegionFeature } from '../../common/contracts/regions.ts';
import { h, named } from '../dom.ts';
import { formatNumber, onLangChange, t } from '../i18n/index.ts';

export class RegionSummaryPanel {
  private region: RegionFeature | null = null;
  /** The 校验 button: check the region's coverage. */
  onValidate: (() => void) | null = null;
  /** The 覆盖分析 button. */
  onCoverage: (() => void) | null = null;
  /** The 案件 button: the region's case queue. */
  onCases: (() => void) | null = null;
  /** Both buttons are for signed-in users only (the API refuses the others). */
  private signedIn = false;
  /** 案件 is for the case chain; planners read case statistics, not cases (the API refuses them). */
  private caseStaff = false;

  constructor(private readonly container: HTMLElement) {
    onLangChange(() => this.render());
  }

  show(region: RegionFeature): void {
    this.region = region;
    this.render();
  }

  setSignedIn(signedIn: boolean, caseStaff = signedIn): void {
    this.signedIn = signedIn;
    this.caseStaff = signedIn && caseStaff;
    this.render();
  }

  private render(): void {
    const region = this.region;
    this.container.hidden = !region;
    if (!region) return;
    const p = region.properties;
    const figure = (label: string, value: number | null) =>
      value === null // anonymous users get no household figures
        ? null
        : h(
            'div',
            { class: 'figure' },
            h('div', { class: 'figure-value' }, formatNumber(value)),
            h('div', { class: 'figure-label' }, label),
          );
    const validate = h(
      'button',
      { type: 'button', id: 'validate-button', class: 'validate-button', title: t('validation.openTitle') },
      t('validation.open'),
    );
    validate.addEventListener('click', () => this.onValidate?.());
    const coverage = h(
      'button',
      { type: 'button', id: 'coverage-button', class: 'validate-button', title: t('coverage.openTitle') },
      t('coverage.open'),
    );
    coverage.addEventListener('click', () => this.onCoverage?.());
    const cases = h(
      'button',
      { type: 'button', id: 'cases-button', class: 'validate-button', title: t('cases.openTitle') },
      t('cases.open'),
    );
    cases.addEventListener('click', () => this.onCases?.());
    this.container.replaceChildren(
      h(
        'div',
        { class: 'summary-head' },
        h('h3', { class: 'summary-title' }, named(p.name, p.code, 'small')),
        h(
          'div',
          { class: 'summary-actions' },
          this.onValidate && this.signedIn ? validate : null,
          this.onCoverage && this.signedIn ? coverage : null,
          this.onCases && this.caseStaff ? cases : null,
        ),
      ),
      h(
        'div',
        { class: 'figures' },
        figure(t('summary.grids'), p.grid_count),
        figure(t('summary.households'), p.households),
        figure(t('summary.stations'), p.station_count),
      ),
    );
  }
}
