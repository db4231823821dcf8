/** 历史: the street's changesets, newest first; a click shows one's before and after on the map. */
import { h } from '../dom.ts';
import { t } from '../i18n/index.ts';
import type { HistoryRow } from './editor-api.ts';
import { changesetTime } from './edit-logic.ts';
import { namesAndCodes } from './names.ts';

/** A history grid's name, from what it became or, when it was retired, what it was. */
function gridNamed(g: HistoryRow['grids'][number]): { code: string; name: string | null } {
  const snapshot = (g.after ?? g.before) as { name?: unknown } | null;
  return { code: g.code, name: typeof snapshot?.name === 'string' ? snapshot.name : null };
}

export function historyListOf(
  history: readonly HistoryRow[] | null,
  shown: number | null,
  show: (entry: HistoryRow | null) => void,
) {
  if (!history) return null;
  const items = history.map((entry) => {
    const undone = entry.undone_by !== null;
    const li = h(
      'li',
      {
        class: `history-entry${entry.changeset === shown ? ' shown' : ''}${undone ? ' undone' : ''}`,
        'data-changeset': entry.changeset,
        tabindex: 0,
      },
      h(
        'div',
        { class: 'history-head small' },
        h('span', { class: 'muted' }, changesetTime(entry.created_at)),
        ' ',
        h('strong', {}, t(`editor.op.${entry.operation}`)),
        ' ',
        h('span', { class: 'muted' }, entry.user),
        undone ? h('span', { class: 'muted' }, ` · ${t('editor.historyUndone')}`) : null,
      ),
      h('div', { class: 'small' }, entry.comment),
      h('div', { class: 'small muted history-grids' }, namesAndCodes(entry.grids.map(gridNamed))),
    );
    const toggle = () => show(entry.changeset === shown ? null : entry);
    li.addEventListener('click', toggle);
    li.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' || event.key === ' ') {
        event.preventDefault();
        toggle();
      }
    });
    return li;
  });
  return h(
    'div',
    { class: 'history' },
    h('h3', {}, t('editor.historyTitle')),
    items.length
      ? h('ol', { class: 'history-list' }, ...items)
      : h('p', { class: 'small muted' }, t('editor.historyEmpty')),
  );
}
