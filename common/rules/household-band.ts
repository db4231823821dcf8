/**
 * The household band of a grid: the one rule that colours the map, the tiles, the draft layers
 * and the live preview, and that validation and publish apply (DOMAIN.md: a residential grid
 * holds 300–500 households; commercial grids are not bound by it). The bounds are set per
 * district (settings.household_bounds, GET/PUT /api/settings/household-bounds); every surface
 * looks them up here, so no copy of 300 or 500 drifts away from what the district decided.
 * Pure: no database, no DOM.
 */
import type { GridKind } from '../domain.ts';
import { districtOf } from './region-codes.ts';

/** Inclusive bounds: a grid with min ≤ households ≤ max is in the band. */
export interface HouseholdBounds {
  min: number;
  max: number;
}

/** The bounds a district has not set for itself. */
export const DEFAULT_HOUSEHOLD_BOUNDS: Readonly<HouseholdBounds> = Object.freeze({ min: 300, max: 500 });

/**
 * settings.household_bounds as stored: `{"default": {min, max}, "<12-digit district code>": {min, max}}`.
 * `default` may be missing in a damaged row; `boundsFor` then falls back to DEFAULT_HOUSEHOLD_BOUNDS.
 */
export type HouseholdBoundsSetting = Record<string, HouseholdBounds>;

/** How the map colours a grid: below, within or above the band, or not bound by it (legend order). */
export const HOUSEHOLD_BANDS = ['low', 'ok', 'high', 'commercial'] as const;
export type HouseholdBand = (typeof HOUSEHOLD_BANDS)[number];

/** Where a household count falls against the bounds (kind aside). */
export function bandOf(households: number, bounds: HouseholdBounds): 'low' | 'ok' | 'high' {
  if (households < bounds.min) return 'low';
  if (households > bounds.max) return 'high';
  return 'ok';
}

/** A grid's band: commercial grids are outside the rule, every other kind is judged by its households. */
export function householdBand(
  kind: GridKind | string,
  households: number,
  bounds: HouseholdBounds = DEFAULT_HOUSEHOLD_BOUNDS,
): HouseholdBand {
  return kind === 'commercial' ? 'commercial' : bandOf(households, bounds);
}

/** True when the rule flags the grid (a residential or mixed grid outside its bounds). */
export function outOfBand(kind: GridKind | string, households: number, bounds: HouseholdBounds): boolean {
  const band = householdBand(kind, households, bounds);
  return band === 'low' || band === 'high';
}

/** The bounds that apply to a region or grid: its district's entry (keyed by districtOf), else the default. */
export function boundsFor(setting: HouseholdBoundsSetting, code: string | null | undefined): HouseholdBounds {
  // A code without a district's 6 digits has no entry of its own: the default applies.
  const own = code && /^[0-9]{6}/.test(code) ? setting[districtOf(code)] : undefined;
  return own ?? setting.default ?? DEFAULT_HOUSEHOLD_BOUNDS;
}

/** The answer of GET /api/settings/household-bounds, in the shape the client reads. */
export interface HouseholdBoundsList {
  default: HouseholdBounds;
  /** Every district, with its effective bounds; `custom` when it has its own entry. */
  districts: { district: string; name: string; min: number; max: number; custom: boolean }[];
}

/** The setting back from the list (what the client looks bounds up in). */
export function settingOf(list: HouseholdBoundsList): HouseholdBoundsSetting {
  const setting: HouseholdBoundsSetting = { default: list.default };
  for (const d of list.districts) if (d.custom) setting[d.district] = { min: d.min, max: d.max };
  return setting;
}
