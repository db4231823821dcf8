/** The editor's toolbar: the drawing and draft tools, 撤销 / 重做, and the hint of the tool in use. */
import { h } from '../dom.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import type { EditorActions, EditorView, ToolAction } from './editor-view.ts';

const TOOLS: { action: ToolAction; enabled: (v: EditorView) => boolean }[] = [
  { action: 'draw', enabled: () => true },
  { action: 'reshape', enabled: (v) => v.picked.length === 1 },
  { action: 'boundary', enabled: (v) => v.picked.length === 2 },
  { action: 'split', enabled: (v) => v.picked.length === 1 },
  { action: 'merge', enabled: (v) => v.picked.length >= 2 },
  { action: 'retire', enabled: (v) => v.picked.length === 1 },
  { action: 'attributes', enabled: (v) => v.picked.length === 1 },
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

export function toolbarOf(view: EditorView, actions: EditorActions) {
  const idle = view.tool === 'idle' && !view.busy;
  return h(
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
    h('span', { class: 'toolbar-gap' }),
    button('tool-undo', t('editor.tool.undo'), actions.undo, {
      disabled: !idle || !view.canUndo,
      title: t('editor.toolTitle.undo'),
    }),
    button('tool-redo', t('editor.tool.redo'), actions.redo, {
      disabled: !idle || !view.canRedo,
      title: t('editor.toolTitle.redo'),
    }),
  );
}

export function toolHintOf(view: EditorView, actions: EditorActions) {
  if (view.tool === 'idle') return null;
  return h(
    'div',
    { class: 'tool-hint' },
    h(
      'p',
      { class: 'small' },
      t(`editor.hint.${view.tool}` as MessageKey, {
        code: view.picked[0]?.code ?? '',
        neighbour: view.picked[1]?.code ?? '',
      }),
    ),
    h(
      'div',
      { class: 'actions' },
      view.tool === 'reshape' || view.tool === 'boundary'
        ? button('editor-save-reshape', t('editor.save'), actions.saveReshape, {
            class: 'primary',
            disabled: view.busy,
          })
        : null,
      button('editor-cancel', t('editor.cancel'), actions.cancelTool, { class: 'secondary' }),
    ),
  );
}
