/** District → streets → communities, loaded lazily one level at a time. */
import type { RegionSummary } from '../../common/contracts/regions.ts';
import type { CommunityStatus } from '../../common/contracts/validation.ts';
import { api } from '../api.ts';
import { h } from '../dom.ts';
import { onLangChange, t } from '../i18n/index.ts';
import { communityMark } from '../problems.ts';

export interface RegionTreeOptions {
  onSelect: (region: RegionSummary) => void;
}

export class RegionTree {
  private selected: HTMLElement | null = null;
  /** The last validation status of each community, shown as ✓ / ✗ n beside its name. */
  private readonly statuses = new Map<string, CommunityStatus>();
  private readonly list = h('ul', { class: 'tree', role: 'tree' });

  constructor(
    private readonly container: HTMLElement,
    private readonly options: RegionTreeOptions,
  ) {
    container.replaceChildren(this.list);
    onLangChange(() => this.relabel());
  }

  /** Load the top level; the first district starts expanded. */
  async load(): Promise<RegionSummary[]> {
    const { regions } = await api.regions();
    this.list.replaceChildren(...regions.map((region) => this.node(region)));
    const first = this.list.querySelector<HTMLElement>('li');
    if (first) await this.expand(first);
    return regions;
  }

  private node(region: RegionSummary): HTMLLIElement {
    const hasChildren = region.child_count > 0 && region.level !== 'community';
    const toggle = h(
      'button',
      { class: 'tree-toggle', type: 'button', 'aria-expanded': 'false' },
      hasChildren ? '▸' : '',
    );
    if (!hasChildren) toggle.disabled = true;
    const name = h(
      'button',
      { class: 'tree-name', type: 'button', 'data-code': region.code, title: region.code },
      region.name,
    );
    const count = hasChildren ? h('span', { class: 'tree-count' }, String(region.child_count)) : null;
    const item = h(
      'li',
      { role: 'treeitem', 'data-level': region.level },
      h('div', { class: 'tree-row' }, toggle, name, count),
    );
    toggle.addEventListener('click', () => {
      void (item.classList.contains('open') ? this.collapse(item) : this.expand(item));
    });
    name.addEventListener('click', () => {
      this.select(name);
      this.options.onSelect(region);
      if (hasChildren && !item.classList.contains('open')) void this.expand(item);
    });
    item.dataset.code = region.code;
    this.mark(item);
    return item;
  }

  private async expand(item: HTMLElement): Promise<void> {
    const code = item.dataset.code;
    if (!code) return;
    item.classList.add('open');
    this.setToggle(item, true);
    if (item.querySelector(':scope > ul')) return;
    const children = h('ul', { class: 'tree', role: 'group' }, h('li', { class: 'tree-note' }, t('tree.loading')));
    item.append(children);
    try {
      const { regions } = await api.regions(code);
      children.replaceChildren(
        ...(regions.length ? regions.map((r) => this.node(r)) : [h('li', { class: 'tree-note' }, t('tree.empty'))]),
      );
    } catch (error) {
      children.replaceChildren(h('li', { class: 'tree-note error' }, (error as Error).message));
    }
  }

  private collapse(item: HTMLElement): void {
    item.classList.remove('open');
    this.setToggle(item, false);
  }

  private setToggle(item: HTMLElement, open: boolean): void {
    const toggle = item.querySelector<HTMLButtonElement>(':scope > .tree-row > .tree-toggle');
    if (!toggle || toggle.disabled) return;
    toggle.textContent = open ? '▾' : '▸';
    toggle.setAttribute('aria-expanded', String(open));
    toggle.title = open ? t('tree.collapse') : t('tree.expand');
  }

  private select(name: HTMLElement): void {
    this.selected?.classList.remove('selected');
    this.selected = name;
    name.classList.add('selected');
  }

  /** Highlight a region's row if it is loaded (e.g. after a click on the map). */
  highlight(code: string): void {
    const name = this.container.querySelector<HTMLElement>(`.tree-name[data-code="${code}"]`);
    if (name) this.select(name);
  }

  /** Mark communities with their validation status (kept until a newer check replaces it). */
  setStatuses(statuses: readonly CommunityStatus[]): void {
    for (const status of statuses) {
      this.statuses.set(status.code, status);
      const item = this.container.querySelector<HTMLElement>(`li[data-code="${CSS.escape(status.code)}"]`);
      if (item) this.mark(item);
    }
  }

  private mark(item: HTMLElement): void {
    const status = this.statuses.get(item.dataset.code ?? '');
    const row = item.querySelector(':scope > .tree-row');
    if (!status || !row) return;
    const { state, count } = communityMark(status);
    const title =
      state !== 'ok'
        ? t('tree.markProblems', { errors: status.errors, warnings: status.warnings, infos: status.infos })
        : status.infos
          ? t('tree.markOkSlivers', { infos: status.infos })
          : t('tree.markOk');
    let mark = row.querySelector<HTMLElement>('.tree-mark');
    if (!mark) {
      mark = h('span', { role: 'img' });
      row.append(mark);
    }
    mark.className = `tree-mark ${state}`;
    mark.dataset.state = state;
    mark.textContent = state === 'ok' ? '✓' : `✗ ${count}`;
    mark.title = title;
    mark.setAttribute('aria-label', title);
  }

  private relabel(): void {
    for (const item of this.container.querySelectorAll<HTMLElement>('li[data-code]')) {
      this.setToggle(item, item.classList.contains('open'));
      this.mark(item);
    }
  }
}
