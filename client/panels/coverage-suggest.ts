/**
 * 选址建议: k new stations chosen greedily among building points or a point lattice
 * (POST /api/coverage/stations/suggest), with the reach settings of the 3-minute tab; numbered
 * markers on the map and the gain and share after each, listed.
 */
import type { StationSuggestResponse } from '../../common/contracts/station-reach.ts';
import { api } from '../api.ts';
import { h, named } from '../dom.ts';
import { formatNumber, t } from '../i18n/index.ts';
import { SUGGESTION_COLOR } from '../map/coverage-layers.ts';
import { LatestRequest, statusLine, table, type CoverageContext, type Status } from './coverage-common.ts';
import { parseNumberInput, percent } from './coverage-logic.ts';
import { reachSettingsForm } from './coverage-reach-form.ts';
import { STATION_KINDS } from '../../common/rules/station-kinds.ts';

export class StationSuggestView {
  readonly element = h('div', { class: 'coverage-view', id: 'coverage-suggest' });
  response: StationSuggestResponse | null = null;
  private status: Status = { kind: 'idle' };
  private input = { k: '3', candidates: 'buildings' as 'buildings' | 'lattice', spacing: '100' };
  private readonly request = new LatestRequest();
  /** The reach settings box stays open while the user works in it. */
  private settingsOpen = false;

  constructor(private readonly ctx: CoverageContext) {}

  activate(): void {
    this.render();
  }

  reset(): void {
    this.request.abort();
    this.response = null;
    this.status = { kind: 'idle' };
    this.ctx.overlay.setSuggestions(null);
  }

  async run(): Promise<void> {
    const region = this.ctx.region();
    if (!region) return;
    const k = parseNumberInput(this.input.k, 1, 50, true);
    const spacingM = parseNumberInput(this.input.spacing, 50, 2000);
    if (k === null || (this.input.candidates === 'lattice' && spacingM === null)) {
      this.status = { kind: 'error', message: t('coverage.suggest.badK') };
      return this.render();
    }
    this.status = { kind: 'loading' };
    this.render();
    const { minutes, speed, kinds } = this.ctx.settings;
    const answer = await this.request.run((signal) =>
      api.suggestStations(
        {
          region: region.code,
          minutes,
          speed,
          kinds,
          k,
          candidates: this.input.candidates,
          ...(this.input.candidates === 'lattice' ? { spacingM: spacingM! } : {}),
        },
        signal,
      ),
    );
    if (!answer) return;
    if ('value' in answer) {
      this.response = answer.value;
      this.status = { kind: 'idle' };
      this.ctx.overlay.setSuggestions(answer.value);
    } else {
      this.status = answer.failure ?? { kind: 'idle' };
    }
    this.render();
    this.ctx.changed();
  }

  render(): void {
    const response = this.response;
    const meta = response
      ? t('coverage.suggest.meta', {
          candidates: formatNumber(response.candidates),
          method: t(`coverage.reach.method.${response.method}`),
        })
      : '';
    this.element.replaceChildren(this.settingsBox(), this.form(), statusLine(this.status, meta));
    this.element.classList.toggle('stale', this.status.kind !== 'idle');
    if (!response) return;
    const rows = response.suggestions.map((s) => ({
      attrs: { 'data-rank': s.rank },
      cells: [
        h('span', { class: 'rank-badge', style: `--swatch:${SUGGESTION_COLOR}` }, String(s.rank)),
        `+${formatNumber(s.gain)}`,
        `${percent(s.shareAfter)}%`,
        s.grid_code ? named(s.grid_name, s.grid_code) : '—',
      ],
    }));
    this.element.append(
      h(
        'p',
        { class: 'small' },
        t('coverage.suggest.before', {
          count: formatNumber(response.before.householdsReached),
          percent: percent(response.before.share),
        }),
      ),
      response.suggestions.length
        ? h(
            'div',
            { class: 'table-wrap' },
            table(
              'suggest-table',
              [
                t('coverage.suggest.rank'),
                t('coverage.suggest.gain'),
                t('coverage.suggest.shareAfter'),
                t('coverage.suggest.grid'),
              ],
              rows,
              [1, 2],
            ),
          )
        : h('p', { class: 'muted small' }, t('coverage.suggest.none')),
    );
    for (const row of this.element.querySelectorAll<HTMLElement>('#suggest-table tbody tr')) {
      row.addEventListener('click', () => {
        const s = response.suggestions.find((x) => String(x.rank) === row.dataset.rank);
        if (s) this.ctx.fit([s.lon - 0.004, s.lat - 0.003, s.lon + 0.004, s.lat + 0.003]);
      });
    }
  }

  /**
   * The reach settings the sites are chosen with, changed here (the same settings as the
   * 3-minute tab's): no pointing at another tab.
   */
  private settingsBox(): HTMLElement {
    const { minutes, speed, kinds } = this.ctx.settings;
    const form = reachSettingsForm(this.ctx.settings, 'suggest-reach', t('coverage.suggest.apply'), (settings) => {
      this.ctx.settings = settings;
      this.settingsOpen = false;
      this.ctx.changed();
      // Suggestions shown were for the old settings: choose again with the new ones.
      if (this.response) void this.run();
      else this.render();
    });
    const box = h(
      'details',
      { class: 'suggest-settings', id: 'suggest-settings', open: this.settingsOpen },
      h(
        'summary',
        {},
        t('coverage.suggest.settings', {
          minutes: formatNumber(minutes, 1),
          speed: formatNumber(speed, 1),
          kinds: kinds.length === STATION_KINDS.length ? t('coverage.suggest.allKinds') : String(kinds.length),
        }),
        ' ',
        h('span', { class: 'link' }, t('coverage.suggest.change')),
      ),
      h('p', { class: 'muted small' }, t('coverage.suggest.hint')),
      form,
    );
    box.addEventListener('toggle', () => (this.settingsOpen = box.open));
    return box;
  }

  private form(): HTMLFormElement {
    const k = h('input', { type: 'number', id: 'suggest-k', min: 1, max: 50, step: 1, value: this.input.k });
    const candidate = (value: 'buildings' | 'lattice') => {
      const radio = h('input', { type: 'radio', name: 'candidates', value, id: `suggest-${value}` });
      radio.checked = this.input.candidates === value;
      return h('label', {}, radio, t(`coverage.suggest.${value}`));
    };
    const spacing = h('input', {
      type: 'number',
      id: 'suggest-spacing',
      min: 50,
      max: 2000,
      step: 10,
      value: this.input.spacing,
    });
    const form = h(
      'form',
      { class: 'reach-form', id: 'suggest-form', novalidate: true },
      h(
        'div',
        { class: 'reach-inputs' },
        h('label', {}, t('coverage.suggest.k'), k),
        h('button', { type: 'submit', class: 'primary', id: 'suggest-run' }, t('coverage.suggest.run')),
      ),
      h(
        'div',
        { class: 'reach-inputs' },
        h('span', {}, t('coverage.suggest.candidates')),
        candidate('buildings'),
        candidate('lattice'),
        h(
          'label',
          {},
          t('coverage.suggest.spacing'),
          spacing,
          h('span', { class: 'unit' }, t('coverage.suggest.spacingUnit')),
        ),
      ),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const chosen = form.querySelector<HTMLInputElement>('input[name="candidates"]:checked');
      this.input = {
        k: k.value,
        candidates: chosen?.value === 'lattice' ? 'lattice' : 'buildings',
        spacing: spacing.value,
      };
      void this.run();
    });
    return form;
  }
}
