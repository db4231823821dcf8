/**
 * What the editor does around the edits of an open draft: list the street's open drafts,
 * discard one, 撤销 / 重做 the changesets this session made (Ctrl+Z, Ctrl+Shift+Z or Ctrl+Y),
 * and the street's history with one entry's before and after on the map.
 */
import { ApiRequestError } from '../api.ts';
import { t } from '../i18n/index.ts';
import { confirmInPage } from './confirm-dialog.ts';
import { editorApi, type HistoryRow } from './editor-api.ts';
import type { EditorHost } from './editor-host.ts';
import { UndoStacks } from './undo-stack.ts';

/** The editor as this module sees it. */
export interface SessionHost extends EditorHost {
  reset(): void;
}

export class DraftSession {
  private readonly stacks = new UndoStacks();
  private listing = 0;

  constructor(private readonly host: SessionHost) {
    document.addEventListener('keydown', (event) => this.onKey(event));
  }

  async listDrafts(street: string): Promise<void> {
    const request = ++this.listing;
    try {
      const drafts = await editorApi.openDrafts(street);
      if (request === this.listing && this.host.view.street === street && !this.host.view.draft)
        this.host.update({ drafts });
    } catch (error) {
      console.warn('drafts list failed', error);
    }
  }

  opened(draftId: number): void {
    this.listing++;
    this.refreshButtons(draftId);
  }

  /** A save made `changeset`: it is what 撤销 undoes next. */
  record(changeset: number): void {
    const draft = this.host.view.draft;
    if (!draft) return;
    this.stacks.of(draft.id).record(changeset);
    this.refreshButtons(draft.id);
  }

  async discard(): Promise<void> {
    const draft = this.host.view.draft;
    if (!draft) return;
    const sure = await confirmInPage({
      title: t('editor.discardTitle'),
      text: t('editor.discardConfirm', { id: draft.id }),
      confirm: t('editor.discardYes'),
      danger: true,
    });
    if (!sure) return;
    await this.host.busy(async () => {
      await editorApi.discard(draft.id);
      this.host.reset();
      this.host.say('info', t('editor.discarded', { id: draft.id }));
    });
  }

  undo(): Promise<void> {
    return this.step('undo');
  }

  redo(): Promise<void> {
    return this.step('redo');
  }

  async loadHistory(): Promise<void> {
    const draft = this.host.view.draft;
    if (!draft) return;
    const history = await editorApi.history(draft.street_code);
    if (this.host.view.draft?.id === draft.id) this.host.update({ history });
  }

  showHistory(entry: HistoryRow | null): void {
    this.host.map.setHistoryGrids(
      entry?.grids.map((g) => ({ code: g.code, before: g.before as never, after: g.after as never })) ?? [],
    );
    this.host.update({ shownHistory: entry?.changeset ?? null });
  }

  private async step(kind: 'undo' | 'redo'): Promise<void> {
    const { draft, tool, busy } = this.host.view;
    if (!draft || tool !== 'idle' || busy) return;
    const stack = this.stacks.of(draft.id);
    const changeset = kind === 'undo' ? stack.nextUndo : stack.nextRedo;
    if (changeset === undefined) return;
    await this.host.busy(async () => {
      try {
        await editorApi[kind](draft.id, changeset, t(`editor.${kind}Comment`, { changeset }));
      } catch (error) {
        if (error instanceof ApiRequestError && error.status === 409)
          return this.host.say('error', t(`editor.${kind}Refused`, { message: error.message }));
        throw error;
      }
      if (kind === 'undo') stack.undid(changeset);
      else stack.redid(changeset);
      this.refreshButtons(draft.id);
      this.host.setPicked([]);
      this.host.say('info', t(`editor.${kind}Done`, { changeset }));
      await this.host.reloadDraft();
    });
  }

  private refreshButtons(draftId: number): void {
    const stack = this.stacks.of(draftId);
    this.host.update({ canUndo: stack.nextUndo !== undefined, canRedo: stack.nextRedo !== undefined });
  }

  /** Ctrl+Z undoes, Ctrl+Shift+Z or Ctrl+Y redoes, unless a text field or a dialog has the keys. */
  private onKey(event: KeyboardEvent): void {
    if (!this.host.view.draft || !(event.ctrlKey || event.metaKey) || event.altKey) return;
    const target = event.target as HTMLElement | null;
    if (target?.closest('input, textarea, select, [contenteditable="true"], dialog[open]')) return;
    const key = event.key.toLowerCase();
    const action = key === 'z' ? (event.shiftKey ? 'redo' : 'undo') : key === 'y' ? 'redo' : null;
    if (!action) return;
    event.preventDefault();
    void this.step(action);
  }
}
