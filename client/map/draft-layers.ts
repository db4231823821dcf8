/**
 * How a draft is drawn over the published grids: new grids solid blue outline, changed grids
 * dashed blue, retired grids greyed and hatched; fills by household band as on the main map.
 * The grids picked for an edit get a magenta outline; a history entry shown on the map, its
 * before dashed and its after solid. Pure data: no map instance here.
 */
import type { FeatureCollection, Geometry, MultiPolygon } from 'geojson';
import type { LayerSpecification } from 'maplibre-gl';
import type { DraftGridProperties } from '../../common/contracts/drafts.ts';
import { householdBand, type HouseholdBounds } from '../../common/rules/household-band.ts';
import { BAND_COLORS, HATCH_IMAGE } from './layers.ts';

export const DRAFT_SOURCES = { grids: 'draft-grids', picked: 'edit-picked', history: 'edit-history' } as const;
export const DRAFT_LAYERS = {
  retired: 'draft-retired-fill',
  hatch: 'draft-retired-hatch',
  fill: 'draft-fill',
  line: 'draft-line',
  picked: 'edit-picked-line',
  historyBefore: 'edit-history-before',
  historyAfter: 'edit-history-after',
} as const;

export const DRAFT_COLORS = {
  edited: '#0b3d91',
  retired: '#6b6b6b',
  picked: '#d81b60',
  before: '#e65100',
  after: '#2e7d32',
} as const;

/**
 * Flat properties the draft layers read: code, state and band, the band by the bounds of the
 * grid's district (`boundsOf`, from the API; null while unknown: no band, drawn grey).
 */
export function toDraftFeatures(
  grids: FeatureCollection<MultiPolygon, DraftGridProperties> | null,
  boundsOf: (code: string) => HouseholdBounds | null,
): GeoJSON.FeatureCollection {
  return {
    type: 'FeatureCollection',
    features: (grids?.features ?? []).map((f) => {
      const bounds = boundsOf(f.properties.code);
      const band = bounds ? householdBand(f.properties.kind, f.properties.households, bounds) : null;
      return {
        type: 'Feature',
        geometry: f.geometry,
        properties: { code: f.properties.code, state: f.properties.state, band },
      };
    }),
  };
}

/** One changed grid of a history entry: its outline before and after (either may be absent). */
export interface HistoryGrid {
  code: string;
  before: { geometry?: Geometry | null } | null;
  after: { geometry?: Geometry | null } | null;
}

/** The before and after outlines of a history entry's grids, tagged by `phase`. */
export function historyFeatures(grids: readonly HistoryGrid[]): GeoJSON.FeatureCollection {
  const features: GeoJSON.Feature[] = [];
  for (const grid of grids) {
    for (const phase of ['before', 'after'] as const) {
      const geometry = grid[phase]?.geometry;
      if (geometry) features.push({ type: 'Feature', geometry, properties: { code: grid.code, phase } });
    }
  }
  return { type: 'FeatureCollection', features };
}

const isState = (state: string) => ['==', ['get', 'state'], state] as never;
const bandColor = ['match', ['get', 'band'], ...Object.entries(BAND_COLORS).flat(), '#cccccc'] as never;

/** Draft layers, bottom to top; they go over the published grids and under the problems. */
export function draftLayers(): LayerSpecification[] {
  return [
    // Retired grids first: the grids that replace them are drawn over them.
    {
      id: DRAFT_LAYERS.retired,
      type: 'fill',
      source: DRAFT_SOURCES.grids,
      filter: isState('retired'),
      paint: { 'fill-color': '#d9d9d9', 'fill-opacity': 0.85 },
    },
    {
      id: DRAFT_LAYERS.hatch,
      type: 'fill',
      source: DRAFT_SOURCES.grids,
      filter: isState('retired'),
      paint: { 'fill-pattern': HATCH_IMAGE },
    },
    {
      id: DRAFT_LAYERS.fill,
      type: 'fill',
      source: DRAFT_SOURCES.grids,
      filter: ['!', isState('retired')] as never,
      paint: { 'fill-color': bandColor, 'fill-opacity': 1 },
    },
    {
      id: DRAFT_LAYERS.line,
      type: 'line',
      source: DRAFT_SOURCES.grids,
      filter: ['!', isState('changed')] as never,
      paint: {
        'line-color': ['case', isState('retired'), DRAFT_COLORS.retired, DRAFT_COLORS.edited] as never,
        'line-width': 2.5,
      },
    },
    {
      id: `${DRAFT_LAYERS.line}-changed`,
      type: 'line',
      source: DRAFT_SOURCES.grids,
      filter: isState('changed'),
      paint: { 'line-color': DRAFT_COLORS.edited, 'line-width': 2.5, 'line-dasharray': [2, 1] },
    },
    {
      id: DRAFT_LAYERS.picked,
      type: 'line',
      source: DRAFT_SOURCES.picked,
      paint: { 'line-color': DRAFT_COLORS.picked, 'line-width': 4 },
    },
    {
      id: DRAFT_LAYERS.historyBefore,
      type: 'line',
      source: DRAFT_SOURCES.history,
      filter: ['==', ['get', 'phase'], 'before'] as never,
      paint: { 'line-color': DRAFT_COLORS.before, 'line-width': 3, 'line-dasharray': [2, 1.5] },
    },
    {
      id: DRAFT_LAYERS.historyAfter,
      type: 'line',
      source: DRAFT_SOURCES.history,
      filter: ['==', ['get', 'phase'], 'after'] as never,
      paint: { 'line-color': DRAFT_COLORS.after, 'line-width': 2.5 },
    },
  ];
}
