/**
 * How cases are drawn: points coloured by open / overdue / closed, and grids coloured by
 * 办结率 (closure rate). Pure data: no map instance here.
 */
import type { ExpressionSpecification, LayerSpecification } from 'maplibre-gl';
import type { CaseStats } from '../../common/contracts/cases.ts';
import type { GridCollection } from '../../common/contracts/grids.ts';
import type { CasePointStatus } from '../../common/contracts/case-points.ts';

export const CASE_SOURCES = { points: 'case-points', rates: 'case-grid-rates' } as const;
export const CASE_LAYERS = { rateFill: 'case-rate-fill', rateLine: 'case-rate-line', points: 'case-points' } as const;

export const CASE_STATUS_COLORS: Record<CasePointStatus, string> = {
  open: '#1f78b4', // blue: being worked on
  overdue: '#d7191c', // red: past its due time
  closed: '#8c8c8c', // grey: finished
};

/**
 * 办结率 of a grid, red (80 % or less) through yellow to green (100 %): the demo district closes
 * about 98–99 %, so a linear 0–100 % ramp would paint every grid the same green.
 */
export const RATE_STOPS: readonly [number, string][] = [
  [0.8, '#d7191c'],
  [0.9, '#fdae61'],
  [0.95, '#ffffbf'],
  [1, '#1a9641'],
];

const statusColor = [
  'match',
  ['get', 'status'],
  'overdue',
  CASE_STATUS_COLORS.overdue,
  'closed',
  CASE_STATUS_COLORS.closed,
  CASE_STATUS_COLORS.open,
] as unknown as ExpressionSpecification;

const rateColor = [
  'interpolate',
  ['linear'],
  ['get', 'closureRate'],
  ...RATE_STOPS.flat(),
] as unknown as ExpressionSpecification;

/** The grids that had cases accepted in the period, each with its 办结率 (grids without any are left out). */
export function gridRateFeatures(grids: GridCollection | null, byGrid: CaseStats['byGrid']): GeoJSON.FeatureCollection {
  const rates = new Map(byGrid.filter((g) => g.closureRate !== null).map((g) => [g.code, g]));
  const features: GeoJSON.Feature[] = [];
  for (const grid of grids?.features ?? []) {
    const row = rates.get(grid.properties.code);
    if (!row) continue;
    features.push({
      type: 'Feature',
      geometry: grid.geometry,
      properties: { code: row.code, name: row.name, closureRate: row.closureRate, accepted: row.accepted },
    });
  }
  return { type: 'FeatureCollection', features };
}

const hidden = { visibility: 'none' } as const;

/** Case layers, bottom to top; hidden until switched on. */
export function caseLayers(): LayerSpecification[] {
  return [
    {
      id: CASE_LAYERS.rateFill,
      type: 'fill',
      source: CASE_SOURCES.rates,
      layout: hidden,
      paint: { 'fill-color': rateColor, 'fill-opacity': 0.75 },
    },
    {
      id: CASE_LAYERS.rateLine,
      type: 'line',
      source: CASE_SOURCES.rates,
      layout: hidden,
      paint: { 'line-color': '#5b5b5b', 'line-width': 0.5, 'line-opacity': 0.6 },
    },
    {
      id: CASE_LAYERS.points,
      type: 'circle',
      source: CASE_SOURCES.points,
      layout: { ...hidden, 'circle-sort-key': ['match', ['get', 'status'], 'overdue', 2, 'open', 1, 0] as never },
      paint: {
        'circle-color': statusColor,
        // Finished cases are the many: smaller and paler, so the open and overdue ones stand out.
        'circle-radius': [
          'interpolate',
          ['linear'],
          ['zoom'],
          11,
          ['match', ['get', 'status'], 'closed', 2.2, 3],
          15,
          ['match', ['get', 'status'], 'closed', 4, 7],
        ] as never,
        'circle-stroke-color': '#1b1b1b',
        'circle-stroke-width': ['match', ['get', 'status'], 'closed', 0, 1] as never,
        'circle-opacity': ['match', ['get', 'status'], 'closed', 0.65, 0.95] as never,
      },
    },
  ];
}
