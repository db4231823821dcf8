/** The status line of the sheet: progress, and failures in plain words with a retry. */
import { byId } from '../dom.ts';
import { FindError } from './find-api.ts';
import { t, type FindKey } from './find-i18n.ts';

export function setStatus(
  key: FindKey | null,
  params: Record<string, string> = {},
  isError = false,
  retry?: () => void,
): void {
  const statusLine = byId('status');
  statusLine.replaceChildren();
  statusLine.className = `status${isError ? ' error' : ''}`;
  if (!key) return;
  statusLine.append(t(key, params));
  if (retry) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'retry';
    button.textContent = t('retry');
    button.addEventListener('click', retry);
    statusLine.append(' ', button);
  }
}

/** `notFoundKey`: what to say for a 404 (a station link by default, a grid's QR code for ?grid=). */
export function showFailure(error: unknown, retry?: () => void, notFoundKey: FindKey = 'notFound'): void {
  if (error instanceof DOMException && error.name === 'AbortError') return;
  const kind = error instanceof FindError ? error.kind : 'server';
  const key: FindKey =
    kind === 'rate'
      ? 'rateLimited'
      : kind === 'network'
        ? 'network'
        : kind === 'notFound'
          ? notFoundKey
          : kind === 'bad'
            ? 'badRequest'
            : 'server';
  setStatus(
    key,
    { detail: error instanceof Error ? error.message : '' },
    true,
    kind === 'bad' || kind === 'notFound' ? undefined : retry,
  );
}
