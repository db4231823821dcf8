/**
 * The editor's toolbar on the map (a control group at the top of the map, as MapLibre draws
 * its own): each tool an icon with its Chinese label, the tooltip saying what it does and its
 * key; 撤销 / 重做 at the end. The hint of the tool in use sits in the running panel.
 */
import { h } from '../dom.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import type { EditorActions, EditorView, ToolAction } from './editor-view.ts';
import { iconOf, type IconName } from './icons.ts';

const TOOLS: { action: ToolAction; enabled: (v: EditorView) => boolean }[] = [
  { action: 'draw', enabled: () => true },
  { action: 'reshape', enabled: (v) => v.picked.length === 1 },
  { action: 'boundary', enabled: (v) => v.picked.length === 2 },
  { action: 'split', enabled: (v) => v.picked.length === 1 },
  { action: 'merge', enabled: (v) => v.picked.length >= 2 },
  { action: 'retire', enabled: (v) => v.picked.length === 1 },
  { action: 'attributes', enabled: (v) => v.picked.length === 1 },
  { action: 'propose', enabled: () => true },
  { action: 'check', enabled: () => true },
  { action: 'publish', enabled: () => true },
];

export function button(
  id: string,
  label: string,
  onClick: () => void,
  options: { disabled?: boolean; title?: string; class?: string } = {},
) {
  const b = h(
    'button',
    { type: 'button', id, class: options.class ?? 'tool', disabled: options.disabled, title: options.title },
    label,
  );
  b.addEventListener('click', onClick);
  return b;
}

/** A toolbar button: the icon, then the label (the button's whole text). */
function toolButton(id: string, icon: IconName, label: string, title: string, onClick: () => void, disabled: boolean) {
  const b = h(
    'button',
    { type: 'button', id, class: 'tool', disabled, title },
    iconOf(icon),
    h('span', { class: 'tool-label' }, label),
  );
  b.addEventListener('click', onClick);
  return b;
}

export function renderToolbar(container: HTMLElement, view: EditorView, actions: EditorActions): void {
  container.hidden = !view.draft;
  if (!view.draft) return container.replaceChildren();
  const idle = view.tool === 'idle' && !view.busy;
  const tools = TOOLS.map(({ action, enabled }) => {
    const b = toolButton(
      `tool-${action}`,
      action,
      t(`editor.tool.${action}` as MessageKey),
      t(`editor.toolTitle.${action}` as MessageKey),
      () => actions.tool(action),
      view.busy || !enabled(view),
    );
    if (view.tool === action) b.classList.add('active');
    return b;
  });
  container.replaceChildren(
    h('div', { class: 'toolbar-group' }, ...tools.slice(0, 7)),
    h('div', { class: 'toolbar-group' }, ...tools.slice(7)),
    h(
      'div',
      { class: 'toolbar-group' },
      toolButton(
        'tool-undo',
        'undo',
        t('editor.tool.undo'),
        t('editor.toolTitle.undo'),
        actions.undo,
        !idle || !view.canUndo,
      ),
      toolButton(
        'tool-redo',
        'redo',
        t('editor.tool.redo'),
        t('editor.toolTitle.redo'),
        actions.redo,
        !idle || !view.canRedo,
      ),
    ),
  );
}
