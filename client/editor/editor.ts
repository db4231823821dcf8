/**
 * The editing mode: a draft for one street (chosen from its open drafts), the grids picked on
 * the map, check and publish. The draft's card sits in the sidebar; the toolbar and the running
 * panel sit on the map, so tools, totals and messages stay in view at 1366×768. The drawing
 * tools are in ./edit-tools.ts; discard, 撤销 / 重做 and the history in ./draft-session.ts.
 */
import type { SessionUser } from '../../common/contracts/auth.ts';
import type { DraftDetail } from '../../common/contracts/drafts.ts';
import type { GridCollection } from '../../common/contracts/grids.ts';
import type { RegionFeature } from '../../common/contracts/regions.ts';
import type { ProblemFeature } from '../../common/contracts/validation.ts';
import { api, ApiRequestError } from '../api.ts';
import { h } from '../dom.ts';
import { householdBounds } from '../household-bounds.ts';
import { onLangChange, t } from '../i18n/index.ts';
import type { MapAdapter } from '../map/adapter.ts';
import { AttributesForm } from './attributes-form.ts';
import { askComment } from './comment-dialog.ts';
import { DraftSession } from './draft-session.ts';
import { editorApi, type DraftGridState } from './editor-api.ts';
import { renderEditorPanel, type EditorActions, type EditorView, type ToolAction } from './editor-panel.ts';
import { renderToolbar } from './editor-toolbar.ts';
import { renderRunningPanel } from './running-panel.ts';
import { EditTools } from './edit-tools.ts';
import { RepairPanel } from './repair-panel.ts';
import { inStreet } from '../../common/rules/region-codes.ts';
import type { Proposal, ProposalApplied } from '../../common/contracts/proposals.ts';
import { ProposalView } from '../proposal/proposal-view.ts';

/** The toolbar's and the running panel's room on the map (editor.css: top 10 + ~44; left 10 + 290). */
const TOOLBAR_INSET_PX = 60;
const RUNNING_INSET_PX = 305;

export interface EditorOptions {
  /** After a publish: the published grids changed. */
  onPublished: () => void;
  /** Whether the editor is in use (main routes map clicks here while it is). */
  onActiveChange: (active: boolean) => void;
  /** Where the toolbar and the running panel go: the element that holds the map. */
  overlay: HTMLElement;
}

export class Editor {
  user: SessionUser | null = null;
  view: EditorView = {
    street: null,
    streetName: null,
    draft: null,
    drafts: null,
    picked: [],
    tool: 'idle',
    busy: false,
    canUndo: false,
    canRedo: false,
    tally: null,
    split: null,
    changes: null,
    check: null,
    history: null,
    shownHistory: null,
    message: null,
  };
  private selectedStreet: string | null = null;
  /** The community chosen in the tree: where 智能划格 starts when no grid is picked. */
  private selectedCommunity: string | null = null;
  private readonly session: DraftSession;
  private readonly tools: EditTools;
  private readonly attributes: AttributesForm;
  private readonly repairs: RepairPanel;
  private readonly proposals: ProposalView;
  private readonly toolbar = h('div', {
    id: 'editor-toolbar',
    class: 'editor-toolbar',
    role: 'toolbar',
    hidden: true,
  });
  private readonly running = h('aside', { id: 'editor-running', class: 'editor-running', hidden: true });

  constructor(
    private readonly container: HTMLElement,
    readonly map: MapAdapter,
    private readonly options: EditorOptions,
  ) {
    this.session = new DraftSession(this);
    this.tools = new EditTools(this);
    this.attributes = new AttributesForm(this);
    this.repairs = new RepairPanel(this);
    this.proposals = new ProposalView(options.overlay, {
      draft: () => {
        const draft = this.view.draft;
        return (
          draft && { id: draft.id, street: draft.street_code, streetName: this.view.streetName ?? draft.street_code }
        );
      },
      communities: () =>
        this.tools.communities.filter(
          (c) => this.view.draft && inStreet(c.properties.code, this.view.draft.street_code),
        ),
      applied: (result, proposal) => this.proposalApplied(result, proposal),
      openChanged: (open) => this.update({ busy: open }),
    });
    this.toolbar.setAttribute('aria-label', t('editor.toolbar'));
    options.overlay.append(this.toolbar, this.running);
    onLangChange(() => this.render());
    householdBounds.onChange(() => this.render());
  }

  /** Admins and street editors edit; planners and anonymous users do not see the editor. */
  setUser(user: SessionUser | null): void {
    this.user = user && (user.role === 'admin' || (user.role === 'editor' && user.street_code)) ? user : null;
    this.reset();
  }

  /** The street chosen in the tree (an admin edits that street). */
  setSelectedStreet(street: string | null): void {
    if (street === this.selectedStreet) return;
    this.selectedStreet = street;
    if (this.user?.role === 'admin' && !this.view.draft) this.reset();
  }

  /** The region chosen in the tree, when it is a community (else null). */
  setSelectedCommunity(code: string | null): void {
    this.selectedCommunity = code;
  }

  setCommunities(communities: RegionFeature[]): void {
    this.tools.communities = communities;
  }

  setPublishedGrids(grids: GridCollection): void {
    this.tools.publishedGrids = grids;
  }

  /** True while a draft is open: map clicks pick grids for the editor. */
  get active(): boolean {
    return !!this.view.draft;
  }

  /** A click on a grid while editing: pick it (additive with Shift/Ctrl to merge several). */
  async pickGrid(code: string, additive: boolean): Promise<void> {
    const draft = this.view.draft;
    if (!draft || this.view.tool !== 'idle') return;
    const already = this.view.picked.find((g) => g.code === code);
    if (already && additive) return this.setPicked(this.view.picked.filter((g) => g !== already));
    try {
      const grid = await editorApi.grid(draft.id, code);
      if (!inStreet(grid.community_code, draft.street_code))
        return this.say('error', t('editor.otherStreet', { code }));
      this.setPicked(additive ? [...this.view.picked.filter((g) => g.code !== code), grid] : [grid]);
    } catch (error) {
      this.fail(error);
    }
  }

  /** A grid's name: the draft's own, else the published map's (names, not codes, where people read). */
  gridName(code: string): string | undefined {
    return (
      this.view.changes?.find((f) => f.properties.code === code)?.properties.name ??
      this.view.picked.find((g) => g.code === code)?.name ??
      this.tools.publishedGrids?.features.find((f) => f.properties.code === code)?.properties.name
    );
  }

  clearPicked(): void {
    if (this.view.tool === 'idle') this.setPicked([]);
  }

  private get street(): string | null {
    if (!this.user) return null;
    if (this.user.role === 'editor') return this.user.street_code;
    return this.selectedStreet;
  }

  /** Back to choosing a draft for the current street. */
  reset(): void {
    this.tools.stop();
    if (this.proposals.isOpen) this.proposals.close();
    const street = this.street;
    this.container.hidden = !this.user;
    this.view = {
      ...this.view,
      street,
      streetName: street === this.view.street ? this.view.streetName : null,
      draft: null,
      drafts: null,
      picked: [],
      split: null,
      changes: null,
      check: null,
      history: null,
      shownHistory: null,
      message: null,
    };
    this.tools.draftGrids = null;
    this.map.setDraftGrids(null);
    this.map.setPickedGrids([]);
    this.map.setHistoryGrids([]);
    this.repairs.clear();
    this.map.setMultiPick(false);
    this.setInsets(false);
    this.options.onActiveChange(false);
    this.render();
    if (this.user && street) {
      void this.session.listDrafts(street);
      if (!this.view.streetName) void this.loadStreetName(street);
    }
  }

  /** The street's name for the card's header (the code stays on hover). */
  private async loadStreetName(street: string): Promise<void> {
    try {
      const region = await api.region(street);
      if (this.view.street === street) this.update({ streetName: region.properties.name });
    } catch (error) {
      console.warn('street name failed', error);
    }
  }

  private readonly actions: EditorActions = {
    startDraft: () => void this.startDraft(),
    openDraft: (id) => void this.openDraft(id),
    discardDraft: () => void this.session.discard(),
    tool: (action) => this.onTool(action),
    undo: () => void this.session.undo(),
    redo: () => void this.session.redo(),
    saveReshape: () => void this.tools.saveReshape(),
    cancelTool: () => this.tools.stop(),
    showHistory: (entry) => this.session.showHistory(entry),
  };

  render(): void {
    const shown = this.user ? this.view : { ...this.view, draft: null };
    renderToolbar(this.toolbar, shown, this.actions);
    renderRunningPanel(this.running, shown, this.actions, (code) => this.gridName(code));
    if (!this.user) return;
    renderEditorPanel(this.container, this.view, this.actions, [this.repairs.element]);
    this.repairs.render();
  }

  saved(changeset: number): void {
    this.session.record(changeset);
  }

  update(patch: Partial<EditorView>): void {
    this.view = { ...this.view, ...patch };
    this.render();
  }

  say(kind: 'info' | 'error', text: string, items?: string[]): void {
    this.update({ message: { kind, text, items } });
  }

  private async startDraft(): Promise<void> {
    const street = this.street;
    if (!street || !this.user) return;
    await this.busy(async () => {
      const draft = await editorApi.createDraft(
        street,
        t('editor.draftTitle', { date: new Date().toLocaleDateString() }),
      );
      await this.openDraft(draft.id);
    });
  }

  private async openDraft(id: number): Promise<void> {
    await this.busy(async () => {
      const detail = await editorApi.draft(id);
      if (detail.draft.status !== 'open') {
        this.reset();
        return this.say('info', t('editor.draftClosed', { id }));
      }
      this.update({ draft: detail.draft, message: null });
      this.session.opened(detail.draft.id);
      this.showDraft(detail.grids);
      this.map.setMultiPick(true);
      this.setInsets(true);
      this.options.onActiveChange(true);
      await Promise.all([this.runCheck(), this.session.loadHistory(), this.repairs.load()]);
    });
  }

  /**
   * While a draft is open, fits and the map's centre keep clear of the toolbar (top) and the
   * running panel (left); a card open on the left (校验, 覆盖分析) keeps its own inset.
   */
  private setInsets(open: boolean): void {
    if (window.matchMedia('(max-width: 700px)').matches) return; // phones: the panel sits at the bottom
    this.map.setTopInset(open ? TOOLBAR_INSET_PX : 0);
    const leftCard = ['validation-open', 'coverage-open', 'cases-open'].some((name) =>
      document.body.classList.contains(name),
    );
    if (!leftCard) this.map.setLeftInset(open ? RUNNING_INSET_PX : 0);
  }

  private showDraft(grids: DraftDetail['grids']): void {
    this.tools.draftGrids = grids;
    this.map.setDraftGrids(grids);
    this.update({ changes: grids.features });
  }

  /** The draft changed: redraw it, check it again, and refresh the history. */
  async reloadDraft(): Promise<void> {
    if (!this.view.draft) return;
    this.showDraft((await editorApi.draft(this.view.draft.id)).grids);
    await Promise.all([this.runCheck(), this.session.loadHistory(), this.repairs.load()]);
  }

  setPicked(picked: DraftGridState[]): void {
    this.map.setPickedGrids(
      picked.map((g) => ({ type: 'Feature', geometry: g.geometry, properties: { code: g.code } })),
    );
    this.update({ picked });
  }

  private onTool(action: ToolAction): void {
    if (action === 'check') void this.busy(() => this.runCheck());
    else if (action === 'publish') void this.publish();
    else if (action === 'attributes') void this.attributes.open();
    else if (action === 'propose') void this.openProposal();
    else void this.tools.run(action);
  }

  /** 智能划格 on the picked grid's community, else the community chosen in the tree, else the draft's street. */
  private async openProposal(): Promise<void> {
    const draft = this.view.draft;
    if (!draft) return;
    const community = this.view.picked[0]?.community_code ?? this.selectedCommunity;
    const scope =
      community && inStreet(community, draft.street_code)
        ? ({ level: 'community', code: community } as const)
        : ({ level: 'street', code: draft.street_code } as const);
    this.tools.stop();
    await this.proposals.open(scope);
  }

  /** As after any edit: 撤销 can take it back, the draft's layers, changes and check are fetched again. */
  private async proposalApplied(result: ProposalApplied, proposal: Proposal): Promise<void> {
    await this.busy(async () => {
      this.saved(result.changeset);
      this.setPicked([]);
      this.say('info', t('proposal.applied', { id: proposal.id, n: proposal.summary.gridsChanged }));
      await this.reloadDraft();
    });
  }

  private async runCheck(): Promise<void> {
    if (!this.view.draft) return;
    const check = await editorApi.check(this.view.draft.id);
    this.map.setProblems({ type: 'FeatureCollection', features: check.created });
    this.update({ check });
  }

  private async publish(): Promise<void> {
    const draft = this.view.draft!;
    const answer = await askComment({
      title: t('editor.tool.publish'),
      summary: t('editor.summary.publish', { id: draft.id }),
      override: this.user?.role === 'admin',
      submit: t('editor.tool.publish'),
    });
    if (!answer) return;
    await this.busy(async () => {
      try {
        await editorApi.publish(draft.id, answer.comment, answer.override);
      } catch (error) {
        if (error instanceof ApiRequestError && error.status === 409) return this.refused(error);
        throw error;
      }
      this.reset();
      this.say('info', t('editor.published', { id: draft.id }));
      this.options.onPublished();
    });
  }

  /** 409 at publish: list the conflicting grids or the problems the draft would create. */
  private async refused(error: ApiRequestError): Promise<void> {
    const conflicts = (error.detail.conflicts as string[] | undefined) ?? [];
    const created = (error.detail.created as ProblemFeature[] | undefined) ?? [];
    const name = (code: string) => {
      const gridName = this.gridName(code);
      return gridName ? `${gridName}（${code}）` : code;
    };
    const items = [
      ...conflicts.map((code) => t('editor.conflictItem', { code: name(code) })),
      ...created.map(
        (p) => `${t(`validation.type.${p.properties.type}` as never)} ${p.properties.grids.map(name).join('、')}`,
      ),
    ];
    if (created.length) this.map.setProblems({ type: 'FeatureCollection', features: created });
    this.say('error', t('editor.publishRefused', { message: error.message }), items);
  }

  async busy(work: () => Promise<void>): Promise<void> {
    this.update({ busy: true });
    try {
      await work();
    } catch (error) {
      this.fail(error);
    } finally {
      this.update({ busy: false });
    }
  }

  fail(error: unknown): void {
    const status = error instanceof ApiRequestError ? error.status : 0;
    const text = status === 403 ? t('editor.forbidden') : t('editor.failed', { message: (error as Error).message });
    this.say('error', text);
  }
}
