/** The header's language switch and the static strings of index.html. */
import { byId } from '../dom.ts';
import { lang, onLangChange, setLang, t, type MessageKey } from '../i18n/index.ts';

/** Static strings in index.html carry data-i18n / data-i18n-title keys. */
function translateStatic(): void {
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n]')) {
    element.textContent = t(element.dataset.i18n as MessageKey);
  }
  for (const element of document.querySelectorAll<HTMLElement>('[data-i18n-title]')) {
    element.title = t(element.dataset.i18nTitle as MessageKey);
  }
  document.title = t('app.title');
}

export function wireLanguageSwitch(): void {
  onLangChange(translateStatic);
  byId('lang-switch').addEventListener('click', () => setLang(lang() === 'zh' ? 'en' : 'zh'));
}
