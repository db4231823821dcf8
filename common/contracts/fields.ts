/** Field schemas many contracts share. */
import { z } from 'zod';

/** How many of something (grids, problems, buildings). */
export const count = z.number().int();

/** The code and name of a region, grid, station or organisation. */
export const named = { code: z.string(), name: z.string() };

/** A share from 0 to 1 (1 when there is nothing to reach or cover). */
export const share = z.number();
