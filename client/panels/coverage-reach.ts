/**
 * 3分钟工作圈: minutes, speed and station kinds; the share of households reached for the
 * region, per community and per grid (GET /api/coverage/stations); the unreached areas
 * (click for their households) and the redundant stations; the method the server used.
 */
import type { StationReachReport } from '../../common/contracts/station-reach.ts';
import { api } from '../api.ts';
import { h, named } from '../dom.ts';
import { formatNumber, t } from '../i18n/index.ts';
import { reachLegend } from './coverage-legends.ts';
import { reachSettingsForm } from './coverage-reach-form.ts';
import { ReportRequest, bboxOf, statusLine, table, type CoverageContext } from './coverage-common.ts';
import { areaText, redundantSection, unreachedSection } from './coverage-reach-lists.ts';
import { percent, reachQuery, reachTableRows } from './coverage-logic.ts';

export class StationReachView {
  readonly element = h('div', { class: 'coverage-view', id: 'coverage-reach' });
  /** For the region and query (reachQuery) of the report shown or being computed. */
  private readonly request = new ReportRequest<StationReachReport>();
  private selectedArea: number | null = null;

  constructor(private readonly ctx: CoverageContext) {}

  get report(): StationReachReport | null {
    return this.request.report;
  }

  async activate(): Promise<void> {
    const region = this.ctx.region();
    if (!region) return this.render();
    // areas=1: the unreached polygons are wanted at district level too (the API skips them there by default).
    const search = reachQuery(region.code, this.ctx.settings, { areas: '1' });
    if (this.request.isFor(search)) return this.render();
    const shown = await this.request.load(search, (signal) => api.stationReach(search, signal), {
      started: () => {
        this.render();
        this.ctx.changed();
      },
      loaded: (report) => {
        this.selectedArea = null;
        this.ctx.overlay.setReach(this.ctx.grids(), report);
      },
    });
    if (!shown) return;
    this.render();
    this.ctx.changed();
  }

  reset(): void {
    this.request.reset();
    this.selectedArea = null;
    this.ctx.overlay.setReach(null, null);
  }

  /** An unreached area clicked on the map or in the list: mark it, say its households. */
  showArea(index: number, lngLat: [number, number] | null, zoom: boolean): void {
    const feature = this.report?.unreached.features[index];
    if (!feature) return;
    this.selectedArea = index;
    this.ctx.overlay.selectUnreached(index);
    const p = feature.properties;
    const popup = h(
      'div',
      { class: 'coverage-popup-body', 'data-index': index },
      h('strong', {}, t('coverage.reach.unreached')),
      h(
        'div',
        {},
        t('coverage.reach.unreachedItem', {
          households: formatNumber(p.households),
          buildings: formatNumber(p.buildings),
          area: areaText(p.areaM2),
        }),
      ),
    );
    const bbox = bboxOf(feature.geometry);
    if (zoom && bbox) this.ctx.fit(bbox);
    const at = lngLat ?? (bbox ? ([(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2] as [number, number]) : null);
    if (at) this.ctx.overlay.showPopup(at, popup);
    this.render();
  }

  /** A station clicked on the map: what it reaches. */
  showStation(code: string, lngLat: [number, number]): void {
    const station = this.report?.stations.find((s) => s.code === code);
    if (!station) return;
    const redundant = this.report?.redundant.includes(code);
    this.ctx.overlay.showPopup(
      lngLat,
      h(
        'div',
        { class: 'coverage-popup-body' },
        h('strong', {}, station.name),
        h(
          'div',
          { class: 'small muted' },
          t(`station.${station.kind}`),
          redundant ? ` · ${t('coverage.reach.redundant')}` : '',
        ),
        h(
          'div',
          {},
          t('coverage.reach.stationHouseholds', {
            count: formatNumber(station.households),
            only: formatNumber(station.householdsOnlyHere),
          }),
        ),
      ),
    );
  }

  render(): void {
    const report = this.report;
    const { status } = this.request;
    this.element.replaceChildren(this.form(), statusLine(status));
    this.element.classList.toggle('stale', status.kind !== 'idle');
    if (report) this.element.append(...this.results(report));
  }

  private form(): HTMLFormElement {
    return reachSettingsForm(this.ctx.settings, 'reach', t('coverage.reach.run'), (settings) => {
      this.ctx.settings = settings;
      void this.activate();
    });
  }

  private results(report: StationReachReport): HTMLElement[] {
    const method = h(
      'span',
      {
        class: `method-badge ${report.method}`,
        id: 'reach-method',
        'data-method': report.method,
        title: t(`coverage.reach.methodHint.${report.method}`),
      },
      t(`coverage.reach.method.${report.method}`),
    );
    const summary = h(
      'div',
      { class: 'reach-summary' },
      h('div', { class: 'reach-share', id: 'reach-share', 'data-share': report.share }, `${percent(report.share)}%`),
      h(
        'div',
        {},
        h(
          'div',
          {},
          t('coverage.reach.summary', {
            reached: formatNumber(report.householdsReached),
            total: formatNumber(report.households),
            minutes: formatNumber(report.minutes, 1),
          }),
        ),
        h(
          'div',
          { class: 'small muted' },
          method,
          ' ',
          t('coverage.reach.reachM', { metres: formatNumber(report.reachM) }),
        ),
      ),
    );
    const legend = reachLegend();
    const rowsOf = (rows: StationReachReport['communities'], limit = Infinity) =>
      reachTableRows(rows)
        .slice(0, limit)
        .map((row) => ({
          attrs: { 'data-code': row.code },
          cells: [
            named(row.name, row.code),
            formatNumber(row.households),
            formatNumber(row.reached),
            `${row.percent}%`,
          ],
        }));
    const headers = [
      t('coverage.reach.name'),
      t('coverage.reach.households'),
      t('coverage.reach.reached'),
      t('coverage.reach.share'),
    ];
    const gridTable = h(
      'details',
      { class: 'coverage-section' },
      h(
        'summary',
        {},
        t('coverage.reach.grids'),
        h('span', { class: 'severity-count' }, formatNumber(report.grids.length)),
      ),
      h('div', { class: 'table-wrap' }, table('reach-grid-table', headers, rowsOf(report.grids, 100), [1, 2, 3])),
      report.grids.length > 100
        ? h('p', { class: 'muted small' }, t('coverage.reach.more', { count: report.grids.length - 100 }))
        : null,
    );
    return [
      summary,
      legend,
      h(
        'section',
        { class: 'coverage-section' },
        h('h3', {}, t('coverage.reach.communities')),
        h(
          'div',
          { class: 'table-wrap' },
          table('reach-community-table', headers, rowsOf(report.communities), [1, 2, 3]),
        ),
      ),
      gridTable,
      unreachedSection(report, this.selectedArea, (index) => this.showArea(index, null, true)),
      redundantSection(report, (s) => {
        this.ctx.fit([s.lon - 0.003, s.lat - 0.002, s.lon + 0.003, s.lat + 0.002]);
        this.showStation(s.code, [s.lon, s.lat]);
      }),
    ];
  }
}
