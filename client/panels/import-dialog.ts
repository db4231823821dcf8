/**
 * The 导入 / 导出 dialog and its header buttons. Admins and editors see both; planners see
 * 导出 only; anonymous users see neither (the API refuses them too: this only spares them
 * buttons that cannot work).
 */
import type { SessionUser } from '../../common/contracts/auth.ts';
import type { InteropLayer } from '../../common/contracts/interop.ts';
import type { RegionSummary } from '../../common/contracts/regions.ts';
import { h } from '../dom.ts';
import { onLangChange, t } from '../i18n/index.ts';
import { ExportView } from './export-view.ts';
import { ImportView } from './import-view.ts';

type Tab = 'import' | 'export';

export class ImportExportDialog {
  private readonly dialog = h('dialog', { class: 'interop-dialog', id: 'interop-dialog' });
  private readonly importButton = h('button', {
    type: 'button',
    class: 'header-button',
    id: 'import-button',
    hidden: true,
  });
  private readonly exportButton = h('button', {
    type: 'button',
    class: 'header-button',
    id: 'export-button',
    hidden: true,
  });
  private readonly importView: ImportView;
  private readonly exportView = new ExportView();
  private tab: Tab = 'import';
  private user: SessionUser | null = null;

  /** `anchor`: the header element the buttons go before (the sign-in area). */
  constructor(anchor: HTMLElement, onCommitted: (layer: InteropLayer) => void) {
    this.importView = new ImportView(onCommitted);
    anchor.before(this.importButton, this.exportButton);
    document.body.append(this.dialog);
    this.importButton.addEventListener('click', () => this.open('import'));
    this.exportButton.addEventListener('click', () => this.open('export'));
    onLangChange(() => this.render());
  }

  private get canImport(): boolean {
    return this.user?.role === 'admin' || this.user?.role === 'editor';
  }

  setUser(user: SessionUser | null): void {
    this.user = user;
    this.importButton.hidden = !this.canImport;
    this.importView.setCanImport(this.canImport);
    this.importView.setAdmin(user?.role === 'admin');
    this.exportButton.hidden = !user;
    if (!user && this.dialog.open) this.dialog.close();
    if (!this.canImport) this.tab = 'export';
    this.render();
  }

  setRegion(region: RegionSummary | null): void {
    this.importView.setRegion(region);
    this.exportView.setRegion(region);
  }

  open(tab: Tab): void {
    this.tab = tab === 'import' && !this.canImport ? 'export' : tab;
    this.render();
    if (!this.dialog.open) this.dialog.showModal();
  }

  private render(): void {
    this.importButton.textContent = t('interop.importButton');
    this.importButton.title = t('interop.importTitle');
    this.exportButton.textContent = t('interop.exportButton');
    this.exportButton.title = t('interop.exportTitle');
    const tabButton = (tab: Tab) => {
      const button = h(
        'button',
        {
          type: 'button',
          role: 'tab',
          class: `tab${this.tab === tab ? ' active' : ''}`,
          'aria-selected': String(this.tab === tab),
          id: `interop-tab-${tab}`,
        },
        t(`interop.tab.${tab}`),
      );
      button.addEventListener('click', () => {
        this.tab = tab;
        this.render();
      });
      return button;
    };
    const close = h(
      'button',
      {
        type: 'button',
        class: 'close',
        id: 'interop-close',
        title: t('interop.close'),
        'aria-label': t('interop.close'),
      },
      '×',
    );
    close.addEventListener('click', () => this.dialog.close());
    const view = this.tab === 'import' ? this.importView : this.exportView;
    view.render();
    this.dialog.replaceChildren(
      h(
        'div',
        { class: 'interop-head' },
        // A planner's dialog holds only the export: its title says so.
        h('h2', { id: 'interop-title' }, t(this.canImport ? 'interop.dialogTitle' : 'interop.dialogTitleExport')),
        // One tab is no choice: the tabs show only when both are there.
        this.canImport ? h('div', { class: 'tabs', role: 'tablist' }, tabButton('import'), tabButton('export')) : null,
        close,
      ),
      view.element,
    );
  }
}
