/**
 * What a request may see, by the one rule of common/rules/public-fields.ts: signed-in users
 * (admin, editor, planner) get everything; anonymous readers get what a grid board
 * (公示牌) shows and nothing else.
 */
import type { Request } from 'express';
import { forAudience, workersFor, type Audience, type WorkerRecord } from '../../common/rules/public-fields.ts';
import type { GridDetailProperties } from '../../common/contracts/grids.ts';

export const audienceOf = (req: Request): Audience => (req.user ? 'staff' : 'public');

/** A grid, region or party organisation (any record) with its private fields null for anonymous readers. */
export function forReader<P extends object>(req: Request, properties: P): P {
  // forAudience only widens private fields to nullable; the contracts declare them nullable.
  return forAudience(audienceOf(req), properties) as P;
}

export const gridForReader = forReader;
export const regionForReader = forReader;

/** A grid's detail: private figures blanked, secretaries and workers as the audience may see them. */
export function gridDetailForReader(
  req: Request,
  properties: Omit<GridDetailProperties, 'workers'> & { workers: WorkerRecord[] },
): GridDetailProperties {
  const audience = audienceOf(req);
  return {
    ...forReader(req, properties),
    party: properties.party.map((o) => forReader(req, o)),
    workers: workersFor(audience, properties.workers),
  };
}
