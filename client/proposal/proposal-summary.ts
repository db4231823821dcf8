/**
 * The column beside the two maps: the summary (现状 beside 方案 where today has the figure),
 * the cases where the band cannot be met (the server's own words), and the legend of bands and
 * statuses. Rendering only; the figures come from ./proposal-logic.ts.
 */
import type { Proposal, ProposedGridStatus } from '../../common/contracts/proposals.ts';
import { HOUSEHOLD_BANDS, type HouseholdBounds } from '../../common/rules/household-band.ts';
import { h } from '../dom.ts';
import { bandLabel } from '../household-bounds.ts';
import { formatNumber, lang, t, type MessageKey } from '../i18n/index.ts';
import { BAND_COLORS } from '../map/layers.ts';
import { STATUS_STYLE, summaryRows, type GridStats } from './proposal-logic.ts';

const STATUSES: ProposedGridStatus[] = ['unchanged', 'changed', 'new', 'commercial'];

/** 网格数 … 变动户数, two columns: 现状 (where known) and 方案. */
export function summaryTable(proposal: Proposal, today: GridStats | null) {
  const rows = summaryRows(proposal.summary, today, formatNumber);
  return h(
    'table',
    { class: 'proposal-table', id: 'proposal-summary-table' },
    h(
      'thead',
      {},
      h(
        'tr',
        {},
        h('th', {}),
        h('th', { scope: 'col' }, t('proposal.column.today')),
        h('th', { scope: 'col' }, t('proposal.column.proposed')),
      ),
    ),
    h(
      'tbody',
      {},
      ...rows.map((row) =>
        h(
          'tr',
          { 'data-row': row.key, 'data-tone': row.tone ?? undefined },
          h('th', { scope: 'row' }, t(`proposal.row.${row.key}` as MessageKey)),
          h('td', { class: 'today' }, row.today ?? '—'),
          h('td', { class: 'proposed' }, row.proposed),
        ),
      ),
    ),
  );
}

/** The problems as the server words them (Chinese first; English when the page is). */
export function problemsList(proposal: Proposal) {
  if (!proposal.problems.length)
    return h('p', { class: 'small ok-text proposal-no-problems' }, t('proposal.noProblems'));
  return h(
    'section',
    { class: 'proposal-problems' },
    h('h3', {}, t('proposal.problems')),
    h(
      'ul',
      { class: 'small' },
      ...proposal.problems.map((p) =>
        h(
          'li',
          { 'data-kind': p.kind, 'data-community': p.community_code },
          lang() === 'en' ? p.message_en : p.message,
        ),
      ),
    ),
  );
}

/** Bands (both maps) and statuses (方案): the same colours and outlines the maps draw. */
export function proposalLegend(bounds: HouseholdBounds | null) {
  return h(
    'div',
    { class: 'proposal-legend' },
    h('h3', {}, t('legend.bands')),
    h(
      'ul',
      { class: 'legend', id: 'proposal-band-legend' },
      ...HOUSEHOLD_BANDS.map((band) =>
        h(
          'li',
          { 'data-band': band },
          h('span', { class: 'swatch', style: `--swatch:${BAND_COLORS[band]}` }),
          bandLabel(band, bounds),
        ),
      ),
    ),
    h('h3', {}, t('proposal.status.title')),
    h(
      'ul',
      { class: 'legend', id: 'proposal-status-legend' },
      ...STATUSES.map((status) => {
        const style = STATUS_STYLE[status];
        return h(
          'li',
          { 'data-status': status },
          h('span', {
            class: 'status-swatch',
            style: `--outline:${style.color};--outline-width:${Math.max(1, Math.round(style.width))}px;--outline-style:${style.dashed ? 'dashed' : 'solid'}`,
          }),
          t(`proposal.status.${status}`),
        );
      }),
    ),
  );
}
