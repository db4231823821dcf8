/** The editor's card in the sidebar: draft choice, toolbar, live tally, check result, messages, history. */
import { bandLabel } from '../household-bounds.ts';
import { append, h, type Child } from '../dom.ts';
import { formatNumber, t, type MessageKey } from '../i18n/index.ts';
import { BAND_COLORS } from '../map/layers.ts';
import type { EditorActions, EditorView } from './editor-view.ts';
import { button, toolHintOf, toolbarOf } from './editor-toolbar.ts';
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
        { class: 'muted small draft-line', 'data-draft-id': view.draft.id },
        t('editor.draft', { id: view.draft.id, street: view.draft.street_code }),
      ),
      button('editor-discard', t('editor.discardDraft'), actions.discardDraft, {
        class: 'secondary',
        disabled: view.busy || view.tool !== 'idle',
      }),
    ),
    toolbarOf(view, actions),
    h(
      'p',
      { class: 'small picked' },
      view.picked.length
        ? t('editor.picked', { codes: view.picked.map((g) => g.code).join('、') })
        : t('editor.pickHint'),
    ),
    toolHintOf(view, actions),
    tallyOf(view),
    messageOf(view),
    checkOf(view),
    ...extras,
    historyListOf(view.history, view.shownHistory, actions.showHistory),
  );
}

/** No draft open: continue one of the street's open drafts, or start a new one. */
function draftChoiceOf(view: EditorView, actions: EditorActions): Child[] {
  const drafts = view.drafts ?? [];
  return [
    h(
      'p',
      { class: 'muted small' },
      drafts.length ? t('editor.openDrafts', { street: view.street! }) : t('editor.noDraft', { street: view.street! }),
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

function tallyOf(view: EditorView) {
  if (!view.tally) return null;
  const { households, band, bounds, gaps, overlaps } = view.tally;
  return h(
    'div',
    { class: 'edit-tally', 'data-band': band },
    h('span', { class: 'swatch', style: `--swatch:${BAND_COLORS[band]}` }),
    h('strong', { class: 'tally-households' }, t('editor.households', { n: formatNumber(households) })),
    ' ',
    h('span', { class: 'muted small' }, bandLabel(band, bounds)),
    gaps + overlaps > 0
      ? h('p', { class: 'error small' }, t('editor.wouldCreate', { gaps, overlaps }))
      : h('p', { class: 'small ok-text' }, t('editor.noNewProblems')),
  );
}

function messageOf(view: EditorView) {
  if (!view.message) return null;
  return h(
    'div',
    { class: `editor-message ${view.message.kind}`, role: view.message.kind === 'error' ? 'alert' : 'status' },
    h('p', {}, view.message.text),
    view.message.items?.length
      ? h('ul', { class: 'small' }, ...view.message.items.map((item) => h('li', {}, item)))
      : null,
  );
}

function checkOf(view: EditorView) {
  if (!view.check) return null;
  const { conflicts, created, removed, grids } = view.check;
  const ok = conflicts.length === 0 && created.length === 0;
  return h(
    'div',
    { class: 'draft-check', 'data-ok': String(ok) },
    h('h3', {}, t('editor.checkTitle', { grids })),
    ok ? h('p', { class: 'small ok-text' }, t('editor.checkOk')) : null,
    conflicts.length ? h('p', { class: 'error small' }, t('editor.conflicts', { codes: conflicts.join('、') })) : null,
    created.length
      ? h(
          'ul',
          { class: 'small' },
          ...created.map((p) =>
            h('li', {}, t(`validation.type.${p.properties.type}` as MessageKey), ' ', p.properties.grids.join('、')),
          ),
        )
      : null,
    removed.length ? h('p', { class: 'small muted' }, t('editor.checkRemoved', { n: removed.length })) : null,
  );
}
