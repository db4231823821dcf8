/**
 * Cases on the map (issue 18): GET /api/cases/points?region=&from=&to= answers the cases of a
 * region and period as GeoJSON points for signed-in staff. No personal fields: the ticket, the
 * category, the state, whether it is overdue and its grid, nothing a reporter left.
 */
import { z } from 'zod';
import { CaseState } from './cases.ts';

/** How a point is coloured: still being worked on, past its due time, or finished. */
export const CASE_POINT_STATUSES = ['open', 'overdue', 'closed'] as const;
export type CasePointStatus = (typeof CASE_POINT_STATUSES)[number];

export const CasePointProperties = z.object({
  id: z.number().int(),
  ticket: z.string(),
  category: z.string(),
  categoryName: z.string(),
  state: CaseState,
  status: z.enum(CASE_POINT_STATUSES),
  overdue: z.boolean(),
  grid: z.string().nullable(),
});
export type CasePointProperties = z.infer<typeof CasePointProperties>;

export const CasePointCollection = z
  .object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        geometry: z.object({ type: z.literal('Point'), coordinates: z.tuple([z.number(), z.number()]) }),
        properties: CasePointProperties,
      }),
    ),
    /** More cases matched than one answer carries (CASE_POINTS_LIMIT): the newest are given. */
    truncated: z.boolean(),
  })
  .meta({ id: 'CasePointCollection' });
export type CasePointCollection = z.infer<typeof CasePointCollection>;
