/**
 * What the coverage colours mean: one builder per view, used by the coverage panel and by the
 * sidebar's legend, so the legend beside the map always explains the colours on it.
 */
import { h } from '../dom.ts';
import { t } from '../i18n/index.ts';
import {
  ORG_HIGHLIGHT,
  PARTY_COLORS,
  REDUNDANT_COLOR,
  SHARE_STOPS,
  SUGGESTION_COLOR,
  UNREACHED_COLOR,
} from '../map/coverage-layers.ts';
import { swatch } from './coverage-common.ts';

/** 党组织覆盖: covered, uncovered, claimed twice, organisation outlines. */
export function partyLegend(attrs: Record<string, string> = {}): HTMLUListElement {
  return h(
    'ul',
    { class: 'legend coverage-legend', 'data-view': 'party', ...attrs },
    h('li', {}, swatch(PARTY_COLORS.covered), t('coverage.legend.covered')),
    h('li', {}, swatch(PARTY_COLORS.uncovered, 'hatched'), t('coverage.legend.uncovered')),
    h('li', {}, swatch(PARTY_COLORS.claimedTwice), t('coverage.legend.claimedTwice')),
    h('li', {}, h('span', { class: 'line-swatch org' }), t('coverage.legend.orgOutline')),
    h(
      'li',
      {},
      h('span', { class: 'line-swatch', style: `border-color:${ORG_HIGHLIGHT}` }),
      t('coverage.legend.orgSelected'),
    ),
  );
}

/** 3分钟工作圈 (and its suggestions): share reached per grid, unreached areas, stations. */
export function reachLegend(withSuggestions = false, attrs: Record<string, string> = {}): HTMLUListElement {
  const gradient = SHARE_STOPS.map(([stop, color]) => `${color} ${stop * 100}%`).join(', ');
  return h(
    'ul',
    { class: 'legend coverage-legend', 'data-view': 'reach', ...attrs },
    h(
      'li',
      {},
      h('span', { class: 'ramp', style: `background:linear-gradient(90deg, ${gradient})` }),
      t('coverage.legend.share'),
      h('span', { class: 'muted small' }, ' 0–100%'),
    ),
    h('li', {}, swatch(UNREACHED_COLOR, 'hatched'), t('coverage.legend.unreached')),
    h('li', {}, h('span', { class: 'dot', style: '--swatch:#1b5e20' }), t('coverage.legend.station')),
    h(
      'li',
      {},
      h('span', { class: 'dot redundant', style: `--swatch:${REDUNDANT_COLOR}` }),
      t('coverage.legend.redundant'),
    ),
    withSuggestions
      ? h('li', {}, h('span', { class: 'dot', style: `--swatch:${SUGGESTION_COLOR}` }), t('coverage.legend.suggestion'))
      : null,
  );
}
