/** The search box: names, addresses, full pinyin or initials of places, roads and stations; ↓/↑ walk the hits. */
import type { PublicSearchHit } from '../../common/contracts/public.ts';
import { h } from '../dom.ts';
import { findApi } from './find-api.ts';
import { t } from './find-i18n.ts';

const DEBOUNCE_MS = 350;

export class SearchBox {
  private readonly input: HTMLInputElement;
  private readonly list: HTMLUListElement;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: AbortController | null = null;
  private last: { q: string; hits: PublicSearchHit[] } | null = null;

  constructor(
    private readonly form: HTMLFormElement,
    private readonly pick: (hit: PublicSearchHit) => void,
    private readonly fail: (error: unknown, retry?: () => void) => void,
  ) {
    this.input = form.querySelector('input')!;
    this.list = form.querySelector('ul')!;
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      clearTimeout(this.timer);
      void this.run();
    });
    this.input.addEventListener('input', () => {
      clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.run(), DEBOUNCE_MS);
    });
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Escape') this.close();
      else if (event.key === 'ArrowDown' && !this.list.hidden) {
        event.preventDefault();
        this.hitButtons()[0]?.focus();
      }
    });
    // ↓/↑ move between the hits (buttons: Enter picks), Escape goes back to the box.
    this.list.addEventListener('keydown', (event) => {
      const buttons = this.hitButtons();
      const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const next = at + (event.key === 'ArrowDown' ? 1 : -1);
        if (next < 0) this.input.focus();
        else buttons[Math.min(next, buttons.length - 1)]?.focus();
      } else if (event.key === 'Escape') {
        this.close();
        this.input.focus();
      }
    });
    document.addEventListener('click', (event) => {
      if (!form.contains(event.target as Node)) this.close();
    });
  }

  private hitButtons(): HTMLButtonElement[] {
    return [...this.list.querySelectorAll<HTMLButtonElement>('button.hit')];
  }

  private close(): void {
    this.list.hidden = true;
    this.input.setAttribute('aria-expanded', 'false');
  }

  private async run(): Promise<void> {
    const q = this.input.value.trim();
    this.pending?.abort();
    if (!q) {
      this.close();
      return;
    }
    this.pending = new AbortController();
    this.show([h('li', { class: 'muted' }, t('searching'))]);
    try {
      const { hits } = await findApi.search(q, this.pending.signal);
      this.last = { q, hits };
      this.refresh();
    } catch (error) {
      if (error instanceof DOMException && error.name === 'AbortError') return;
      this.close();
      this.fail(error, () => void this.run());
    }
  }

  /** Redraw the last hits (after a language change too). */
  refresh(): void {
    if (!this.last || this.list.hidden) return;
    const { q, hits } = this.last;
    if (hits.length === 0) {
      this.show([h('li', { class: 'muted' }, t('noHits', { q }))]);
      return;
    }
    this.show(
      hits.map((hit) => {
        const button = h(
          'button',
          { type: 'button', class: 'hit', 'data-type': hit.type, 'data-code': hit.code },
          h('span', { class: 'hit-name' }, hit.name),
          h('span', { class: 'hit-type' }, t(`hitType_${hit.type}`)),
          hit.context ? h('span', { class: 'hit-context' }, hit.context) : null,
        );
        button.addEventListener('click', () => {
          this.close();
          this.input.value = hit.name;
          this.pick(hit);
        });
        return h('li', {}, button);
      }),
    );
  }

  private show(items: HTMLElement[]): void {
    this.list.replaceChildren(...items);
    this.list.hidden = false;
    this.input.setAttribute('aria-expanded', 'true');
  }
}
