/**
 * 案件统计: the case dashboard, a card over the map's left side for the region chosen in the
 * tree (the district by default). A period picker, the headline figures, the monthly trend,
 * tables by category and channel and a league table (child regions, or grid workers when a
 * community is on show), and the 导出台账 download for the same region and period.
 */
import type { CaseStats } from '../../common/contracts/cases.ts';
import type { RegionSummary } from '../../common/contracts/regions.ts';
import { h, named, showCard } from '../dom.ts';
import { formatNumber, lang, onLangChange, t, type MessageKey } from '../i18n/index.ts';
import { loadCaseStats } from './case-stats-api.ts';
import {
  exportHref,
  formatHours,
  formatRate,
  leagueRows,
  PERIOD_KINDS,
  periodOf,
  type Period,
} from './case-stats-logic.ts';
import { countsTable } from './case-tables.ts';
import { trendChart } from './case-trend-chart.ts';

export interface CaseDashboardOptions {
  onOpenChange: (open: boolean) => void;
  /** The region or period changed: the map's case layers follow. */
  onQuery: (region: string, period: Period) => void;
  now?: () => Date;
}

type CaseRegion = Pick<RegionSummary, 'code' | 'name' | 'level'>;

export class CaseDashboard {
  private region: CaseRegion | null = null;
  period: Period;
  private stats: CaseStats | null = null;
  private error: string | null = null;
  private loading = false;
  private request = 0;
  private abort: AbortController | null = null;
  private readonly head = h('div', { class: 'coverage-head' });
  private readonly body = h('div', { class: 'coverage-body case-body' });
  private readonly foot = h('div', { class: 'coverage-foot' });

  constructor(
    private readonly container: HTMLElement,
    private readonly options: CaseDashboardOptions,
  ) {
    this.period = periodOf('1y', this.now());
    container.replaceChildren(this.head, this.body, this.foot);
    onLangChange(() => this.render());
  }

  private now(): Date {
    return this.options.now?.() ?? new Date();
  }

  get isOpen(): boolean {
    return !this.container.hidden;
  }

  get regionCode(): string | null {
    return this.region?.code ?? null;
  }

  open(): void {
    if (!this.region) return;
    showCard(this.container, this.options.onOpenChange);
    void this.load();
  }

  close(): void {
    if (!this.isOpen) return;
    this.container.hidden = true;
    this.abort?.abort();
    this.options.onOpenChange(false);
  }

  /** The tree's selection: while open, the figures reload for the new region. */
  setRegion(region: CaseRegion): void {
    if (region.code === this.region?.code) return;
    this.region = region;
    this.stats = null;
    this.options.onQuery(region.code, this.period);
    if (this.isOpen) void this.load();
    else this.render();
  }

  setPeriod(period: Period): void {
    this.period = period;
    if (this.region) this.options.onQuery(this.region.code, period);
    void this.load();
  }

  /** The user signed out: no figure may stay on screen. */
  signOut(): void {
    this.close();
    this.stats = null;
    this.render();
  }

  private async load(): Promise<void> {
    const region = this.region;
    if (!region || !this.isOpen) return this.render();
    const id = ++this.request;
    this.abort?.abort();
    this.abort = new AbortController();
    this.loading = true;
    this.error = null;
    this.render();
    try {
      const stats = await loadCaseStats(region.code, this.period, this.abort.signal);
      if (id !== this.request) return;
      this.stats = stats;
    } catch (error) {
      if (id !== this.request || (error as Error).name === 'AbortError') return;
      this.stats = null;
      this.error = (error as Error).message;
    }
    this.loading = false;
    this.render();
  }

  private render(): void {
    this.renderHead();
    this.renderBody();
    this.renderFoot();
  }

  private renderHead(): void {
    const close = h(
      'button',
      { type: 'button', class: 'close', title: t('caseStats.close'), 'aria-label': t('caseStats.close') },
      '×',
    );
    close.addEventListener('click', () => this.close());
    const region = this.region;
    this.head.replaceChildren(
      close,
      h('h2', {}, t('caseStats.title')),
      region ? h('div', { class: 'validation-region' }, named(region.name, region.code, 'small')) : '',
      this.periodPicker(),
    );
  }

  private periodPicker(): HTMLElement {
    const buttons = PERIOD_KINDS.map((kind) => {
      const button = h(
        'button',
        {
          type: 'button',
          role: 'tab',
          class: 'coverage-tab',
          'data-period': kind,
          'aria-selected': String(kind === this.period.kind),
        },
        t(`caseStats.period.${kind}` as MessageKey),
      );
      button.addEventListener('click', () => {
        if (kind === 'custom') {
          this.period = { ...this.period, kind };
          return this.render();
        }
        this.setPeriod(periodOf(kind, this.now()));
      });
      return button;
    });
    const picker = h(
      'div',
      { class: 'case-period' },
      h('div', { class: 'coverage-tabs', role: 'tablist' }, ...buttons),
    );
    if (this.period.kind === 'custom') {
      const from = h('input', {
        type: 'date',
        id: 'case-from',
        value: this.period.from,
        'aria-label': t('caseStats.from'),
      });
      const to = h('input', { type: 'date', id: 'case-to', value: this.period.to, 'aria-label': t('caseStats.to') });
      const apply = h('button', { type: 'submit', id: 'case-apply' }, t('caseStats.apply'));
      const form = h('form', { class: 'case-custom' }, from, '–', to, apply);
      form.addEventListener('submit', (event) => {
        event.preventDefault();
        if (!from.value || !to.value || from.value > to.value) {
          this.error = t('caseStats.badPeriod');
          return this.renderBody();
        }
        this.setPeriod({ kind: 'custom', from: from.value, to: to.value });
      });
      picker.append(form);
    } else {
      picker.append(h('div', { class: 'muted small case-dates' }, `${this.period.from} – ${this.period.to}`));
    }
    return picker;
  }

  private renderBody(): void {
    const stats = this.stats;
    const status = h(
      'div',
      { class: `coverage-status${this.error ? ' error' : ''}`, id: 'case-status' },
      // No "用时 … 毫秒" on screen (issue 17): tookMs stays in the answer and the logs.
      this.error ?? (this.loading ? t('coverage.loading') : ''),
    );
    if (!stats) return void this.body.replaceChildren(status);
    this.body.classList.toggle('stale', this.loading);
    const c = stats.totals;
    const figure = (key: string, value: string, label: string, extra = '') =>
      h(
        'div',
        { class: `figure ${extra}`, 'data-figure': key },
        h('div', { class: 'figure-value' }, value),
        h('div', { class: 'figure-label' }, label),
      );
    const figures = h(
      'div',
      { class: 'figures coverage-figures case-figures', id: 'case-figures' },
      figure('accepted', formatNumber(c.accepted), t('caseStats.fig.accepted')),
      figure('closed', formatNumber(c.closed), t('caseStats.fig.closed')),
      figure('closureRate', formatRate(c.closureRate, lang()), t('caseStats.fig.closureRate'), 'good'),
      figure('onTimeRate', formatRate(c.onTimeRate, lang()), t('caseStats.fig.onTimeRate')),
      figure('satisfactionRate', formatRate(c.satisfactionRate, lang()), t('caseStats.fig.satisfactionRate'), 'good'),
      figure('avgHandlingHours', formatHours(c.avgHandlingHours), t('caseStats.fig.avgHandlingHours')),
      figure('overdueNow', formatNumber(c.overdueNow), t('caseStats.fig.overdueNow'), c.overdueNow > 0 ? 'bad' : ''),
    );
    const league = leagueRows(stats, this.region?.level ?? 'district');
    const leagueTitle =
      league.kind === 'worker'
        ? t('caseStats.league.worker')
        : t(
            `caseStats.league.${this.region?.level === 'street' ? 'community' : this.region?.level === 'community' ? 'grid' : 'street'}` as MessageKey,
          );
    this.body.replaceChildren(
      status,
      figures,
      h(
        'section',
        { class: 'coverage-section' },
        h('h3', {}, t('caseStats.trend')),
        trendChart(stats.trend),
        this.trendLegend(),
      ),
      h(
        'section',
        { class: 'coverage-section' },
        h('h3', {}, leagueTitle),
        countsTable('case-league', league.rows, true),
      ),
      h(
        'section',
        { class: 'coverage-section' },
        h('h3', {}, t('caseStats.byCategory')),
        countsTable('case-by-category', stats.byCategory, false),
      ),
      h(
        'section',
        { class: 'coverage-section' },
        h('h3', {}, t('caseStats.byChannel')),
        countsTable('case-by-channel', stats.byChannel, false),
      ),
    );
  }

  private trendLegend(): HTMLElement {
    const item = (cls: string, label: string) => h('li', {}, h('span', { class: `trend-key ${cls}` }), label);
    return h(
      'ul',
      { class: 'legend trend-legend' },
      item('accepted', t('caseStats.fig.accepted')),
      item('closed', t('caseStats.fig.closed')),
      item('rate', t('caseStats.fig.satisfactionRate')),
    );
  }

  private renderFoot(): void {
    const region = this.region;
    if (!region) return void this.foot.replaceChildren();
    this.foot.replaceChildren(
      h('span', { class: 'muted small' }, t('caseStats.exportHint')),
      h(
        'a',
        {
          id: 'case-export',
          href: exportHref(region.code, this.period),
          download: '',
          class: 'button-link',
          title: t('caseStats.exportTitle'),
        },
        t('caseStats.export'),
      ),
    );
  }
}
