/** The 3-minute tab's lists: unreached areas (most households first) and redundant stations. */
import type { StationReachReport, StationReachStation } from '../../common/contracts/station-reach.ts';
import { h, named } from '../dom.ts';
import { formatNumber, t } from '../i18n/index.ts';
import { unreachedList } from './coverage-logic.ts';

const LIST_LIMIT = 30;

export function unreachedSection(
  report: StationReachReport,
  selected: number | null,
  onPick: (index: number) => void,
): HTMLElement {
  const areas = unreachedList(report);
  // Pieces with no building are drawn on the map but not listed (common/rules/unreached-areas.ts).
  const empty = report.unreached.features.length - areas.length;
  const list = h(
    'ul',
    { class: 'coverage-list', id: 'reach-unreached' },
    ...areas.slice(0, LIST_LIMIT).map((area) => {
      const button = h(
        'button',
        {
          type: 'button',
          class: `coverage-item${area.index === selected ? ' selected' : ''}`,
          'data-index': area.index,
        },
        h(
          'span',
          { class: 'item-title' },
          t('coverage.reach.unreachedItem', {
            households: formatNumber(area.households),
            buildings: formatNumber(area.buildings),
            area: areaText(area.areaM2),
          }),
        ),
        h('span', { class: 'item-meta' }, named(area.community_name, area.community_code)),
      );
      button.addEventListener('click', () => onPick(area.index));
      return h('li', {}, button);
    }),
  );
  return h(
    'section',
    { class: 'coverage-section' },
    h(
      'h3',
      {},
      t('coverage.reach.unreached'),
      h('span', { class: 'severity-count', id: 'reach-unreached-count' }, formatNumber(areas.length)),
    ),
    areas.length ? list : h('p', { class: 'all-ok' }, '✓ ', t('coverage.reach.noUnreached')),
    areas.length > LIST_LIMIT
      ? h('p', { class: 'muted small' }, t('coverage.reach.more', { count: areas.length - LIST_LIMIT }))
      : null,
    empty > 0
      ? h(
          'p',
          { class: 'muted small', id: 'reach-unreached-empty' },
          t('coverage.reach.emptyAreas', { count: formatNumber(empty) }),
        )
      : null,
  );
}

export function redundantSection(
  report: StationReachReport,
  onPick: (station: StationReachStation) => void,
): HTMLElement {
  const stations = report.stations.filter((s) => report.redundant.includes(s.code));
  return h(
    'section',
    { class: 'coverage-section' },
    h('h3', {}, t('coverage.reach.redundant'), h('span', { class: 'severity-count' }, formatNumber(stations.length))),
    h('p', { class: 'muted small', id: 'reach-redundant-hint' }, t('coverage.reach.redundantHint')),
    stations.length
      ? h(
          'ul',
          { class: 'coverage-list', id: 'reach-redundant' },
          ...stations.map((s) => {
            const button = h(
              'button',
              { type: 'button', class: 'coverage-item', 'data-station': s.code },
              h('span', { class: 'item-title' }, s.name),
              h(
                'span',
                { class: 'item-meta' },
                t(`station.${s.kind}`),
                ' · ',
                t('coverage.reach.stationHouseholds', {
                  count: formatNumber(s.households),
                  only: formatNumber(s.householdsOnlyHere),
                }),
              ),
            );
            button.addEventListener('click', () => onPick(s));
            return h('li', {}, button);
          }),
        )
      : h('p', { class: 'muted small' }, t('coverage.reach.noRedundant')),
  );
}

export function areaText(m2: number): string {
  return m2 >= 10_000
    ? t('coverage.reach.areaHa', { value: formatNumber(m2 / 10_000, 1) })
    : t('coverage.reach.areaM2', { value: formatNumber(m2) });
}
