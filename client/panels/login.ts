/** Sign-in button, dialog and the signed-in user's name in the header. */
import type { SessionUser } from '../../common/contracts/auth.ts';
import { api } from '../api.ts';
import { h } from '../dom.ts';
import { onLangChange, t, type MessageKey } from '../i18n/index.ts';

export class LoginPanel {
  private user: SessionUser | null = null;
  /** Demo mode: the dialog names the demo accounts. */
  private demo = false;
  private error = '';
  private readonly dialog = h('dialog', { class: 'login-dialog', id: 'login-dialog' });

  constructor(
    private readonly container: HTMLElement,
    private readonly onChange: (user: SessionUser | null) => void = () => {},
  ) {
    document.body.append(this.dialog);
    onLangChange(() => this.render());
  }

  setDemo(demo: boolean): void {
    this.demo = demo;
    this.renderDialog();
  }

  /** Ask the server who is signed in (`user: null`: nobody). */
  async refresh(): Promise<void> {
    try {
      this.user = (await api.session()).user;
    } catch {
      this.user = null; // the server is unreachable: show the page as anonymous
    }
    this.onChange(this.user);
    this.render();
  }

  private render(): void {
    if (this.user) {
      const role = t(`auth.role.${this.user.role}` as MessageKey);
      const logout = h('button', { type: 'button', class: 'header-button', id: 'logout-button' }, t('auth.logout'));
      logout.addEventListener('click', () => void this.logout());
      this.container.replaceChildren(
        h(
          'span',
          { class: 'user', id: 'current-user' },
          this.user.display_name,
          ' ',
          role === this.user.display_name ? null : h('span', { class: 'tag' }, role),
        ),
        logout,
      );
    } else {
      const login = h('button', { type: 'button', class: 'header-button', id: 'login-button' }, t('auth.login'));
      login.addEventListener('click', () => this.open());
      this.container.replaceChildren(login);
    }
    this.renderDialog();
  }

  private renderDialog(): void {
    const username = h('input', { name: 'username', autocomplete: 'username', required: true });
    const password = h('input', {
      name: 'password',
      type: 'password',
      autocomplete: 'current-password',
      required: true,
    });
    const cancel = h('button', { type: 'button', class: 'secondary' }, t('auth.cancel'));
    cancel.addEventListener('click', () => this.dialog.close());
    const form = h(
      'form',
      { method: 'dialog' },
      h('h2', {}, t('auth.login')),
      h('label', {}, t('auth.username'), username),
      h('label', {}, t('auth.password'), password),
      this.error ? h('p', { class: 'error' }, this.error) : null,
      this.demo ? h('p', { class: 'muted small' }, t('auth.demoHint')) : null,
      h('div', { class: 'dialog-actions' }, cancel, h('button', { type: 'submit' }, t('auth.submit'))),
    );
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.login(username.value.trim(), password.value);
    });
    this.dialog.replaceChildren(form);
  }

  private open(): void {
    this.error = '';
    this.renderDialog();
    this.dialog.showModal();
  }

  private async login(username: string, password: string): Promise<void> {
    try {
      this.user = (await api.login(username, password)).user;
      this.error = '';
      this.dialog.close();
      this.onChange(this.user);
    } catch (error) {
      this.error = t('auth.failed', { message: (error as Error).message });
    }
    this.render();
    if (this.error && !this.dialog.open) this.dialog.showModal();
  }

  private async logout(): Promise<void> {
    try {
      await api.logout();
    } finally {
      this.user = null;
      this.onChange(null);
      this.render();
    }
  }
}
