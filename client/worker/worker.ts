/**
 * The grid worker's phone page (/worker, issue 18): sign in, 我的待办 sorted by time left, a
 * case's detail with big buttons for what the worker may do, and 巡查上报. One view at a time in
 * #view; the header's back button returns to the list. body[data-view] names the view on show.
 */
import type { SessionUser } from '../../common/contracts/auth.ts';
import type { CaseConfig } from '../../common/contracts/cases.ts';
import { api, ApiRequestError } from '../api.ts';
import { byId, h } from '../dom.ts';
import { lang, onLangChange, setLang, t, type MessageKey } from '../i18n/index.ts';
import { caseApi } from '../cases/case-api.ts';
import { renderDetail } from './worker-detail.ts';
import { renderList } from './worker-list.ts';
import { renderPatrol } from './worker-patrol.ts';
import { clearStatus, showError, showStatus } from './worker-status.ts';
import './worker.css';

type View =
  | { kind: 'loading' }
  | { kind: 'signin' }
  | { kind: 'other' }
  | { kind: 'list' }
  | { kind: 'detail'; id: number }
  | { kind: 'patrol' };

let user: SessionUser | null = null;
let view: View = { kind: 'loading' };
let config: Promise<CaseConfig> | null = null;
const viewRoot = byId('view');
const back = byId<HTMLButtonElement>('back');
const signOut = byId<HTMLButtonElement>('sign-out');

/** The categories and handling ways, fetched once per sign-in. */
export function caseConfig(): Promise<CaseConfig> {
  config ??= caseApi.config();
  config.catch(() => (config = null));
  return config;
}

/** Show a view; a case or the patrol form gets a history entry, so the phone's back button returns to the list. */
export function go(next: View, push = true): void {
  if (push && (next.kind === 'detail' || next.kind === 'patrol')) history.pushState({ view: next.kind }, '');
  view = next;
  clearStatus();
  void render();
}

async function render(): Promise<void> {
  document.body.dataset.view = view.kind;
  document.body.dataset.ready = '0';
  back.hidden = view.kind !== 'detail' && view.kind !== 'patrol';
  signOut.hidden = !user;
  byId('worker-title').textContent = view.kind === 'list' ? t('worker.myCases') : t('worker.title');
  try {
    if (view.kind === 'signin') viewRoot.replaceChildren(signInForm());
    else if (view.kind === 'other') viewRoot.replaceChildren(otherRole());
    else if (view.kind === 'list')
      await renderList(viewRoot, { open: (id) => go({ kind: 'detail', id }), patrol: () => go({ kind: 'patrol' }) });
    else if (view.kind === 'detail') await renderDetail(viewRoot, view.id, caseConfig);
    else if (view.kind === 'patrol')
      await renderPatrol(viewRoot, caseConfig, {
        created: (ticket) => {
          history.replaceState(null, ''); // the form is done: back leaves the list, not into the form
          go({ kind: 'list' });
          showStatus(t('worker.patrolCreated', { ticket }));
        },
      });
  } catch (error) {
    if (error instanceof ApiRequestError && error.status === 401) {
      user = null;
      go({ kind: 'signin' });
      return;
    }
    showError(t('case.loadFailed', { message: (error as Error).message }), () => void render());
  }
  document.body.dataset.ready = '1';
}

function signInForm(): HTMLElement {
  const username = h('input', { name: 'username', autocomplete: 'username', required: true, autocapitalize: 'off' });
  const password = h('input', { name: 'password', type: 'password', autocomplete: 'current-password', required: true });
  const submit = h('button', { type: 'submit', class: 'big primary' }, t('auth.submit'));
  const form = h(
    'form',
    { class: 'sign-in', id: 'sign-in' },
    h('h2', {}, t('worker.signIn')),
    h('label', {}, t('auth.username'), username),
    h('label', {}, t('auth.password'), password),
    submit,
    h('p', { class: 'muted small' }, t('worker.signInHint')),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit.disabled = true;
    api
      .login(username.value.trim(), password.value)
      .then((answer) => signedIn(answer.user))
      .catch((error: Error) => showError(t('auth.failed', { message: error.message })))
      .finally(() => (submit.disabled = false));
  });
  return form;
}

function signedIn(next: SessionUser | null): void {
  user = next;
  config = null;
  if (!user) return go({ kind: 'signin' });
  // The page is for grid workers; anyone else is sent to the main app (their queue is there).
  if (user.role !== 'worker') return go({ kind: 'other' });
  go({ kind: 'list' });
}

function otherRole(): HTMLElement {
  return h(
    'div',
    { class: 'other-role' },
    h('p', {}, t('worker.notWorker', { role: t(`auth.role.${user?.role ?? 'planner'}` as MessageKey) })),
    h('a', { href: './', class: 'big primary', id: 'main-app' }, t('worker.mainApp')),
  );
}

function wireHeader(): void {
  back.addEventListener('click', () => {
    if ((history.state as { view?: string } | null)?.view) history.back();
    else go({ kind: 'list' });
  });
  window.addEventListener('popstate', () => {
    if (view.kind === 'detail' || view.kind === 'patrol') go({ kind: 'list' }, false);
  });
  signOut.addEventListener('click', () => {
    void api
      .logout()
      .catch(() => undefined)
      .then(() => signedIn(null));
  });
  const langSwitch = byId('lang-switch');
  langSwitch.addEventListener('click', () => setLang(lang() === 'zh' ? 'en' : 'zh'));
  onLangChange(() => {
    langSwitch.textContent = t('lang.switch');
    signOut.textContent = t('worker.signOut');
    back.title = t('case.back');
    document.title = `${t('worker.title')} · ${t('worker.subtitle')}`;
    if (view.kind !== 'loading') void render();
  });
}

async function main(): Promise<void> {
  wireHeader();
  try {
    signedIn((await api.session()).user);
  } catch {
    signedIn(null);
  }
}

void main();
