/**
 * One case on the worker's phone: what it is and where, the reporter's phone (dialable for the
 * worker it is with), big buttons for the actions the server allows this worker now, the form
 * behind the chosen one, and the timeline. After each transition the case is read again; a 412
 * (someone else changed it) reloads it and says so.
 */
import type { CaseConfig } from '../../common/contracts/cases.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/index.ts';
import { actionForm, describeFailure, ONE_TAP, oneTapTransition } from '../cases/case-action-form.ts';
import { caseApi, type LoadedCase } from '../cases/case-api.ts';
import { workerButtons, type WorkerButton } from '../cases/case-logic.ts';
import { actionLabel, caseFacts, caseTimeline, stateBadge, timeLeftBadge } from '../cases/case-view.ts';
import { clearStatus, showError, showStatus } from './worker-status.ts';

const BUTTON_LABELS: Partial<Record<WorkerButton, () => string>> = {
  dispatchSelf: () => t('worker.dispatchSelf'),
  escalate: () => t('worker.escalate'),
};
const buttonLabel = (button: WorkerButton): string => BUTTON_LABELS[button]?.() ?? actionLabel(button);

export async function renderDetail(root: HTMLElement, id: number, config: () => Promise<CaseConfig>): Promise<void> {
  let loaded: LoadedCase = await caseApi.get(id);
  let chosen: WorkerButton | null = null;
  const formSlot = h('div', { class: 'form-slot' });

  const send = async (action: string, run: () => Promise<LoadedCase>): Promise<void> => {
    document.body.dataset.busy = '1';
    try {
      loaded = await run();
      chosen = null;
      draw();
      showStatus(t('case.done', { action: actionLabel(action) }));
    } catch (error) {
      const failure = describeFailure(error, action);
      if (failure.stale) {
        loaded = await caseApi.get(id);
        chosen = null;
        draw();
      }
      showError(failure.text);
    } finally {
      document.body.dataset.busy = '0';
    }
  };

  const choose = async (button: WorkerButton): Promise<void> => {
    clearStatus();
    const c = loaded.detail;
    if (ONE_TAP.has(button)) {
      const transition = oneTapTransition(button, c);
      return send(transition.action, () => caseApi.transition(id, loaded.etag, transition));
    }
    chosen = button;
    const form = actionForm(button, c, await config(), buttonLabel(button), {
      submit: (transition, photos) =>
        send(transition.action, () => caseApi.transition(id, loaded.etag, transition, photos)),
      cancel: () => {
        chosen = null;
        formSlot.replaceChildren();
      },
    });
    formSlot.replaceChildren(form);
    form.scrollIntoView({ block: 'nearest' });
    form.querySelector<HTMLElement>('select, textarea')?.focus();
  };

  const draw = (): void => {
    const c = loaded.detail;
    const buttons = workerButtons(c).map((button) => {
      const element = h(
        'button',
        {
          type: 'button',
          class: `big action action-${button}${button === 'accept' || button === 'handle' ? ' primary' : ''}`,
          'data-button': button,
          'aria-pressed': chosen === button ? 'true' : 'false',
        },
        buttonLabel(button),
      );
      element.addEventListener('click', () => void choose(button));
      return element;
    });
    if (!chosen) formSlot.replaceChildren();
    root.replaceChildren(
      h(
        'article',
        { class: 'case-detail', id: 'case-detail', 'data-id': c.id, 'data-state': c.state, 'data-version': c.version },
        h(
          'div',
          { class: 'case-detail-head' },
          h('span', { class: 'ticket', id: 'case-ticket' }, c.ticket),
          stateBadge(c.state),
          timeLeftBadge(c),
        ),
        caseFacts(c),
        h(
          'section',
          { class: 'case-actions' },
          h('h3', {}, t('worker.actionsTitle')),
          buttons.length
            ? h('div', { class: 'action-buttons', id: 'action-buttons' }, ...buttons)
            : h('p', { class: 'muted' }, t('case.noActions')),
          formSlot,
        ),
        caseTimeline(c),
      ),
    );
  };
  draw();
}
