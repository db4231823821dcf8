/**
 * 覆盖分析: the planner's card over the map's left side, for the region chosen in the tree.
 * Three tabs (党组织覆盖, 3分钟工作圈, 选址建议), each a component of its own, and the report's
 * exports (Excel, GeoJSON) and 打印 in the foot. Signed-in users only: the API refuses others.
 */
import type { GridCollection } from '../../common/contracts/grids.ts';
import { h, named, showCard } from '../dom.ts';
import { lang, onLangChange, t } from '../i18n/index.ts';
import type { Bbox } from '../map/adapter.ts';
import type { CoverageOverlay } from '../map/coverage-overlay.ts';
import type { CoverageContext, CoverageRegion } from './coverage-common.ts';
import { DEFAULT_REACH, exportHrefs } from './coverage-logic.ts';
import { PartyCoverageView } from './coverage-party.ts';
import { buildPrintSheet } from './coverage-print.ts';
import { StationReachView } from './coverage-reach.ts';
import { StationSuggestView } from './coverage-suggest.ts';

export type CoverageTab = 'party' | 'reach' | 'suggest';
const TABS: CoverageTab[] = ['party', 'reach', 'suggest'];

export interface CoveragePanelOptions {
  overlay: CoverageOverlay;
  grids: () => GridCollection | null;
  /** The region's extent, framed in the printed map. */
  bboxOf: (code: string) => Promise<Bbox | null>;
  fit: (bbox: Bbox) => void;
  onOpenChange: (open: boolean) => void;
}

export class CoveragePanel {
  private tab: CoverageTab = 'party';
  private currentRegion: CoverageRegion | null = null;
  private readonly ctx: CoverageContext;
  private readonly party: PartyCoverageView;
  private readonly reach: StationReachView;
  private readonly suggest: StationSuggestView;
  private readonly head = h('div', { class: 'coverage-head' });
  private readonly body = h('div', { class: 'coverage-body' });
  private readonly foot = h('div', { class: 'coverage-foot' });

  constructor(
    private readonly container: HTMLElement,
    private readonly options: CoveragePanelOptions,
  ) {
    this.ctx = {
      overlay: options.overlay,
      grids: options.grids,
      region: () => this.currentRegion,
      settings: { ...DEFAULT_REACH },
      fit: options.fit,
      changed: () => this.renderFoot(),
    };
    this.party = new PartyCoverageView(this.ctx);
    this.reach = new StationReachView(this.ctx);
    this.suggest = new StationSuggestView(this.ctx);
    container.replaceChildren(this.head, this.body, this.foot);
    onLangChange(() => this.render());
  }

  get isOpen(): boolean {
    return !this.container.hidden;
  }

  open(region = this.currentRegion): void {
    if (!region) return;
    showCard(this.container, this.options.onOpenChange);
    this.setRegion(region, true);
  }

  close(): void {
    if (!this.isOpen) return;
    this.container.hidden = true;
    this.options.overlay.show(null);
    this.options.onOpenChange(false);
  }

  /** The tree's selection: while open, the tabs reload for the new region. */
  setRegion(region: CoverageRegion, force = false): void {
    const same = region.code === this.currentRegion?.code;
    if (same && !force) return;
    if (!same) {
      this.currentRegion = region;
      this.party.reset();
      this.reach.reset();
      this.suggest.reset();
    }
    this.render();
    if (this.isOpen) this.activate();
  }

  /** The user signed out: nothing of the report may stay on screen. */
  signOut(): void {
    this.close();
    this.party.reset();
    this.reach.reset();
    this.suggest.reset();
  }

  /** A map click while open: the shown view's grid, unreached area or station. True when taken. */
  mapClick(point: { x: number; y: number }, lngLat: [number, number]): boolean {
    if (!this.isOpen) return false;
    const hit = this.options.overlay.hitAt([point.x, point.y]);
    if (!hit) return false;
    if (hit.kind === 'grid') this.party.pickGrid(hit.code);
    else if (hit.kind === 'unreached') this.reach.showArea(hit.index, lngLat, false);
    else this.reach.showStation(hit.code, lngLat);
    return true;
  }

  selectTab(tab: CoverageTab): void {
    this.tab = tab;
    this.render();
    this.activate();
  }

  private activate(): void {
    this.options.overlay.show(this.tab === 'party' ? 'party' : 'reach');
    if (this.tab === 'party') void this.party.activate();
    else void this.reach.activate();
    if (this.tab === 'suggest') this.suggest.activate();
  }

  private render(): void {
    this.renderHead();
    const view = this.tab === 'party' ? this.party : this.tab === 'reach' ? this.reach : this.suggest;
    if (this.tab === 'suggest') this.body.replaceChildren(this.suggest.element);
    else this.body.replaceChildren(view.element);
    view.render();
    this.renderFoot();
  }

  private renderHead(): void {
    const close = h(
      'button',
      { type: 'button', class: 'close', title: t('coverage.close'), 'aria-label': t('coverage.close') },
      '×',
    );
    close.addEventListener('click', () => this.close());
    const tabs = h(
      'div',
      { class: 'coverage-tabs', role: 'tablist' },
      ...TABS.map((tab) => {
        const button = h(
          'button',
          {
            type: 'button',
            role: 'tab',
            class: 'coverage-tab',
            'data-tab': tab,
            'aria-selected': String(tab === this.tab),
          },
          t(`coverage.tab.${tab}`),
        );
        button.addEventListener('click', () => this.selectTab(tab));
        return button;
      }),
    );
    const region = this.currentRegion;
    this.head.replaceChildren(
      close,
      h('h2', {}, t('coverage.title')),
      region ? h('div', { class: 'validation-region' }, named(region.name, region.code, 'small')) : '',
      tabs,
    );
  }

  private renderFoot(): void {
    const region = this.currentRegion;
    if (!region) return void this.foot.replaceChildren();
    const hrefs = exportHrefs(region.code, this.ctx.settings, lang());
    const link = (id: string, href: string, label: string, title: string) =>
      h('a', { id, href, download: '', class: 'button-link', title }, label);
    const print = h(
      'button',
      { type: 'button', id: 'coverage-print', class: 'button-link', title: t('coverage.printTitle') },
      t('coverage.print'),
    );
    print.addEventListener('click', () => void this.print());
    this.foot.replaceChildren(
      h('span', { class: 'muted small' }, t('coverage.export')),
      link('coverage-export-xlsx', hrefs.xlsx, t('coverage.exportXlsx'), t('coverage.exportXlsxTitle')),
      link('coverage-export-geojson', hrefs.geojson, t('coverage.exportGeojson'), t('coverage.exportGeojsonTitle')),
      print,
    );
  }

  /** Build the print sheet (map image, figures, tables) and open the print dialog. */
  async preparePrint(): Promise<HTMLElement | null> {
    const region = this.currentRegion;
    if (!region) return null;
    const mapImage = await this.options.overlay.snapshot((await this.options.bboxOf(region.code)) ?? undefined);
    const view = this.tab === 'party' ? this.party.element : this.reach.element;
    // The per-grid table is left to the Excel export: 300 rows make no printed summary.
    const sections = [
      ...view.querySelectorAll<HTMLElement>(
        ':scope > .coverage-figures, :scope > .reach-summary, :scope > .coverage-legend, :scope > .table-wrap, :scope > section > .table-wrap',
      ),
    ];
    if (this.tab === 'suggest') sections.push(...this.suggest.element.querySelectorAll<HTMLElement>('.table-wrap'));
    const { minutes, speed } = this.ctx.settings;
    const method = this.reach.report?.method;
    const notes =
      this.tab !== 'party' && method
        ? [t('coverage.printReach', { minutes, speed, method: t(`coverage.reach.method.${method}`) })]
        : [];
    return buildPrintSheet({ region, notes, mapImage, sections });
  }

  private async print(): Promise<void> {
    if (await this.preparePrint()) window.print();
  }
}
