/**
 * A case as staff read it, shared by the 案件 panel and the worker page: the time-left badge,
 * the facts (names, not codes) and the timeline. Text goes in as text nodes (dom.ts h).
 */
import type { StaffCase, StaffCaseDetail, TimelineEntry } from '../../common/contracts/cases.ts';
import { h, named, type Child } from '../dom.ts';
import { lang, t, type MessageKey } from '../i18n/index.ts';
import { dialable, timeLeft } from './case-logic.ts';

export const stateLabel = (state: string): string => t(`case.state.${state}` as MessageKey);
export const actionLabel = (action: string): string => t(`case.action.${action}` as MessageKey);

/** Beijing time, as every office reads it: 12-07 09:30 (with the year when it is not this one). */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  const options: Intl.DateTimeFormatOptions = {
    timeZone: 'Asia/Shanghai',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  };
  if (date.getFullYear() !== new Date().getFullYear()) options.year = 'numeric';
  return new Intl.DateTimeFormat(lang() === 'zh' ? 'zh-CN' : 'en-GB', options).format(date);
}

/** 剩余 X 小时 / 超期 X 小时 (X 天 from three days on) / 待受理, red when overdue. */
export function timeLeftBadge(c: Pick<StaffCase, 'hoursLeft' | 'state'>): HTMLElement {
  const left = timeLeft(c);
  const text =
    left.kind === 'left'
      ? left.days === null
        ? t('case.hoursLeft', { hours: left.hours })
        : t('case.daysLeft', { days: left.days })
      : left.kind === 'over'
        ? left.days === null
          ? t('case.hoursOver', { hours: left.hours })
          : t('case.daysOver', { days: left.days })
        : left.kind === 'unaccepted'
          ? t('case.notAcceptedYet')
          : t('case.noDue');
  return h('span', { class: `time-left ${left.kind}`, 'data-kind': left.kind }, text);
}

export const stateBadge = (state: string): HTMLElement =>
  h('span', { class: `case-state state-${state}`, 'data-state': state }, stateLabel(state));

/** The reporter's phone: a tel: link for the worker the case is with, masked text for the others. */
export function phoneView(phone: string | null): Child {
  if (!phone) return h('span', { class: 'muted' }, t('case.noPhone'));
  if (dialable(phone)) return h('a', { href: `tel:${phone.replace(/[^0-9+]/g, '')}`, class: 'tel' }, phone);
  return h('span', { class: 'masked' }, phone);
}

function fact(label: string, value: Child, id?: string): HTMLElement[] {
  return [h('dt', {}, label), h('dd', id ? { id } : {}, value)];
}

export function caseFacts(c: StaffCaseDetail): HTMLElement {
  const queue = c.queue;
  return h(
    'dl',
    { class: 'case-facts' },
    ...fact(t('case.category'), c.category.name, 'case-category'),
    ...fact(t('case.channel'), t(`case.channel.${c.channel}` as MessageKey)),
    ...fact(t('case.description'), c.description, 'case-description'),
    ...(c.address ? fact(t('case.address'), c.address) : []),
    ...fact(
      t('case.grid'),
      c.grid ? named(c.grid.name, c.grid.code) : h('span', { class: 'warn' }, t('case.outsideGrids')),
      'case-grid',
    ),
    ...fact(t('case.community'), named(c.community.name, c.community.code)),
    ...fact(
      t('case.queueNow'),
      h('span', {}, t(`case.queue.${queue.kind}` as MessageKey), ' · ', named(queue.name, queue.code)),
      'case-queue',
    ),
    ...(c.handling ? fact(t('case.handling'), c.handling.name, 'case-handling') : []),
    ...fact(t('case.reporterPhone'), phoneView(c.reporterPhone), 'case-phone'),
    ...fact(t('case.reportedAt'), formatTime(c.reportedAt)),
    ...(c.dueAt ? fact(t('case.dueAt'), formatTime(c.dueAt)) : []),
    ...(c.duplicateOf ? fact(t('case.duplicates'), t('case.duplicateOf', { ticket: c.duplicateOf })) : []),
  );
}

function timelineItem(entry: TimelineEntry): HTMLElement {
  const details = entry.details as { route?: string; to?: { kind?: string }; department?: string };
  const extra: string[] = [];
  if (details.route === 'offline') extra.push(t('worker.feedbackOffline'));
  if (details.route === 'online') extra.push(t('worker.feedbackOnline'));
  // Where it went: the queue's kind, and a department by its name (吹哨).
  if (details.to?.kind) extra.push(`→ ${t(`case.queue.${details.to.kind}` as MessageKey)}`);
  if (details.department) extra.push(details.department);
  return h(
    'li',
    { class: `timeline-item action-${entry.action}`, 'data-action': entry.action },
    h(
      'div',
      { class: 'timeline-head' },
      h('strong', {}, actionLabel(entry.action)),
      ' ',
      h('span', { class: 'muted' }, entry.actor),
      h('time', { datetime: entry.at }, formatTime(entry.at)),
    ),
    extra.length ? h('div', { class: 'timeline-extra' }, extra.join(' · ')) : null,
    entry.comment ? h('p', { class: 'timeline-comment' }, entry.comment) : null,
    entry.photos.length
      ? h(
          'div',
          { class: 'timeline-photos' },
          ...entry.photos.map((id) =>
            h('img', { src: `/api/cases/photos/${id}`, alt: '', loading: 'lazy', class: 'timeline-photo' }),
          ),
        )
      : null,
  );
}

export function caseTimeline(c: StaffCaseDetail): HTMLElement {
  return h(
    'section',
    { class: 'case-timeline' },
    h('h3', {}, t('case.timeline')),
    h('ol', { class: 'timeline', id: 'case-timeline' }, ...[...c.timeline].reverse().map(timelineItem)),
  );
}
