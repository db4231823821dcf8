/**
 * What the public may not see (DESIGN.md: "The public sees no household counts and no
 * personal data"): anonymous requests get grids and regions with their household figures
 * blanked. Signed-in users (admin, editor, planner) get them unchanged.
 */
import type { Request } from 'express';
import type { HouseholdBand } from '../../common/rules/household-band.ts';

/** The household figures an anonymous reader gets in place of the real ones. */
const HIDDEN = { households: null, population: null, band: null } as const;

/**
 * A grid (list item or detail) as this request may see it: unchanged for a signed-in user,
 * `households`, `population` and `band` null for anyone else.
 */
export function gridForReader<
  P extends { households: number | null; population: number | null; band: HouseholdBand | null },
>(req: Request, properties: P): P {
  return req.user ? properties : { ...properties, ...HIDDEN };
}

/** A region as this request may see it: its household total null unless signed in. */
export function regionForReader<P extends { households: number | null }>(req: Request, properties: P): P {
  return req.user ? properties : { ...properties, households: null };
}
