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

/** Fill, outline(s), community outlines, labels; `byStatus`: one outline per status (方案), else one (现状). */
export function proposalLayers(byStatus: boolean): LayerSpecification[] {
  const source = PROPOSAL_SOURCES.grids;
  const outlines: LayerSpecification[] = byStatus
    ? (Object.entries(STATUS_STYLE) as [ProposedGridStatus, (typeof STATUS_STYLE)[ProposedGridStatus]][]).map(
        ([status, style]) => ({
          id: `proposal-line-${status}`,
          type: 'line',
          source,
          filter: ['==', ['get', 'status'], status],
          layout: { 'line-join': 'round' },
          paint: {
            'line-color': style.color,
            'line-width': style.width,
            ...(style.dashed ? { 'line-dasharray': [2.5, 1.5] } : {}),
          },
        }),
      )
    : [
        {
          id: 'proposal-line',
          type: 'line',
          source,
          layout: { 'line-join': 'round' },
          paint: { 'line-color': STATUS_STYLE.unchanged.color, 'line-width': 1.2 },
        },
      ];
  // New and changed grids drawn last, so their outlines lie over their unchanged neighbours'.
  const order: string[] = ['unchanged', 'commercial', 'changed', 'new'];
  outlines.sort(
    (a, b) => order.indexOf(a.id.replace('proposal-line-', '')) - order.indexOf(b.id.replace('proposal-line-', '')),
  );
  return [
    {
      id: 'proposal-fill',
      type: 'fill',
      source,
      paint: { 'fill-color': bandColor, 'fill-opacity': 0.5 },
    },
    ...outlines,
    {
      id: 'proposal-community-line',
      type: 'line',
      source: PROPOSAL_SOURCES.communities,
      paint: { 'line-color': '#2b2b36', 'line-width': 2.2 },
    },
    {
      id: 'proposal-label',
      type: 'symbol',
      source,
      layout: {
        'text-field': ['get', 'label'],
        'text-size': 12,
        'text-max-width': 12,
        'text-padding': 2,
      },
      paint: { 'text-color': '#1f3650', 'text-halo-color': 'rgba(255,255,255,0.92)', 'text-halo-width': 1.6 },
    },
  ];
}
