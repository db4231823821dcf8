/**
 * 案件 in the sidebar: switch the map's case points (by state) and the 办结率 choropleth on and
 * off, with their legends. For signed-in staff only (the API refuses the others).
 */
import type { CasePointStatus } from '../../common/contracts/case-points.ts';
import { append, h } from '../dom.ts';
import { onLangChange, t, type MessageKey } from '../i18n/index.ts';
import { CASE_STATUS_COLORS, RATE_STOPS } from '../map/case-layers.ts';

export interface CaseLayerState {
  points: boolean;
  rates: boolean;
}

export class CaseLayerSwitches {
  private state: CaseLayerState = { points: false, rates: false };
  private signedIn = false;
  /** What the layers show: the region and period, and how many points (null: not loaded). */
  private note = '';

  constructor(
    private readonly container: HTMLElement,
    private readonly onChange: (state: CaseLayerState) => void,
  ) {
    onLangChange(() => this.render());
    this.render();
  }

  get current(): CaseLayerState {
    return this.state;
  }

  setSignedIn(signedIn: boolean): void {
    this.signedIn = signedIn;
    if (!signedIn && (this.state.points || this.state.rates)) {
      this.state = { points: false, rates: false };
      this.onChange(this.state);
    }
    this.render();
  }

  setNote(note: string): void {
    this.note = note;
    this.render();
  }

  private render(): void {
    this.container.hidden = !this.signedIn;
    if (!this.signedIn) return void this.container.replaceChildren();
    const toggle = (key: keyof CaseLayerState, id: string, label: string, title: string) => {
      const box = h('input', { type: 'checkbox', id });
      box.checked = this.state[key];
      box.addEventListener('change', () => {
        this.state = { ...this.state, [key]: box.checked };
        this.onChange(this.state);
        this.render();
      });
      return h('label', { class: 'switch', title }, box, h('span', {}, label));
    };
    const dot = (color: string) => h('span', { class: 'dot', style: `--swatch:${color}` });
    const ramp = `linear-gradient(90deg, ${RATE_STOPS.map(([stop, color]) => `${color} ${((stop - 0.8) / 0.2) * 100}%`).join(', ')})`;
    this.container.replaceChildren();
    append(this.container, [
      h('h2', {}, t('caseStats.layers.title')),
      toggle('points', 'case-points-toggle', t('caseStats.layers.points'), t('caseStats.layers.pointsTitle')),
      this.state.points
        ? h(
            'ul',
            { class: 'legend', id: 'case-points-legend' },
            ...(Object.keys(CASE_STATUS_COLORS) as CasePointStatus[]).map((status) =>
              h(
                'li',
                { 'data-status': status },
                dot(CASE_STATUS_COLORS[status]),
                t(`caseStats.status.${status}` as MessageKey),
              ),
            ),
          )
        : null,
      toggle('rates', 'case-rates-toggle', t('caseStats.layers.rates'), t('caseStats.layers.ratesTitle')),
      this.state.rates
        ? h(
            'div',
            { class: 'case-rate-legend', id: 'case-rates-legend' },
            h('span', { class: 'ramp', style: `background:${ramp}` }),
            h('span', { class: 'small' }, t('caseStats.layers.rampLabel')),
          )
        : null,
      this.note && (this.state.points || this.state.rates)
        ? h('p', { class: 'muted small', id: 'case-layers-note' }, this.note)
        : null,
    ]);
  }
}
