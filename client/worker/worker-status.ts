/** The worker page's status line under the header: progress, outcomes and failures with a retry. */
import { byId, h } from '../dom.ts';
import { t } from '../i18n/index.ts';

export function clearStatus(): void {
  const line = byId('status');
  line.replaceChildren();
  line.className = 'status';
}

export function showStatus(text: string): void {
  const line = byId('status');
  line.className = 'status ok';
  line.replaceChildren(text);
}

export function showError(text: string, retry?: () => void): void {
  const line = byId('status');
  line.className = 'status error';
  line.replaceChildren(text);
  if (retry) {
    const button = h('button', { type: 'button', class: 'retry' }, t('case.retry'));
    button.addEventListener('click', retry);
    line.append(' ', button);
  }
}
