/** The editor's card in the sidebar: draft, toolbar, live tally, check result, messages. */
import type { Draft, PublishCheckResponse } from '../../common/api.ts';
import type { HouseholdBand } from '../../common/domain.ts';
import { append, h, type Child } from '../dom.ts';
import { formatNumber, t, type MessageKey } from '../i18n/index.ts';
import { BAND_COLORS } from '../map/layers.ts';
import type { DraftGridState } from './editor-api.ts';

export type Tool = 'idle' | 'draw' | 'reshape' | 'split';
export type ToolAction = 'draw' | 'reshape' | 'split' | 'merge' | 'retire' | 'check' | 'publish';

export interface EditorView {
  street: string | null;
  draft: Draft | null;
  /** An open draft remembered from before, offered to continue. */
  resumable: number | null;
  picked: DraftGridState[];
  tool: Tool;
  busy: boolean;
  tally: { households: number; band: HouseholdBand; gaps: number; overlaps: number } | null;
  check: PublishCheckResponse | null;
  message: { kind: 'info' | 'error'; text: string; items?: string[] } | null;
}

export interface EditorActions {
  startDraft(): void;
  resumeDraft(id: number): void;
  tool(action: ToolAction): void;
  saveReshape(): void;
  cancelTool(): void;
}

const TOOLS: { action: ToolAction; enabled: (v: EditorView) => boolean }[] = [
  { action: 'draw', enabled: () => true },
  { action: 'reshape', enabled: (v) => v.picked.length === 1 },
  { action: 'split', enabled: (v) => v.picked.length === 1 },
  { action: 'merge', enabled: (v) => v.picked.length >= 2 },
  { action: 'retire', enabled: (v) => v.picked.length === 1 },
  { action: 'check', enabled: () => true },
  { action: 'publish', enabled: () => true },
];

function button(id: string, label: string, onClick: () => void, options: { disabled?: boolean; title?: string; class?: string } = {}) {
  const b = h('button', { type: 'button', id, class: options.class ?? 'tool', disabled: options.disabled, title: options.title }, label);
  b.addEventListener('click', onClick);
  return b;
}

function show(container: HTMLElement, ...children: Child[]): void {
  container.replaceChildren();
  append(container, children);
}

export function renderEditorPanel(container: HTMLElement, view: EditorView, actions: EditorActions): void {
  const head = h('h2', {}, t('editor.title'));
  if (!view.street) {
    show(container, head, h('p', { class: 'muted small' }, t('editor.pickStreet')));
    return;
  }
  if (!view.draft) {
    show(container, 
      head,
      h('p', { class: 'muted small' }, t('editor.noDraft', { street: view.street })),
      h(
        'div',
        { class: 'actions' },
        button('editor-start', t('editor.startDraft'), actions.startDraft, { class: 'primary', disabled: view.busy }),
        view.resumable ? button('editor-resume', t('editor.resumeDraft', { id: view.resumable }), () => actions.resumeDraft(view.resumable!), { class: 'secondary' }) : null,
      ),
      messageOf(view),
    );
    return;
  }
  const toolbar = h(
    'div',
    { class: 'toolbar', role: 'toolbar' },
    ...TOOLS.map(({ action, enabled }) => {
      const b = button(`tool-${action}`, t(`editor.tool.${action}` as MessageKey), () => actions.tool(action), {
        disabled: view.busy || !enabled(view),
        title: t(`editor.toolTitle.${action}` as MessageKey),
      });
      if (view.tool === action) b.classList.add('active');
      return b;
    }),
  );
  const drawing = view.tool !== 'idle'
    ? h(
        'div',
        { class: 'tool-hint' },
        h('p', { class: 'small' }, t(`editor.hint.${view.tool}` as MessageKey)),
        h(
          'div',
          { class: 'actions' },
          view.tool === 'reshape' ? button('editor-save-reshape', t('editor.save'), actions.saveReshape, { class: 'primary', disabled: view.busy }) : null,
          button('editor-cancel', t('editor.cancel'), actions.cancelTool, { class: 'secondary' }),
        ),
      )
    : null;
  show(container, 
    head,
    h('p', { class: 'muted small draft-line', 'data-draft-id': view.draft.id }, t('editor.draft', { id: view.draft.id, street: view.draft.street_code })),
    toolbar,
    h('p', { class: 'small picked' }, view.picked.length ? t('editor.picked', { codes: view.picked.map((g) => g.code).join('、') }) : t('editor.pickHint')),
    drawing,
    tallyOf(view),
    messageOf(view),
    checkOf(view),
  );
}

function tallyOf(view: EditorView) {
  if (!view.tally) return null;
  const { households, band, gaps, overlaps } = view.tally;
  return h(
    'div',
    { class: 'edit-tally', 'data-band': band },
    h('span', { class: 'swatch', style: `--swatch:${BAND_COLORS[band]}` }),
    h('strong', { class: 'tally-households' }, t('editor.households', { n: formatNumber(households) })),
    ' ',
    h('span', { class: 'muted small' }, t(`legend.band.${band}` as MessageKey)),
    gaps + overlaps > 0 ? h('p', { class: 'error small' }, t('editor.wouldCreate', { gaps, overlaps })) : h('p', { class: 'small ok-text' }, t('editor.noNewProblems')),
  );
}

function messageOf(view: EditorView) {
  if (!view.message) return null;
  return h(
    'div',
    { class: `editor-message ${view.message.kind}`, role: view.message.kind === 'error' ? 'alert' : 'status' },
    h('p', {}, view.message.text),
    view.message.items?.length ? h('ul', { class: 'small' }, ...view.message.items.map((item) => h('li', {}, item))) : null,
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
      ? h('ul', { class: 'small' }, ...created.map((p) => h('li', {}, t(`validation.type.${p.properties.type}` as MessageKey), ' ', p.properties.grids.join('、'))))
      : null,
    removed.length ? h('p', { class: 'small muted' }, t('editor.checkRemoved', { n: removed.length })) : null,
  );
}
