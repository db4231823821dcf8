/** UI language: Chinese by default, English on request, remembered in localStorage. */
import { en } from './en.ts';
import { zh, type MessageKey, type Messages } from './zh.ts';

export type Lang = 'zh' | 'en';
export type { MessageKey };

const STORAGE_KEY = 'wangge.lang';
const catalogs: Record<Lang, Messages> = { zh, en };
const listeners = new Set<(lang: Lang) => void>();

function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

let current: Lang = storedLang();
document.documentElement.lang = current === 'zh' ? 'zh-CN' : 'en';

export function lang(): Lang {
  return current;
}

/** Look up a string and fill `{name}` placeholders. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = catalogs[current][key];
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    // Private mode: the choice lasts for this page only.
  }
  document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
  for (const listener of listeners) listener(next);
}

/** Call `listener` now and on every language change. */
export function onLangChange(listener: (lang: Lang) => void): void {
  listeners.add(listener);
  listener(current);
}

/** Locale-aware number formatting (thousands separators). */
export function formatNumber(value: number, maximumFractionDigits = 0): string {
  return new Intl.NumberFormat(current === 'zh' ? 'zh-CN' : 'en-GB', { maximumFractionDigits }).format(value);
}
