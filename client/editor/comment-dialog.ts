/** The dialog every save goes through: a comment (why), and the few fields an operation needs. */
import type { GridKind } from '../../common/domain.ts';
import { h, type Child } from '../dom.ts';
import { t, type MessageKey } from '../i18n/index.ts';

export interface CommentRequest {
  title: string;
  /** A summary of what will be saved, shown above the comment (names, with codes in small print). */
  summary?: Child;
  /** Ask for a new grid's name and kind. */
  gridFields?: boolean;
  /** Offer an override reason (admins publishing a draft with problems). */
  override?: boolean;
  /** The submit button's label (default 保存; publishing says 发布). */
  submit?: string;
}
export interface CommentAnswer {
  comment: string;
  name?: string;
  kind?: GridKind;
  override?: string;
}

const GRID_KINDS: GridKind[] = ['residential', 'commercial', 'mixed'];
const dialog = h('dialog', { class: 'login-dialog comment-dialog', id: 'comment-dialog' });

/** Resolve with the answer, or null when the user cancels. */
export function askComment(request: CommentRequest): Promise<CommentAnswer | null> {
  if (!dialog.isConnected) document.body.append(dialog);
  return new Promise((resolve) => {
    const comment = h('textarea', {
      name: 'comment',
      rows: 3,
      required: true,
      placeholder: t('editor.commentPlaceholder'),
    });
    const name = h('input', { name: 'name', required: true });
    const kind = h(
      'select',
      { name: 'kind' },
      ...GRID_KINDS.map((k) => h('option', { value: k }, t(`gridKind.${k}` as MessageKey))),
    );
    const override = h('input', { name: 'override', placeholder: t('editor.overridePlaceholder') });
    const cancel = h('button', { type: 'button', class: 'secondary' }, t('editor.cancel'));
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', {}, request.title),
      request.summary ? h('p', { class: 'muted small' }, request.summary) : null,
      request.gridFields ? h('label', {}, t('editor.gridName'), name) : null,
      request.gridFields ? h('label', {}, t('editor.gridKind'), kind) : null,
      h('label', {}, t('editor.comment'), comment),
      request.override ? h('label', {}, t('editor.override'), override) : null,
      h(
        'div',
        { class: 'dialog-actions' },
        cancel,
        h('button', { type: 'submit' }, request.submit ?? t('editor.save')),
      ),
    );
    let answered = false;
    const finish = (answer: CommentAnswer | null) => {
      if (answered) return;
      answered = true;
      dialog.close();
      resolve(answer);
    };
    cancel.addEventListener('click', () => finish(null));
    dialog.addEventListener('close', () => finish(null), { once: true });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      finish({
        comment: comment.value.trim(),
        ...(request.gridFields ? { name: name.value.trim(), kind: kind.value as GridKind } : {}),
        ...(request.override && override.value.trim() ? { override: override.value.trim() } : {}),
      });
    });
    dialog.replaceChildren(form);
    dialog.showModal();
    (request.gridFields ? name : comment).focus();
  });
}
