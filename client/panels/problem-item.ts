/** One problem in the validation list: which grids, how big, how many households. */
import type { ProblemFeature, ValidationReport } from '../../common/contracts/validation.ts';
import { h, named, namedList } from '../dom.ts';
import { formatNumber, lang, t, type MessageKey } from '../i18n/index.ts';
import { AREA_TYPES, formatArea } from '../problems.ts';

export type GridName = (code: string) => string | undefined;

/**
 * "华苑社区 第3网格 ↔ 第5网格": grid names repeat from one community to the next. Names come
 * with the report (grid_names); the map's grids stand in for an older answer. Codes on hover.
 */
function gridsLabel(problem: ProblemFeature, report: ValidationReport, gridName: GridName): HTMLElement {
  const { grids, grid_names, type, community_code } = problem.properties;
  const community = report.communities.find((c) => c.code === community_code)?.name;
  return h(
    'span',
    { class: 'problem-grids' },
    community ? named(community, community_code, 'hover', { class: 'named problem-community' }) : null,
    ...(grids.length
      ? namedList(grids, grid_names ?? gridName, type === 'overlap' ? ' ↔ ' : ' · ')
      : [t('validation.noGrid')]),
  );
}

const num = (value: unknown): number | null => (typeof value === 'number' && Number.isFinite(value) ? value : null);

/** The second line: area, households, and what is special about this type. */
function facts(problem: ProblemFeature, report: ValidationReport): string[] {
  const p = problem.properties;
  const out: string[] = [];
  if (p.type === 'sliver') {
    const of = p.detail.of;
    if (of === 'gap' || of === 'overlap') out.push(t(`validation.of.${of}`));
  }
  if (p.areaM2 !== null) out.push(t('validation.area', { value: formatArea(p.areaM2, lang()) }));
  const width = num(p.detail.widthM);
  if (p.type === 'sliver' && width !== null) out.push(t('validation.width', { value: formatNumber(width, 2) }));
  const share = num(p.detail.share);
  if (p.type === 'outside' && share !== null) {
    out.push(t('validation.share', { percent: formatNumber(share <= 1 ? share * 100 : share, 1) }));
  }
  if (p.type === 'households' && p.households !== null) {
    const min = num(p.detail.min) ?? report.householdBounds.min;
    const max = num(p.detail.max) ?? report.householdBounds.max;
    out.push(t('validation.gridHouseholds', { count: formatNumber(p.households), min, max }));
  } else if (AREA_TYPES.has(p.type) && p.households !== null) {
    out.push(t('validation.households', { count: formatNumber(p.households) }));
    if (p.buildings) out.push(t('validation.buildings', { count: formatNumber(p.buildings) }));
  }
  const parts = num(p.detail.parts);
  if (p.type === 'multipart' && parts !== null) out.push(t('validation.parts', { count: parts }));
  if (p.type === 'invalid' && typeof p.detail.reason === 'string') out.push(p.detail.reason);
  return out;
}

/** A list entry: a button that zooms the map to the problem. */
export function problemItem(
  problem: ProblemFeature,
  report: ValidationReport,
  gridName: GridName,
  selected: boolean,
): HTMLLIElement {
  const p = problem.properties;
  const button = h(
    'button',
    {
      type: 'button',
      class: selected ? 'problem selected' : 'problem',
      'data-problem-id': p.id,
      'data-type': p.type,
      title: t('validation.zoomTo'),
    },
    gridsLabel(problem, report, gridName),
    h('span', { class: 'problem-facts' }, facts(problem, report).join(' · ')),
  );
  return h('li', {}, button);
}

export function typeLabel(type: ProblemFeature['properties']['type']): string {
  return t(`validation.type.${type}` as MessageKey);
}
