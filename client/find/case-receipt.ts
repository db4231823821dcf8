/**
 * The receipt after a report: the ticket, the grid it went to, the time limit and the private
 * tracking link to keep (copy button, a warning that it cannot be recovered). 我的反映 lists
 * the cases remembered on this device.
 */
import type { NewPublicCaseResponse } from '../../common/contracts/cases.ts';
import { h } from '../dom.ts';
import type { PublicCategory } from './case-api.ts';
import { formatCaseTime, trackingUrl, type KeptCase } from './case-format.ts';
import { categoryLabel, ct } from './case-i18n.ts';
import { lang } from './find-i18n.ts';

export interface ReceiptHandlers {
  track: () => void;
  close: () => void;
  another: () => void;
}

/** `community`: the one the form showed for the place (the intake answers with the grid only). */
export function receipt(
  answer: NewPublicCaseResponse,
  category: PublicCategory,
  community: string | null,
  on: ReceiptHandlers,
): HTMLElement {
  const url = trackingUrl(location.origin, answer.ticket, answer.token);
  const link = h('input', { id: 'case-link', readonly: true, value: url, 'aria-label': ct('trackLink') });
  link.addEventListener('focus', () => link.select());
  const copy = h('button', { type: 'button', class: 'copy', id: 'case-copy' }, ct('copy'));
  copy.addEventListener('click', async () => {
    try {
      // No clipboard API on a plain-http page: select the link for a long press instead.
      await navigator.clipboard.writeText(url);
      copy.textContent = ct('copied');
    } catch {
      link.select();
      copy.textContent = ct('copyFailed');
    }
  });
  const button = (id: string, text: string, action: () => void, primary = false) => {
    const b = h('button', { type: 'button', id, class: primary ? 'case-submit' : 'case-secondary' }, text);
    b.addEventListener('click', action);
    return b;
  };
  return h(
    'section',
    { class: 'case-receipt', id: 'case-receipt', 'data-ticket': answer.ticket },
    h('h3', {}, ct('receiptTitle')),
    h('p', {}, ct('receiptLead')),
    h(
      'dl',
      { class: 'facts' },
      h('dt', {}, ct('ticket')),
      h('dd', { id: 'receipt-ticket', class: 'ticket' }, answer.ticket),
      h('dt', {}, ct('grid')),
      h(
        'dd',
        { id: 'receipt-grid', 'data-code': answer.grid?.code ?? '' },
        answer.grid ? answer.grid.name : ct('gridNone'),
      ),
      community ? h('dt', {}, ct('community')) : null,
      community ? h('dd', { id: 'receipt-community' }, community) : null,
      h('dt', {}, ct('due')),
      h(
        'dd',
        { id: 'receipt-due' },
        `${categoryLabel(category)} · ${
          answer.dueAt
            ? ct('dueBy', { time: formatCaseTime(answer.dueAt, lang()) })
            : ct('dueAfterAccept', { hours: category.timeLimitHours })
        }`,
      ),
    ),
    answer.possibleDuplicateOf
      ? h('p', { class: 'case-note', id: 'receipt-duplicate' }, ct('duplicate', { ticket: answer.possibleDuplicateOf }))
      : null,
    h(
      'div',
      { class: 'share' },
      h('label', { for: 'case-link' }, ct('trackLink')),
      link,
      copy,
      h('p', { class: 'case-warn', id: 'case-warn' }, ct('trackWarn')),
    ),
    h(
      'div',
      { class: 'case-actions' },
      button('receipt-track', ct('viewProgress'), on.track, true),
      button('receipt-another', ct('reportAnother'), on.another),
      button('receipt-close', ct('backToMap'), on.close),
    ),
  );
}

export function mineList(cases: readonly KeptCase[], open: (c: KeptCase) => void): HTMLElement {
  const items = cases.map((c) => {
    const row = h(
      'button',
      { type: 'button', class: 'mine-item', 'data-ticket': c.ticket },
      h('span', { class: 'ticket' }, c.ticket),
      h('span', {}, c.category),
      h('span', { class: 'muted' }, formatCaseTime(c.reportedAt, lang())),
    );
    row.addEventListener('click', () => open(c));
    return h('li', {}, row);
  });
  return h(
    'section',
    { class: 'case-mine-list', id: 'case-mine-list' },
    items.length ? h('ul', { class: 'mine' }, ...items) : h('p', { class: 'muted' }, ct('mineEmpty')),
    h('p', { class: 'hint' }, ct('mineNote')),
  );
}
