/**
 * The form behind one action button: a comment (required where the action needs a reason),
 * the handling way for 处置, online/offline for 反馈, photos where the work shows. Returns the
 * transition to send, or names what is missing. Shared by the worker page and the 案件 panel.
 */
import type { CaseConfig, StaffCaseDetail, TransitionRequest } from '../../common/contracts/cases.ts';
import { h } from '../dom.ts';
import { t, type MessageKey } from '../i18n/index.ts';
import type { WorkerButton } from './case-logic.ts';

export interface ActionFormHandlers {
  submit: (transition: TransitionRequest, photos: File[]) => Promise<void>;
  cancel: () => void;
}

/** Buttons that send at once, without a form. */
export const ONE_TAP: ReadonlySet<WorkerButton> = new Set(['accept', 'dispatchSelf']);

const MAX_PHOTOS = 3;

/** The transition a one-tap button sends. */
export function oneTapTransition(button: FormAction, c: StaffCaseDetail): TransitionRequest {
  if (button === 'dispatchSelf' && c.grid) return { action: 'dispatch', to: { kind: 'grid', code: c.grid.code } };
  return { action: button };
}

/** Actions with a form: the worker's buttons, and 合并 / 重新办理 in the 案件 panel. */
export type FormAction = WorkerButton | 'merge' | 'reopen';

export function actionForm(
  button: FormAction,
  c: StaffCaseDetail,
  config: CaseConfig,
  title: string,
  handlers: ActionFormHandlers,
): HTMLFormElement {
  // The server refuses these without a comment: say so before sending.
  const needsComment = ['return', 'note', 'not_accept', 'handle', 'reopen'].includes(button);
  const comment = h('textarea', {
    name: 'comment',
    rows: 3,
    maxlength: 2000,
    placeholder: needsComment ? '' : t('case.commentPlaceholder'),
  });
  const error = h('p', { class: 'form-error', role: 'alert' });
  const fields: HTMLElement[] = [];

  let handling: HTMLSelectElement | null = null;
  if (button === 'handle') {
    handling = h(
      'select',
      { name: 'handling' },
      h('option', { value: '' }, t('worker.chooseHandling')),
      // 不予受理 is its own action, not a way of handling an accepted case.
      ...config.handlings
        .filter((way) => way.code !== 'not_accepted')
        .map((way) => h('option', { value: way.code, selected: c.handling?.code === way.code }, way.name)),
    );
    fields.push(h('label', {}, t('case.handling'), handling));
  }

  let offline: HTMLInputElement | null = null;
  if (button === 'feedback') {
    const online = h('input', { type: 'radio', name: 'route', value: 'online', checked: true });
    offline = h('input', { type: 'radio', name: 'route', value: 'offline' });
    fields.push(
      h(
        'fieldset',
        { class: 'route' },
        h('label', { class: 'choice' }, online, t('worker.feedbackOnline')),
        h('label', { class: 'choice' }, offline, t('worker.feedbackOffline')),
      ),
    );
  }

  let duplicateOf: HTMLInputElement | null = null;
  if (button === 'merge') {
    // The open cases the server found within 50 m and 72 h are offered first.
    duplicateOf = h('input', {
      name: 'duplicateOf',
      list: 'merge-candidates',
      required: true,
      value: c.duplicates[0]?.ticket,
    });
    fields.push(
      h('label', {}, t('cases.mergeInto'), duplicateOf),
      h(
        'datalist',
        { id: 'merge-candidates' },
        ...c.duplicates.map((d) => h('option', { value: d.ticket }, `${Math.round(d.distanceM)} m`)),
      ),
    );
  }

  const commentLabel =
    button === 'feedback' ? t('worker.feedbackNote') : button === 'not_accept' ? t('cases.reason') : t('case.comment');
  fields.push(h('label', {}, commentLabel, comment));

  let photos: HTMLInputElement | null = null;
  if (button === 'handle' || button === 'note') {
    photos = h('input', { type: 'file', name: 'photo', accept: 'image/jpeg,image/png,image/webp', multiple: true });
    fields.push(h('label', {}, t('case.photos'), photos));
  }

  const submit = h('button', { type: 'submit', class: 'big primary', id: 'action-submit' }, t('case.submit'));
  const cancel = h('button', { type: 'button', class: 'big secondary' }, t('case.cancel'));
  cancel.addEventListener('click', handlers.cancel);
  const form = h(
    'form',
    { class: 'action-form', id: 'action-form', 'data-button': button },
    h('h3', {}, title),
    ...fields,
    error,
    h('div', { class: 'form-actions' }, cancel, submit),
  );

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const text = comment.value.trim();
    const files = [...(photos?.files ?? [])].slice(0, MAX_PHOTOS);
    let transition: TransitionRequest;
    // Checked in the order of the fields on screen.
    if (button === 'handle' && !handling?.value) return void (error.textContent = t('worker.handlingRequired'));
    if (needsComment && !text)
      return void (error.textContent = button === 'not_accept' ? t('cases.reasonRequired') : t('case.commentRequired'));
    if (button === 'handle') {
      transition = { action: 'handle', handling: handling!.value };
    } else if (button === 'feedback') {
      const route = offline?.checked ? 'offline' : 'online';
      if (route === 'offline' && !text) return void (error.textContent = t('worker.feedbackNoteRequired'));
      transition = { action: 'feedback', route };
    } else if (button === 'escalate') {
      // The server knows the queue above (grid → community → street).
      transition = { action: 'escalate' };
    } else if (button === 'merge') {
      const ticket = duplicateOf?.value.trim() ?? '';
      if (!ticket) return void (error.textContent = t('cases.mergeRequired'));
      transition = { action: 'merge', duplicateOf: ticket };
    } else if (button === 'not_accept') {
      transition = { action: 'not_accept', handling: 'not_accepted' };
    } else {
      transition = oneTapTransition(button, c);
    }
    if (text) transition.comment = text;
    error.textContent = '';
    submit.disabled = true;
    void handlers.submit(transition, files).finally(() => (submit.disabled = false));
  });
  return form;
}

/**
 * What a failed transition means to the user: 412 (someone changed the case: reload it),
 * 409 (not allowed now), 4xx naming a field, anything else.
 */
export function describeFailure(error: unknown, action: string): { stale: boolean; text: string } {
  const status = (error as { status?: number }).status;
  const message = (error as Error).message;
  const field = (error as { detail?: { field?: unknown } }).detail?.field;
  if (status === 412) return { stale: true, text: t('case.stale') };
  if (status === 409)
    return { stale: false, text: t('case.notAllowed', { action: t(`case.action.${action}` as MessageKey), message }) };
  const named = typeof field === 'string' ? t('case.field', { field }) : '';
  return { stale: false, text: t('case.failed', { message: message + named }) };
}
