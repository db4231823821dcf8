/**
 * The case dashboard's tables: one row per category, channel, region or grid worker with
 * 受理 / 办结 / the three rates / 超期. The league table sorts by any column (a click on its
 * header; again to reverse); rows show names, with the code on hover.
 */
import { h, named } from '../dom.ts';
import { formatNumber, lang, t, type MessageKey } from '../i18n/index.ts';
import { formatRate, sortRows, SORT_KEYS, type NamedCounts, type SortKey } from './case-stats-logic.ts';

const RATE_KEYS = new Set<SortKey>(['closureRate', 'onTimeRate', 'satisfactionRate']);
/** Each table's order, kept across re-renders (a new period, a language switch). */
const orders = new Map<string, { key: SortKey; descending: boolean }>();

function cell(row: NamedCounts, key: SortKey): HTMLTableCellElement {
  if (key === 'name') return h('td', {}, named(row.name, row.code));
  const value = row[key];
  const text = RATE_KEYS.has(key) ? formatRate(value, lang()) : formatNumber(value ?? 0);
  const bad = key === 'overdueNow' && (value ?? 0) > 0;
  return h('td', { class: `num${bad ? ' bad' : ''}`, 'data-key': key }, text);
}

export function countsTable(id: string, rows: readonly NamedCounts[], sortable: boolean): HTMLElement {
  const wrap = h('div', { class: 'table-wrap' });
  fillTable(wrap, id, rows, sortable);
  return wrap;
}

function fillTable(wrap: HTMLElement, id: string, rows: readonly NamedCounts[], sortable: boolean): void {
  const order = orders.get(id) ?? { key: sortable ? 'closureRate' : 'accepted', descending: true };
  const sorted = sortRows(rows, order.key, order.descending);
  const head = SORT_KEYS.map((key) => {
    const label = t(`caseStats.col.${key}` as MessageKey);
    if (!sortable) return h('th', { class: key === 'name' ? '' : 'num' }, label);
    const active = order.key === key;
    const button = h(
      'button',
      { type: 'button', class: 'link sort', 'data-sort': key, title: t('caseStats.sortTitle') },
      label,
      active ? (order.descending ? ' ▼' : ' ▲') : '',
    );
    button.addEventListener('click', () => {
      orders.set(id, { key, descending: active ? !order.descending : key !== 'name' });
      fillTable(wrap, id, rows, sortable);
    });
    return h(
      'th',
      {
        class: key === 'name' ? '' : 'num',
        'aria-sort': active ? (order.descending ? 'descending' : 'ascending') : undefined,
      },
      button,
    );
  });
  const body = sorted.map((row) => h('tr', { 'data-code': row.code }, ...SORT_KEYS.map((key) => cell(row, key))));
  wrap.replaceChildren(
    h(
      'table',
      { class: 'coverage-table case-table', id },
      h('thead', {}, h('tr', {}, ...head)),
      h(
        'tbody',
        {},
        ...(body.length > 0
          ? body
          : [h('tr', {}, h('td', { colspan: SORT_KEYS.length, class: 'muted' }, t('caseStats.none')))]),
      ),
    ),
  );
}
