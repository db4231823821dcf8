/**
 * 智能划格 in the editor (issue 19): over the map, today's grids of a community or of the
 * draft's street (left, 现状) beside the server's proposal (right, 方案), one camera, both
 * coloured by household band; the summary and the cases the band cannot meet beside them.
 * 调整 / 重新划分 and 换一个方案 run it again; 采用 writes it into the draft as one changeset and
 * the editor carries on as after any edit. A street takes seconds: the buttons wait and the
 * elapsed seconds show. Errors stay in the view (409 draft_changed offers 重新生成).
 */
import type { DraftDetail } from '../../common/contracts/drafts.ts';
import type { Proposal, ProposalApplied, ProposalMode } from '../../common/contracts/proposals.ts';
import type { RegionFeature } from '../../common/contracts/regions.ts';
import { DEFAULT_HOUSEHOLD_BOUNDS, type HouseholdBounds } from '../../common/rules/household-band.ts';
import { api, ApiRequestError } from '../api.ts';
import { append, h, type Child } from '../dom.ts';
import { editorApi } from '../editor/editor-api.ts';
import { householdBounds } from '../household-bounds.ts';
import { formatNumber, onLangChange, t, type MessageKey } from '../i18n/index.ts';
import { proposalApi } from './proposal-api.ts';
import {
  bboxOf,
  gridStats,
  mapFeatures,
  proposedLabel,
  todayGrids,
  type Scope,
  type ShownGrid,
} from './proposal-logic.ts';
import { ProposalMaps } from './proposal-maps.ts';
import { problemsList, proposalLegend, summaryTable } from './proposal-summary.ts';

/** The editor as the view sees it. */
export interface ProposalHost {
  /** The open draft's id and street, and the street's name. */
  draft(): { id: number; street: string; streetName: string } | null;
  /** The street's communities (for the scope list and their outlines). */
  communities(): RegionFeature[];
  /** The proposal is in the draft: record the changeset for 撤销 and refresh as after any edit. */
  applied(result: ProposalApplied, proposal: Proposal): Promise<void>;
  /** The view opened or closed (the editor's own buttons wait while it is open). */
  openChanged(open: boolean): void;
}

type State = 'loading' | 'running' | 'ready' | 'error' | 'applying';

export class ProposalView {
  private readonly element = h('section', {
    id: 'proposal-view',
    class: 'proposal-view',
    role: 'dialog',
    'aria-modal': 'true',
    hidden: true,
  });
  private readonly header = h('header', { class: 'proposal-head' });
  private readonly aside = h('aside', { class: 'proposal-side', 'aria-live': 'polite' });
  private readonly todayCaption = h('figcaption', {});
  private readonly proposedCaption = h('figcaption', {});
  private readonly left = h('div', { class: 'proposal-map', id: 'proposal-map-today' });
  private readonly right = h('div', { class: 'proposal-map', id: 'proposal-map-proposed' });
  private maps: ProposalMaps | null = null;

  private scope: Scope = { level: 'street', code: '' };
  private mode: ProposalMode = 'rebalance';
  private seed = 1;
  private state: State = 'loading';
  private proposal: Proposal | null = null;
  private today: ShownGrid[] = [];
  private error: { text: string; draftChanged: boolean } | null = null;
  private startedAt = 0;
  private ticker: ReturnType<typeof setInterval> | undefined;
  private run = 0;
  private abort: AbortController | null = null;

  constructor(
    overlay: HTMLElement,
    private readonly host: ProposalHost,
  ) {
    this.element.append(
      this.header,
      h(
        'div',
        { class: 'proposal-body' },
        h(
          'div',
          { class: 'proposal-maps' },
          h('figure', { class: 'proposal-pane', 'data-side': 'today' }, this.todayCaption, this.left),
          h('figure', { class: 'proposal-pane', 'data-side': 'proposed' }, this.proposedCaption, this.right),
        ),
        this.aside,
      ),
    );
    overlay.append(this.element);
    document.addEventListener('keydown', (event) => {
      if (event.key === 'Escape' && this.isOpen && this.state !== 'applying' && !document.querySelector('dialog[open]'))
        this.close();
    });
    onLangChange(() => {
      if (!this.isOpen) return;
      this.render();
      this.drawGrids();
    });
  }

  get isOpen(): boolean {
    return !this.element.hidden;
  }

  /** Open on a community of the draft's street, or on the whole street. */
  async open(scope: Scope): Promise<void> {
    if (!this.host.draft()) return;
    this.scope = scope;
    this.mode = 'rebalance';
    this.seed = 1;
    this.proposal = null;
    this.element.hidden = false;
    this.host.openChanged(true);
    await this.changeScope(scope);
  }

  close(): void {
    this.run++;
    this.abort?.abort();
    this.stopTicker();
    this.maps?.remove();
    this.maps = null;
    this.element.hidden = true;
    this.proposal = null;
    this.host.openChanged(false);
  }

  /** For the end-to-end test and the screenshot: both maps drawn. */
  whenIdle(): Promise<void> {
    return this.maps?.whenIdle() ?? Promise.resolve();
  }

  private get bounds(): HouseholdBounds {
    return householdBounds.of(this.scope.code) ?? DEFAULT_HOUSEHOLD_BOUNDS;
  }

  /** Today's grids of the new scope, the maps on them, then a proposal. */
  private async changeScope(scope: Scope): Promise<void> {
    const draft = this.host.draft();
    if (!draft) return;
    this.scope = scope;
    this.proposal = null;
    this.error = null;
    this.setState('loading');
    const run = ++this.run;
    try {
      const [published, detail] = await Promise.all([api.grids(scope.code), editorApi.draft(draft.id)]);
      await householdBounds.get(scope.code);
      if (run !== this.run) return;
      this.today = todayGrids(published, detail.grids as DraftDetail['grids'], scope);
      const bbox = bboxOf(this.today);
      if (!bbox) return this.failed(t('proposal.noGrids'));
      if (!this.maps) this.maps = await ProposalMaps.create(this.left, this.right, bbox);
      else this.maps.fit(bbox);
      if (run !== this.run) return;
      this.maps.setCommunities({
        type: 'FeatureCollection',
        features: this.host
          .communities()
          .filter((c) => scope.level === 'street' || c.properties.code === scope.code) as GeoJSON.Feature[],
      });
      this.drawGrids();
    } catch (error) {
      if (run === this.run) this.failed(t('proposal.failed', { message: (error as Error).message }));
      return;
    }
    await this.propose();
  }

  private async propose(): Promise<void> {
    const draft = this.host.draft();
    if (!draft) return;
    this.abort?.abort();
    const abort = (this.abort = new AbortController());
    const run = ++this.run;
    this.error = null;
    this.startedAt = performance.now();
    this.setState('running');
    this.ticker = setInterval(() => this.render(), 1000);
    try {
      const proposal = await proposalApi.propose(draft.id, this.scope, this.mode, this.seed, abort.signal);
      if (run !== this.run) return;
      this.proposal = proposal;
      this.stopTicker();
      this.setState('ready');
      this.drawGrids();
    } catch (error) {
      if (run !== this.run) return;
      this.failed(t('proposal.failed', { message: (error as Error).message }));
    }
  }

  private async apply(): Promise<void> {
    const draft = this.host.draft();
    const proposal = this.proposal;
    if (!draft || !proposal) return;
    this.setState('applying');
    const comment = t('proposal.comment', {
      mode: t(`proposal.mode.${proposal.mode}`),
      scope: proposal.scope.name,
      id: proposal.id,
    });
    let result: ProposalApplied;
    try {
      result = await proposalApi.apply(draft.id, proposal.id, comment);
    } catch (error) {
      if (error instanceof ApiRequestError && error.status === 409 && error.code === 'draft_changed')
        return this.failed(t('proposal.draftChanged'), true);
      return this.failed(t('proposal.applyFailed', { message: (error as Error).message }));
    }
    this.close();
    await this.host.applied(result, proposal);
  }

  private failed(text: string, draftChanged = false): void {
    this.stopTicker();
    this.error = { text, draftChanged };
    this.setState('error');
  }

  private stopTicker(): void {
    clearInterval(this.ticker);
    this.ticker = undefined;
  }

  private setState(state: State): void {
    this.state = state;
    this.element.dataset.state = state;
    if (state !== 'ready') delete this.element.dataset.drawn;
    if (this.proposal) this.element.dataset.proposalId = String(this.proposal.id);
    else delete this.element.dataset.proposalId;
    this.render();
  }

  /** Both maps from the grids in hand, labels in the page's language. */
  private drawGrids(): void {
    const maps = this.maps;
    if (!maps) return;
    delete this.element.dataset.drawn;
    const households = (n: number) => t('editor.households', { n: formatNumber(n) });
    const todayLabel = (g: ShownGrid) => `${g.name}\n${households(g.households)}`;
    maps.setToday(mapFeatures(this.today, this.bounds, todayLabel));
    const proposed = (this.proposal?.grids ?? []).map((g) => ({ ...g, key: g.key }));
    maps.setProposed(
      mapFeatures(proposed, this.bounds, (g) =>
        proposedLabel(
          { name: g.name, households: g.households, status: g.status ?? 'unchanged' },
          { households, status: (s) => t(`proposal.status.${s}`) },
        ),
      ),
    );
    // For the end-to-end test and the screenshot: what both maps show once drawn.
    const drawn = this.proposal ? String(this.proposal.id) : 'today';
    void maps.whenIdle().then(() => {
      if (this.maps === maps && String(this.proposal?.id ?? 'today') === drawn) this.element.dataset.drawn = drawn;
    });
  }

  private render(): void {
    this.renderHeader();
    const mode = this.proposal?.mode ?? this.mode;
    this.todayCaption.replaceChildren(
      h('strong', {}, t('proposal.today')),
      ' ',
      h('span', { class: 'muted small' }, t('proposal.todayHint')),
    );
    this.proposedCaption.replaceChildren(
      h('strong', {}, t('proposal.proposed')),
      ' ',
      h('span', { class: 'muted small' }, t(`proposal.proposedHint.${mode}`)),
    );
    this.aside.replaceChildren();
    append(this.aside, this.sideOf());
  }

  private renderHeader(): void {
    const draft = this.host.draft();
    const busy = this.state === 'loading' || this.state === 'running' || this.state === 'applying';
    const scopeSelect = h(
      'select',
      { id: 'proposal-scope', disabled: busy, 'aria-label': t('proposal.scope') },
      h(
        'option',
        { value: `street:${draft?.street ?? ''}` },
        t('proposal.scopeStreet', { name: draft?.streetName ?? '' }),
      ),
      ...this.host
        .communities()
        .map((c) => h('option', { value: `community:${c.properties.code}` }, c.properties.name)),
    );
    scopeSelect.value = `${this.scope.level}:${this.scope.code}`;
    scopeSelect.addEventListener('change', () => {
      const [level, code] = scopeSelect.value.split(':') as [Scope['level'], string];
      void this.changeScope({ level, code });
    });
    const modeButton = (mode: ProposalMode) => {
      const b = h(
        'button',
        {
          type: 'button',
          id: `proposal-mode-${mode}`,
          class: mode === this.mode ? 'segment active' : 'segment',
          'aria-pressed': String(mode === this.mode),
          title: t(`proposal.modeTitle.${mode}`),
          disabled: busy,
        },
        t(`proposal.mode.${mode}`),
      );
      b.addEventListener('click', () => {
        if (mode === this.mode && this.proposal) return;
        this.mode = mode;
        void this.propose();
      });
      return b;
    };
    const action = (
      id: string,
      key: MessageKey,
      onClick: () => void,
      cls: string,
      disabled: boolean,
      title?: string,
    ) => {
      const b = h('button', { type: 'button', id, class: cls, disabled, title }, t(key));
      b.addEventListener('click', onClick);
      return b;
    };
    this.header.replaceChildren(
      h('h2', {}, t('proposal.title')),
      h('label', { class: 'proposal-field' }, h('span', { class: 'muted small' }, t('proposal.scope')), scopeSelect),
      h(
        'div',
        { class: 'segmented', role: 'group', 'aria-label': t('proposal.mode') },
        modeButton('rebalance'),
        modeButton('fresh'),
      ),
      action(
        'proposal-reseed',
        'proposal.reseed',
        () => {
          this.seed += 1;
          void this.propose();
        },
        'secondary',
        busy || this.state === 'loading',
        t('proposal.reseedTitle'),
      ),
      h('span', { class: 'spacer' }),
      action(
        'proposal-apply',
        'proposal.apply',
        () => void this.apply(),
        'primary',
        busy || !this.proposal || this.state !== 'ready',
        t('proposal.applyTitle'),
      ),
      action('proposal-cancel', 'proposal.cancel', () => this.close(), 'secondary', this.state === 'applying'),
    );
  }

  private sideOf(): Child[] {
    const bounds = this.bounds;
    const status = this.statusOf();
    const proposal = this.state === 'ready' || this.state === 'applying' ? this.proposal : null;
    return [
      h(
        'div',
        { class: 'proposal-summary-head' },
        h('h3', {}, t('proposal.summary')),
        h('span', { class: 'muted small' }, t('proposal.bounds', { min: bounds.min, max: bounds.max })),
      ),
      status,
      proposal
        ? h(
            'div',
            {
              id: 'proposal-summary',
              'data-in-band': proposal.summary.inBand,
              'data-residential': proposal.summary.residential,
            },
            summaryTable(proposal, gridStats(this.today, bounds)),
            proposal.summary.gridsRetired
              ? h('p', { class: 'small muted' }, t('proposal.retired', { n: proposal.summary.gridsRetired }))
              : null,
            h(
              'p',
              { class: 'small muted proposal-meta' },
              t('proposal.meta', { id: proposal.id, seed: proposal.seed, s: formatNumber(proposal.tookMs / 1000, 1) }),
            ),
            problemsList(proposal),
          )
        : null,
      proposalLegend(bounds),
    ];
  }

  /** The progress line, or the error with 重新生成 where that helps. */
  private statusOf(): Child {
    if (this.state === 'loading' || this.state === 'running') {
      const seconds = Math.floor((performance.now() - this.startedAt) / 1000);
      return h(
        'p',
        { class: 'proposal-progress', role: 'status' },
        h('span', { class: 'spinner', 'aria-hidden': 'true' }),
        this.state === 'running' ? t('proposal.running', { s: seconds }) : t('app.loading'),
      );
    }
    if (this.state === 'applying')
      return h(
        'p',
        { class: 'proposal-progress', role: 'status' },
        h('span', { class: 'spinner', 'aria-hidden': 'true' }),
        t('proposal.applying'),
      );
    if (this.state === 'error' && this.error) {
      const again = h(
        'button',
        { type: 'button', id: 'proposal-regenerate', class: 'secondary' },
        t('proposal.regenerate'),
      );
      again.addEventListener(
        'click',
        () => void (this.error?.draftChanged || !this.maps ? this.changeScope(this.scope) : this.propose()),
      );
      return h(
        'div',
        {
          class: 'editor-message error proposal-error',
          role: 'alert',
          'data-draft-changed': String(this.error.draftChanged),
        },
        h('p', {}, this.error.text),
        again,
      );
    }
    return null;
  }
}
