/**
 * The layers of the two 智能划格 maps: grids filled by household band (the main map's colours),
 * outlined by their status on the 方案 side (unchanged thin grey, 调整 dashed blue, 新增 solid
 * blue, 商业 purple), labelled with their name and households; the scope's community outlines
 * over them. Pure data, like ../map/layers.ts: no map instance here.
 */
import type { LayerSpecification } from 'maplibre-gl';
import type { ProposedGridStatus } from '../../common/contracts/proposals.ts';
import { BAND_COLORS, NEUTRAL_GRID_COLOR } from '../map/layers.ts';
import { STATUS_STYLE } from './proposal-logic.ts';

export const PROPOSAL_SOURCES = { grids: 'proposal-grids', communities: 'proposal-communities' } as const;

const bandColor = [
  'match',
  ['get', 'band'],
  ...Object.entries(BAND_COLORS).flat(),
  NEUTRAL_GRID_COLOR,
] as unknown as string;

function outline(status: ProposedGridStatus): LayerSpecification {
  const style = STATUS_STYLE[status];
  return {
    id: `proposal-line-${status}`,
    type: 'line',
    source: PROPOSAL_SOURCES.grids,
    filter: ['==', ['get', 'status'], status],
    layout: { 'line-join': 'round' },
    paint: {
      'line-color': style.color,
      'line-width': style.width,
      ...(style.dashed ? { 'line-dasharray': [2.5, 1.5] } : {}),
    },
  };
}

/**
 * Fill, then (after the base roads, which the caller puts in between) the outlines, the
 * community outlines and the labels. `byStatus` (方案): one outline per status, 调整 and 新增
 * over the community outline so they show along it; 现状 has today's grids only (all unchanged).
 */
export function proposalLayers(byStatus: boolean): { fill: LayerSpecification; over: LayerSpecification[] } {
  const source = PROPOSAL_SOURCES.grids;
  return {
    fill: { id: 'proposal-fill', type: 'fill', source, paint: { 'fill-color': bandColor, 'fill-opacity': 0.5 } },
    over: [
      outline('unchanged'),
      ...(byStatus ? [outline('commercial')] : []),
      {
        id: 'proposal-community-line',
        type: 'line',
        source: PROPOSAL_SOURCES.communities,
        paint: { 'line-color': '#2b2b36', 'line-width': 2 },
      },
      ...(byStatus ? [outline('changed'), outline('new')] : []),
      {
        id: 'proposal-label',
        type: 'symbol',
        source,
        layout: { 'text-field': ['get', 'label'], 'text-size': 12, 'text-max-width': 12, 'text-padding': 2 },
        paint: { 'text-color': '#1f3650', 'text-halo-color': 'rgba(255,255,255,0.92)', 'text-halo-width': 1.6 },
      },
    ],
  };
}
