/**
 * The in-page confirmation (a modal <dialog>, like every other dialog of the editor) for the
 * steps that cannot be taken back, instead of the browser's confirm().
 */
import { h } from '../dom.ts';
import { t } from '../i18n/index.ts';

export interface ConfirmRequest {
  title: string;
  text: string;
  /** The confirming button's label. */
  confirm: string;
  /** Drawn as a destructive action. */
  danger?: boolean;
}

const dialog = h('dialog', { class: 'login-dialog comment-dialog confirm-dialog', id: 'confirm-dialog' });

/** Resolve true when confirmed, false when cancelled (Esc, 取消). */
export function confirmInPage(request: ConfirmRequest): Promise<boolean> {
  if (!dialog.isConnected) document.body.append(dialog);
  return new Promise((resolve) => {
    const cancel = h('button', { type: 'button', class: 'secondary', id: 'confirm-cancel' }, t('editor.cancel'));
    const ok = h(
      'button',
      { type: 'submit', id: 'confirm-ok', class: request.danger ? 'danger' : undefined },
      request.confirm,
    );
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', {}, request.title),
      h('p', {}, request.text),
      h('div', { class: 'dialog-actions' }, cancel, ok),
    );
    let answered = false;
    const finish = (yes: boolean) => {
      if (answered) return;
      answered = true;
      dialog.close();
      resolve(yes);
    };
    cancel.addEventListener('click', () => finish(false));
    dialog.addEventListener('close', () => finish(false), { once: true });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      finish(true);
    });
    dialog.replaceChildren(form);
    dialog.showModal();
    cancel.focus();
  });
}
