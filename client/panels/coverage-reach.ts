/**
 * 3分钟工作圈: minutes, speed and station kinds; the share of households reached for the
 * region, per community and per grid (GET /api/coverage/stations); the unreached areas
 * (click for their households) and the redundant stations; the method the server used.
 */
import type { StationReachReport } from '../../common/contracts/station-reach.ts';
import { STATION_KINDS } from '../../common/rules/station-kinds.ts';
import { api } from '../api.ts';
import { h, named } from '../dom.ts';
import { formatNumber, t } from '../i18n/index.ts';
import { REDUNDANT_COLOR, SHARE_STOPS, UNREACHED_COLOR } from '../map/coverage-layers.ts';
import { STATION_COLORS } from '../map/layers.ts';
import { ReportRequest, bboxOf, statusLine, swatch, table, type CoverageContext } from './coverage-common.ts';
import { areaText, redundantSection, unreachedSection } from './coverage-reach-lists.ts';
import { parseNumberInput, percent, reachQuery, reachTableRows } from './coverage-logic.ts';

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
    const settings = this.ctx.settings;
    const minutes = h('input', {
      type: 'number',
      id: 'reach-minutes',
      min: 0.5,
      max: 60,
      step: 0.5,
      inputmode: 'decimal',
      value: settings.minutes,
    });
    const speed = h('input', {
      type: 'number',
      id: 'reach-speed',
      min: 0.3,
      max: 5,
      step: 0.1,
      inputmode: 'decimal',
      value: settings.speed,
    });
    const kinds = STATION_KINDS.map((kind) => {
      const box = h('input', { type: 'checkbox', name: 'kind', value: kind, 'data-kind': kind });
      box.checked = settings.kinds.includes(kind);
      return h(
        'label',
        { class: 'kind' },
        box,
        h('span', { class: 'dot', style: `--swatch:${STATION_COLORS[kind]}` }),
        t(`station.${kind}`),
      );
    });
    const error = h('p', { class: 'error small', hidden: true });
    const form = h(
      'form',
      { class: 'reach-form', id: 'reach-form', novalidate: true },
      h(
        'div',
        { class: 'reach-inputs' },
        h(
          'label',
          {},
          t('coverage.reach.minutes'),
          minutes,
          h('span', { class: 'unit' }, t('coverage.reach.minutesUnit')),
        ),
        h('label', {}, t('coverage.reach.speed'), speed, h('span', { class: 'unit' }, t('coverage.reach.speedUnit'))),
        h('button', { type: 'submit', class: 'primary', id: 'reach-run' }, t('coverage.reach.run')),
      ),
      h(
        'details',
        { class: 'reach-kinds' },
        h('summary', {}, t('coverage.reach.kinds'), ` (${settings.kinds.length}/${STATION_KINDS.length})`),
        h('div', { class: 'kind-grid' }, ...kinds),
      ),
      error,
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      const m = parseNumberInput(minutes.value, 0.5, 60);
      const s = parseNumberInput(speed.value, 0.3, 5);
      const chosen = [...form.querySelectorAll<HTMLInputElement>('input[name="kind"]:checked')].map(
        (box) => box.value,
      ) as typeof settings.kinds;
      const message =
        m === null || s === null
          ? t('coverage.reach.badInput')
          : chosen.length === 0
            ? t('coverage.reach.noKinds')
            : null;
      if (message || m === null || s === null) {
        error.textContent = message;
        error.hidden = false;
        return;
      }
      this.ctx.settings = { minutes: m, speed: s, kinds: chosen };
      void this.activate();
    });
    return form;
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
    const gradient = SHARE_STOPS.map(([stop, color]) => `${color} ${stop * 100}%`).join(', ');
    const legend = h(
      'ul',
      { class: 'legend coverage-legend' },
      h(
        'li',
        {},
        h('span', { class: 'ramp', style: `background:linear-gradient(90deg, ${gradient})` }),
        t('coverage.legend.share'),
        h('span', { class: 'muted small' }, ' 0–100%'),
      ),
      h('li', {}, swatch(UNREACHED_COLOR, 'hatched'), t('coverage.legend.unreached')),
      h('li', {}, h('span', { class: 'dot', style: '--swatch:#1b5e20' }), t('coverage.legend.station')),
      h(
        'li',
        {},
        h('span', { class: 'dot redundant', style: `--swatch:${REDUNDANT_COLOR}` }),
        t('coverage.legend.redundant'),
      ),
    );
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
