/**
 * The editor's card in the sidebar: the draft (continue one or start one, discard it), the
 * repairs and the history. The tools are on the map (./editor-toolbar.ts), and so are the
 * totals, the changes, the problems and the messages (./running-panel.ts).
 */
import { append, h, type Child } from '../dom.ts';
import { t } from '../i18n/index.ts';
import type { EditorActions, EditorView } from './editor-view.ts';
import { button } from './editor-toolbar.ts';
import { historyListOf } from './history-list.ts';

export type { EditorActions, EditorView, Tool, ToolAction } from './editor-view.ts';

function show(container: HTMLElement, ...children: Child[]): void {
  container.replaceChildren();
  append(container, children);
}

/** `extras`: elements the editor keeps across renders (the repair panel), shown before the history. */
export function renderEditorPanel(
  container: HTMLElement,
  view: EditorView,
  actions: EditorActions,
  extras: Child[] = [],
): void {
  const head = h('h2', {}, t('editor.title'));
  if (!view.street) return show(container, head, h('p', { class: 'muted small' }, t('editor.pickStreet')));
  if (!view.draft) return show(container, head, ...draftChoiceOf(view, actions), messageOf(view));
  show(
    container,
    head,
    h(
      'div',
      { class: 'draft-head' },
      h(
        'p',
        { class: 'muted small draft-line', 'data-draft-id': view.draft.id, title: view.draft.street_code },
        t('editor.draft', { id: view.draft.id, street: view.streetName ?? view.draft.street_code }),
      ),
      button('editor-discard', t('editor.discardDraft'), actions.discardDraft, {
        class: 'secondary',
        disabled: view.busy || view.tool !== 'idle',
      }),
    ),
    ...extras,
    historyListOf(view.history, view.shownHistory, actions.showHistory),
  );
}

/** No draft open: continue one of the street's open drafts, or start a new one. */
function draftChoiceOf(view: EditorView, actions: EditorActions): Child[] {
  const drafts = view.drafts ?? [];
  const street = view.streetName ?? view.street!;
  return [
    h(
      'p',
      { class: 'muted small', title: view.street! },
      drafts.length ? t('editor.openDrafts', { street }) : t('editor.noDraft', { street }),
    ),
    drafts.length
      ? h(
          'ul',
          { class: 'draft-list' },
          ...drafts.map((d) =>
            h(
              'li',
              {},
              button(
                `editor-resume-${d.id}`,
                t('editor.resumeDraft', { id: d.id, title: d.title }),
                () => actions.openDraft(d.id),
                { class: 'secondary', disabled: view.busy },
              ),
            ),
          ),
        )
      : null,
    h(
      'div',
      { class: 'actions' },
      button('editor-start', t('editor.startDraft'), actions.startDraft, { class: 'primary', disabled: view.busy }),
    ),
  ];
}

/** Without a draft the map has no running panel: say it here (e.g. 草稿 #3 已放弃). */
function messageOf(view: EditorView) {
  if (!view.message) return null;
  return h(
    'div',
    { class: `editor-message ${view.message.kind}`, role: view.message.kind === 'error' ? 'alert' : 'status' },
    h('p', {}, view.message.text),
  );
}
