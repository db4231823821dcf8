/** 我的待办: the open cases of my grids, overdue first (red), then by hours left; 巡查上报 on top. */
import type { StaffCase } from '../../common/contracts/cases.ts';
import { isOpen } from '../../common/rules/case-lifecycle.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/index.ts';
import { caseApi } from '../cases/case-api.ts';
import { sortByTimeLeft, timeLeft } from '../cases/case-logic.ts';
import { formatTime, stateBadge, timeLeftBadge } from '../cases/case-view.ts';

export interface ListHandlers {
  open: (id: number) => void;
  patrol: () => void;
}

function row(c: StaffCase, open: (id: number) => void): HTMLElement {
  const overdue = timeLeft(c).kind === 'over';
  const button = h(
    'button',
    { type: 'button', class: `case-row${overdue ? ' overdue' : ''}`, 'data-id': c.id, 'data-ticket': c.ticket },
    h('div', { class: 'case-row-head' }, h('strong', { class: 'case-category' }, c.category.name), timeLeftBadge(c)),
    h('p', { class: 'case-row-text' }, c.description),
    h(
      'div',
      { class: 'case-row-meta' },
      stateBadge(c.state),
      h('span', {}, c.grid?.name ?? c.community.name),
      h('time', { datetime: c.reportedAt }, formatTime(c.reportedAt)),
    ),
  );
  button.addEventListener('click', () => open(c.id));
  return h('li', {}, button);
}

export async function renderList(root: HTMLElement, handlers: ListHandlers): Promise<void> {
  const patrol = h('button', { type: 'button', class: 'big primary', id: 'patrol-button' }, '＋ ', t('worker.patrol'));
  patrol.addEventListener('click', handlers.patrol);
  const refresh = h('button', { type: 'button', class: 'big secondary', id: 'refresh-button' }, t('worker.refresh'));
  const list = h('ul', { class: 'case-list', id: 'case-list', 'aria-busy': 'true' });
  const count = h('p', { class: 'muted small', id: 'case-count' }, t('case.loading'));
  root.replaceChildren(h('div', { class: 'list-actions' }, patrol, refresh), count, list);

  const load = async () => {
    list.setAttribute('aria-busy', 'true');
    const answer = await caseApi.list({ queue: 'mine', open: true });
    // Closed cases wait for the reporter's rating, not for the worker.
    const open = sortByTimeLeft(answer.cases.filter((c) => isOpen(c.state)));
    list.replaceChildren(...open.map((c) => row(c, handlers.open)));
    count.textContent = open.length ? t('case.count', { count: open.length }) : t('case.empty');
    list.setAttribute('aria-busy', 'false');
  };
  refresh.addEventListener('click', () => void load());
  await load();
}
