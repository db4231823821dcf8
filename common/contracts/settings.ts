/**
 * Request and response of /api/settings/household-bounds, declared once in zod: the server
 * validates with them, the OpenAPI document is generated from them, the types are inferred.
 */
import { z } from 'zod';
import type { HouseholdBoundsList } from '../rules/household-band.ts';

/** Far above any real grid (a grid is a few hundred households); keeps a typo from looking valid. */
export const MAX_HOUSEHOLD_BOUND = 100_000;

const bound = z
  .number({ error: 'must be a number' })
  .int('must be a whole number of households')
  .min(0, 'must not be negative')
  .max(MAX_HOUSEHOLD_BOUND, `must be at most ${MAX_HOUSEHOLD_BOUND}`);

const bounds = z.object({ min: bound, max: bound });

/** PUT body: one district's bounds (admins). */
export const HouseholdBoundsPut = z
  .object({
    district: z.string().regex(/^[0-9]{6}000000$/, 'must be a 12-digit district code (6 digits, then 000000)'),
    min: bound,
    max: bound,
  })
  .strict()
  .refine((b) => b.min < b.max, { path: ['min'], message: 'must be less than max' });
export type HouseholdBoundsPut = z.infer<typeof HouseholdBoundsPut>;

/** GET and PUT answer: the default and every district's effective bounds. */
export const HouseholdBoundsListSchema = z
  .object({
    default: bounds,
    districts: z.array(
      z.object({ district: z.string(), name: z.string(), min: bound, max: bound, custom: z.boolean() }),
    ),
  })
  .meta({ id: 'HouseholdBoundsList', description: "The default and every district's effective household bounds" });

// The hand-written interface in household-band.ts (pure, no zod for the client) must match.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : never) : never;
const _same: Same<z.infer<typeof HouseholdBoundsListSchema>, HouseholdBoundsList> = true;
void _same;
