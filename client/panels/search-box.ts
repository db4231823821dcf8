/**
 * The search box over the map: names, full pinyin or initials of grids, communities, compounds,
 * roads, stations and addresses. A combobox (WAI-ARIA 1.2 pattern): ↓/↑ move through the hits,
 * Enter picks, Escape closes; the hits come from the server, ranked there.
 */
import type { PublicSearchHit } from '../../common/contracts/public.ts';
import type { SearchHit } from '../../common/contracts/search.ts';
import { h } from '../dom.ts';
import { formatNumber, onLangChange, t, type MessageKey } from '../i18n/index.ts';

export type Hit = PublicSearchHit & Partial<Pick<SearchHit, 'households'>>;

const DEBOUNCE_MS = 200;

/**
 * The hit made active by a key: ↓ from none is the first, ↑ from none the last, and both wrap.
 *
 * @example nextActive(-1, 5, 'ArrowDown') // 0
 */
export function nextActive(current: number, count: number, key: 'ArrowDown' | 'ArrowUp'): number {
  if (count === 0) return -1;
  if (key === 'ArrowDown') return current < 0 || current >= count - 1 ? 0 : current + 1;
  return current <= 0 ? count - 1 : current - 1;
}

export class SearchBox {
  private readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private hits: Hit[] = [];
  private active = -1;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: AbortController | null = null;
  private lastQuery = '';

  constructor(
    container: HTMLElement,
    private readonly fetchHits: (q: string, signal: AbortSignal) => Promise<Hit[]>,
    private readonly pick: (hit: Hit) => void,
  ) {
    this.input = h('input', {
      id: 'map-search-input',
      type: 'search',
      role: 'combobox',
      autocomplete: 'off',
      spellcheck: 'false',
      maxlength: 50,
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': 'map-search-hits',
    });
    this.list = h('ul', { id: 'map-search-hits', class: 'map-search-hits', role: 'listbox', hidden: true });
    container.replaceChildren(this.input, this.list);
    onLangChange(() => {
      this.input.placeholder = t('search.placeholder');
      this.input.setAttribute('aria-label', t('search.label'));
      if (!this.list.hidden) this.render();
    });
    this.input.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.run(), DEBOUNCE_MS);
    });
    this.input.addEventListener('keydown', (event) => this.onKey(event));
    this.input.addEventListener('focus', () => {
      if (this.hits.length && this.input.value.trim() === this.lastQuery) this.open();
    });
    document.addEventListener('pointerdown', (event) => {
      if (!container.contains(event.target as Node)) this.close();
    });
  }

  private onKey(event: KeyboardEvent): void {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (this.list.hidden && this.hits.length) this.open();
      this.setActive(nextActive(this.active, this.hits.length, event.key));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      clearTimeout(this.timer);
      // Enter before the answer arrived: search now and take the best hit.
      if (this.input.value.trim() !== this.lastQuery) void this.run(true);
      else this.choose(this.active >= 0 ? this.active : 0);
    } else if (event.key === 'Escape') {
      if (!this.list.hidden) event.preventDefault();
      this.close();
    }
  }

  private async run(pickFirst = false): Promise<void> {
    const q = this.input.value.trim();
    this.pending?.abort();
    if (!q) {
      this.hits = [];
      this.lastQuery = '';
      this.close();
      return;
    }
    this.pending = new AbortController();
    try {
      const hits = await this.fetchHits(q, this.pending.signal);
      this.hits = hits;
      this.lastQuery = q;
      this.active = -1;
      if (pickFirst && hits.length) this.choose(0);
      else this.render();
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      this.hits = [];
      this.list.replaceChildren(h('li', { class: 'map-search-empty' }, t('search.failed', { message: String(error) })));
      this.open();
    }
  }

  private render(): void {
    if (this.hits.length === 0) {
      this.list.replaceChildren(h('li', { class: 'map-search-empty' }, t('search.none', { q: this.lastQuery })));
      this.open();
      return;
    }
    this.list.replaceChildren(
      ...this.hits.map((hit, i) => {
        const item = h(
          'li',
          {
            id: `map-search-hit-${i}`,
            class: 'map-search-hit',
            role: 'option',
            'aria-selected': String(i === this.active),
            'data-type': hit.type,
            'data-code': hit.code,
          },
          h('span', { class: 'hit-type', 'data-type': hit.type }, t(`search.type.${hit.type}` as MessageKey)),
          h('span', { class: 'hit-name' }, hit.name),
          h(
            'span',
            { class: 'hit-context' },
            [hit.context, hit.households == null ? '' : t('search.households', { n: formatNumber(hit.households) })]
              .filter(Boolean)
              .join(' · '),
          ),
        );
        // pointerdown, not click: the input keeps focus, and the list is not closed first.
        item.addEventListener('pointerdown', (event) => {
          event.preventDefault();
          this.choose(i);
        });
        return item;
      }),
    );
    this.open();
  }

  private setActive(i: number): void {
    this.active = i;
    for (const [k, item] of [...this.list.children].entries()) item.setAttribute('aria-selected', String(k === i));
    if (i >= 0) {
      this.input.setAttribute('aria-activedescendant', `map-search-hit-${i}`);
      this.list.children[i]?.scrollIntoView({ block: 'nearest' });
    } else this.input.removeAttribute('aria-activedescendant');
  }

  private choose(i: number): void {
    const hit = this.hits[i];
    if (!hit) return;
    this.input.value = hit.name;
    this.lastQuery = hit.name;
    this.close();
    this.pick(hit);
  }

  private open(): void {
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
  }

  private close(): void {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
    this.setActive(-1);
  }
}
