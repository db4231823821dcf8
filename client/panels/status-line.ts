/** The status line over the map: "显示 319 个网格", coverage gaps, or a loading error. */
import type { GridCollection } from '../../common/contracts/grids.ts';
import { fillTemplate, h } from '../dom.ts';
import { onLangChange, t, type MessageKey } from '../i18n/index.ts';
import { gridCoverage, type FillMode } from '../map/layers.ts';

export class StatusLine {
  private grids: GridCollection | null = null;
  private mode: FillMode = 'band';
  private message: { key: MessageKey; params?: Record<string, string> } | null = { key: 'app.loading' };

  constructor(private readonly element: HTMLElement) {
    onLangChange(() => this.render());
  }
  setGrids(grids: GridCollection): void {
    this.grids = grids;
    this.message = null;
    this.render();
  }
  /** Grids drawn from vector tiles: only their number is known here, not each grid. */
  setTileCount(count: number): void {
    this.grids = null;
    this.message = { key: 'status.gridTiles', params: { count: String(count) } };
    this.render();
  }
  setMode(mode: FillMode): void {
    this.mode = mode;
    this.render();
  }
  fail(message: string): void {
    this.message = { key: 'app.loadFailed', params: { message } };
    this.render();
  }
  private render(): void {
    this.element.classList.toggle('error', this.message?.key === 'app.loadFailed');
    if (this.message || !this.grids) {
      this.element.textContent = this.message ? t(this.message.key, this.message.params) : '';
      return;
    }
    const count = h('strong', { id: 'grid-count' }, String(this.grids.features.length));
    const parts = fillTemplate(t('status.gridCount'), { count });
    this.element.replaceChildren();
    for (const part of parts) if (part) this.element.append(part instanceof Node ? part : String(part));
    if (this.mode === 'coverage') {
      const coverage = this.grids.features.map((f) => gridCoverage(f.properties.party_orgs));
      const uncovered = coverage.filter((c) => c === 0).length;
      const overlaps = coverage.filter((c) => c === 2).length;
      this.element.append(
        ' · ',
        h('span', { class: 'gap', id: 'uncovered-count' }, t('status.uncovered', { count: uncovered })),
      );
      if (overlaps)
        this.element.append(' · ', h('span', { class: 'overlap' }, t('status.overlap', { count: overlaps })));
    }
  }
}
