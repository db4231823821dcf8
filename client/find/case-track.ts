/**
 * The tracking page of one case (`/find?case=TICKET&token=TOKEN`): its state, the timeline with
 * roles only (网格员, 社区, 街道, a department; never a name or a phone), the handling result
 * the staff reported back, and — once closed and not yet rated — 满意 / 基本满意 / 不满意.
 * A wrong token reads exactly like an unknown ticket (404: 未找到该工单).
 */
import type { PublicCase, TimelineEntry } from '../../common/contracts/cases.ts';
import { RATINGS, type CaseRating } from '../../common/rules/case-lifecycle.ts';
import { h } from '../dom.ts';
import { caseApi, CaseApiError } from './case-api.ts';
import { formatCaseTime } from './case-format.ts';
import { actionLabel, actorLabel, categoryLabel, ct, ratingLabel, stateLabel } from './case-i18n.ts';
import { lang } from './find-i18n.ts';

/** Loads the case into `container` (and again after a rating). */
export async function showTracking(container: HTMLElement, ticket: string, token: string): Promise<void> {
  container.replaceChildren(h('p', { class: 'muted' }, ct('trackLoading')));
  delete container.dataset.loaded;
  try {
    const found = await caseApi.track(ticket, token);
    container.replaceChildren(tracking(found, token, () => void showTracking(container, ticket, token)));
  } catch (error) {
    const notFound = error instanceof CaseApiError && error.kind === 'notFound';
    container.replaceChildren(
      h(
        'p',
        { class: 'status error', id: 'case-not-found' },
        notFound ? ct('notFound') : ct('errServer', { detail: error instanceof Error ? error.message : '' }),
      ),
    );
  }
  container.dataset.loaded = '1'; // for the e2e test
}

function tracking(found: PublicCase, token: string, reload: () => void): HTMLElement {
  const time = (iso: string | null) => (iso ? formatCaseTime(iso, lang()) : null);
  const feedback = [...found.timeline].reverse().find((e) => e.action === 'feedback');
  const rows: [string, string | null, string][] = [
    [ct('ticket'), found.ticket, 'track-ticket'],
    [ct('category'), categoryLabel(found.category), 'track-category'],
    [ct('grid'), found.grid?.name ?? ct('gridNone'), 'track-grid'],
    [ct('community'), found.community.name, 'track-community'],
    [ct('reportedAt'), time(found.reportedAt), 'track-reported'],
    [ct('due'), found.dueAt ? ct('dueBy', { time: time(found.dueAt)! }) : null, 'track-due'],
    [ct('closedAt'), time(found.closedAt), 'track-closed'],
  ];
  return h(
    'section',
    { class: 'case-track', id: 'case-track', 'data-state': found.state, 'data-ticket': found.ticket },
    h('p', { class: `case-state state-${found.state}`, id: 'track-state' }, stateLabel(found.state)),
    h('p', { class: 'case-description', id: 'track-description' }, found.description),
    h(
      'dl',
      { class: 'facts' },
      ...rows.flatMap(([label, value, id]) => (value === null ? [] : [h('dt', {}, label), h('dd', { id }, value)])),
    ),
    feedback
      ? h(
          'section',
          { class: 'case-result', id: 'track-feedback' },
          h('h4', {}, ct('result'), feedback.details.route === 'offline' ? ct('resultOffline') : ''),
          h('p', {}, feedback.comment ?? ''),
          h('p', { class: 'muted' }, `${actorLabel(feedback.actor)} · ${time(feedback.at)}`),
        )
      : null,
    found.canRate ? rateBox(found.ticket, token, reload) : null,
    found.rating
      ? h(
          'p',
          { class: 'case-rated', id: 'track-rating', 'data-rating': found.rating },
          `${ct('rating')}${lang() === 'zh' ? '：' : ': '}${ratingLabel(found.rating)}`,
        )
      : null,
    h('h4', {}, ct('timeline')),
    h('ol', { class: 'timeline', id: 'track-timeline' }, ...found.timeline.map((e) => step(e, found.ticket, token))),
  );
}

function step(entry: TimelineEntry, ticket: string, token: string): HTMLElement {
  return h(
    'li',
    { 'data-action': entry.action },
    h('span', { class: 'step-action' }, actionLabel(entry.action)),
    h('span', { class: 'step-actor' }, actorLabel(entry.actor)),
    h('time', { datetime: entry.at }, formatCaseTime(entry.at, lang())),
    entry.comment ? h('p', { class: 'step-comment' }, entry.comment) : null,
    entry.photos.length
      ? h(
          'div',
          { class: 'step-photos' },
          ...entry.photos.map((id) =>
            h('img', { src: caseApi.photoUrl(ticket, id, token), alt: '', loading: 'lazy', width: 96, height: 96 }),
          ),
        )
      : null,
  );
}

/** 满意 / 基本满意 / 不满意, once: the buttons go as soon as one is pressed. */
function rateBox(ticket: string, token: string, reload: () => void): HTMLElement {
  const comment = h('input', { id: 'rate-comment', maxlength: 500, placeholder: ct('rateComment') });
  const error = h('p', { class: 'field-error', role: 'alert', hidden: true });
  const buttons = RATINGS.map((rating: CaseRating) => {
    const button = h(
      'button',
      { type: 'button', class: `rate rate-${rating}`, 'data-rating': rating },
      ratingLabel(rating),
    );
    button.addEventListener('click', () => {
      for (const b of buttons) b.disabled = true;
      const text = comment.value.trim();
      caseApi.rate(ticket, { token, rating, ...(text ? { comment: text } : {}) }).then(reload, (e: unknown) => {
        for (const b of buttons) b.disabled = false;
        error.textContent = ct('errServer', { detail: e instanceof Error ? e.message : '' });
        error.hidden = false;
      });
    });
    return button;
  });
  return h(
    'section',
    { class: 'case-rate', id: 'track-rate' },
    h('h4', {}, ct('rateTitle')),
    h('div', { class: 'rate-buttons' }, ...buttons),
    comment,
    h('p', { class: 'hint' }, ct('rateNote')),
    error,
  );
}
