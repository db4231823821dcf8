/**
 * 案件: the case queue of the selected region (or the user's own queue: community and
 * department users start there), filtered by state, category and overdue; a case's card with
 * its timeline and the actions this user may take, 派遣 with its own form (cases-dispatch.ts).
 * Planners read only: the server gives them no actions.
 */
import type { SessionUser } from '../../common/contracts/auth.ts';
import type { CaseConfig, StaffCase } from '../../common/contracts/cases.ts';
import { CASE_STATES } from '../../common/rules/case-lifecycle.ts';
import { append, h, named, showCard } from '../dom.ts';
import { onLangChange, t } from '../i18n/index.ts';
import { actionForm, describeFailure, type FormAction } from '../cases/case-action-form.ts';
import { caseApi, type CaseQuery, type LoadedCase } from '../cases/case-api.ts';
import { actionLabel, caseFacts, caseTimeline, stateBadge, stateLabel, timeLeftBadge } from '../cases/case-view.ts';
import { dispatchForm } from './cases-dispatch.ts';

export interface CasesRegion {
  code: string;
  name: string;
}

export interface CasesPanelOptions {
  onOpenChange: (open: boolean) => void;
  /** A case with a location was opened: show it on the map. */
  onCase?: (c: StaffCase) => void;
}

type Mode = 'region' | 'mine';

/** Roles whose own queue comes first (a street's editors and admins look at regions). */
const OWN_QUEUE_ROLES: ReadonlySet<string> = new Set(['community', 'department', 'worker']);

export class CasesPanel {
  private region: CasesRegion | null = null;
  private user: SessionUser | null = null;
  private mode: Mode = 'region';
  /** state: a case state, '' for all, or 'open' for every state before 结案. */
  private filters = { state: 'open', category: '', overdue: false };
  private list: StaffCase[] = [];
  private total = 0;
  private open: LoadedCase | null = null;
  private config: CaseConfig | null = null;
  private message: { text: string; error: boolean } | null = null;
  private loading = false;
  private controller: AbortController | null = null;
  private readonly head = h('div', { class: 'validation-head' });
  private readonly statusLine = h('p', { class: 'validation-status', role: 'status', 'aria-live': 'polite' });
  private readonly body = h('div', { class: 'validation-body cases-body' });

  constructor(
    private readonly container: HTMLElement,
    private readonly options: CasesPanelOptions,
  ) {
    container.replaceChildren(this.head, this.statusLine, this.body);
    onLangChange(() => this.render());
  }

  get isOpen(): boolean {
    return !this.container.hidden;
  }

  setUser(user: SessionUser | null): void {
    this.user = user;
    this.config = null;
    if (!user) return this.close();
    // Community and department users see their queue first, without choosing a region.
    if (OWN_QUEUE_ROLES.has(user.role)) {
      this.mode = 'mine';
      this.show();
    }
  }

  setRegion(region: CasesRegion): void {
    if (region.code === this.region?.code) return;
    this.region = region;
    if (this.isOpen && this.mode === 'region') {
      this.open = null;
      void this.load();
    }
  }

  /** Open on the selected region. */
  show(mode: Mode = this.mode): void {
    this.mode = mode;
    this.open = null;
    showCard(this.container, this.options.onOpenChange);
    void this.load();
  }

  /** Open the card on one case (a case point's link on the map). */
  showCase(id: number): void {
    this.show();
    void this.openCase(id);
  }

  close(): void {
    if (!this.isOpen) return;
    this.controller?.abort();
    this.open = null;
    this.container.hidden = true;
    this.options.onOpenChange(false);
  }

  private query(): CaseQuery {
    const q: CaseQuery = this.mode === 'mine' ? { queue: 'mine' } : { region: this.region?.code };
    const { state } = this.filters;
    return {
      ...q,
      open: state === 'open',
      state: state && state !== 'open' ? state : undefined,
      category: this.filters.category || undefined,
      overdue: this.filters.overdue,
    };
  }

  private async load(): Promise<void> {
    if (this.mode === 'region' && !this.region) return this.render();
    this.controller?.abort();
    const controller = (this.controller = new AbortController());
    this.loading = true;
    this.render();
    try {
      const [answer, config] = await Promise.all([
        caseApi.list(this.query(), controller.signal),
        this.config ?? caseApi.config(),
      ]);
      this.config = config;
      this.list = answer.cases;
      this.total = answer.total;
      this.message = null;
    } catch (error) {
      if ((error as Error).name === 'AbortError') return;
      this.list = [];
      this.message = { text: t('case.loadFailed', { message: (error as Error).message }), error: true };
    }
    this.loading = false;
    this.render();
  }

  private async openCase(id: number): Promise<void> {
    try {
      this.open = await caseApi.get(id);
      this.message = null;
      this.options.onCase?.(this.open.detail);
    } catch (error) {
      this.message = { text: t('case.loadFailed', { message: (error as Error).message }), error: true };
    }
    this.render();
  }

  private async transition(run: () => Promise<LoadedCase>, action: string): Promise<void> {
    const id = this.open!.detail.id;
    try {
      this.open = await run();
      this.message = { text: t('case.done', { action: actionLabel(action) }), error: false };
      void this.refreshList();
    } catch (error) {
      const failure = describeFailure(error, action);
      if (failure.stale) this.open = await caseApi.get(id);
      this.message = { text: failure.text, error: true };
    }
    this.render();
  }

  /** The list behind the open card, fetched again after a transition (the state column moved). */
  private async refreshList(): Promise<void> {
    try {
      const answer = await caseApi.list(this.query());
      this.list = answer.cases;
      this.total = answer.total;
    } catch {
      // The card is what the user looks at; the list catches up on the next load.
    }
  }

  private render(): void {
    this.renderHead();
    this.statusLine.textContent = this.loading ? t('case.loading') : (this.message?.text ?? '');
    this.statusLine.classList.toggle('error', !!this.message?.error && !this.loading);
    this.container.dataset.loading = this.loading ? '1' : '0';
    if (this.open) this.body.replaceChildren(this.detailView());
    else this.body.replaceChildren(this.filterBar(), this.listView());
  }

  private renderHead(): void {
    const close = h(
      'button',
      { type: 'button', class: 'close', title: t('cases.close'), 'aria-label': t('cases.close') },
      '×',
    );
    close.addEventListener('click', () => this.close());
    const tab = (mode: Mode, label: string) => {
      const button = h(
        'button',
        { type: 'button', class: 'tab', 'aria-pressed': this.mode === mode ? 'true' : 'false', 'data-mode': mode },
        label,
      );
      button.addEventListener('click', () => this.show(mode));
      return button;
    };
    const regionLabel = this.region ? named(this.region.name, this.region.code) : null;
    this.head.replaceChildren();
    append(this.head, [
      h('h2', {}, t('cases.title')),
      h('div', { class: 'cases-tabs' }, tab('mine', t('cases.mine')), tab('region', t('cases.region'))),
      this.mode === 'region' && regionLabel ? h('p', { class: 'muted small' }, regionLabel) : null,
      close,
    ]);
  }

  private filterBar(): HTMLElement {
    const state = h(
      'select',
      { name: 'state', id: 'cases-state' },
      h('option', { value: 'open', selected: this.filters.state === 'open' }, t('cases.openStates')),
      h('option', { value: '', selected: this.filters.state === '' }, t('cases.allStates')),
      ...CASE_STATES.map((s) => h('option', { value: s, selected: this.filters.state === s }, stateLabel(s))),
    );
    const category = h(
      'select',
      { name: 'category', id: 'cases-category' },
      h('option', { value: '' }, t('cases.allCategories')),
      ...(this.config?.categories ?? []).map((c) =>
        h('option', { value: c.code, selected: this.filters.category === c.code }, c.name),
      ),
    );
    const overdue = h('input', {
      type: 'checkbox',
      name: 'overdue',
      id: 'cases-overdue',
      checked: this.filters.overdue,
    });
    const changed = () => {
      this.filters = { state: state.value, category: category.value, overdue: overdue.checked };
      void this.load();
    };
    for (const control of [state, category, overdue]) control.addEventListener('change', changed);
    return h(
      'div',
      { class: 'cases-filters' },
      state,
      category,
      h('label', { class: 'check' }, overdue, t('cases.overdueOnly')),
    );
  }

  private listView(): HTMLElement {
    if (this.loading) return h('p', { class: 'muted' }, t('case.loading'));
    if (!this.list.length)
      return h(
        'p',
        { class: 'muted', id: 'cases-empty' },
        this.filters.state !== 'open' || this.filters.overdue || this.filters.category
          ? t('case.emptyFiltered')
          : t('case.empty'),
      );
    const rows = this.list.map((c) => {
      const row = h(
        'button',
        { type: 'button', class: `case-item${c.overdue ? ' overdue' : ''}`, 'data-id': c.id, 'data-ticket': c.ticket },
        h('span', { class: 'case-item-head' }, h('strong', {}, c.category.name), stateBadge(c.state), timeLeftBadge(c)),
        h('span', { class: 'case-item-text' }, c.description),
        h('span', { class: 'muted small' }, c.ticket, ' · ', c.grid?.name ?? c.community.name),
      );
      row.addEventListener('click', () => void this.openCase(c.id));
      return h('li', {}, row);
    });
    return h(
      'div',
      {},
      h('p', { class: 'muted small', id: 'cases-count' }, t('case.count', { count: this.total })),
      h('ul', { class: 'case-items', id: 'cases-list' }, ...rows),
    );
  }

  private detailView(): HTMLElement {
    const { detail: c, etag } = this.open!;
    const back = h('button', { type: 'button', class: 'link-button', id: 'cases-back' }, '‹ ', t('cases.back'));
    back.addEventListener('click', () => {
      this.open = null;
      this.message = null;
      this.render();
    });
    const slot = h('div', { class: 'form-slot' });
    const config = this.config;
    const buttons = c.actions.map((action) => {
      const button = h('button', { type: 'button', class: 'case-action', 'data-action': action }, actionLabel(action));
      button.addEventListener('click', () => {
        if (!config) return;
        const cancel = () => slot.replaceChildren();
        const form =
          action === 'dispatch'
            ? dispatchForm(c, config, {
                submit: (transition) => this.transition(() => caseApi.transition(c.id, etag, transition), 'dispatch'),
                cancel,
              })
            : actionForm(action as FormAction, c, config, actionLabel(action), {
                submit: (transition, photos) =>
                  this.transition(() => caseApi.transition(c.id, etag, transition, photos), transition.action),
                cancel,
              });
        slot.replaceChildren(form);
      });
      return button;
    });
    const readOnly = this.user?.role === 'planner';
    return h(
      'article',
      { class: 'case-card', id: 'case-card', 'data-id': c.id, 'data-state': c.state, 'data-version': c.version },
      back,
      h(
        'div',
        { class: 'case-detail-head' },
        h('strong', { class: 'ticket' }, c.ticket),
        stateBadge(c.state),
        timeLeftBadge(c),
      ),
      caseFacts(c),
      buttons.length
        ? h('div', { class: 'case-actions', id: 'case-actions' }, ...buttons)
        : h('p', { class: 'muted small' }, readOnly ? t('cases.readOnly') : t('case.noActions')),
      slot,
      caseTimeline(c),
    );
  }
}
