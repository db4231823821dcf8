/**
 * Who may write what (enforced on the server for every write route): admins everything,
 * street editors their own street only, planners nothing, anonymous nothing.
 */
import type { Request } from 'express';
import type { SessionUser } from '../../common/contracts/auth.ts';
import { HttpError, unauthorized } from '../http/errors.ts';

export type AuthUser = SessionUser & { id: number };

export const forbidden = (message: string) => new HttpError(403, 'forbidden', message);

/** A signed-in user who may write (admin or editor). */
export function requireWriter(req: Request): AuthUser {
  if (!req.user) throw unauthorized();
  if (req.user.role === 'planner') throw forbidden('Planners can read everything but write nothing');
  if (req.user.role !== 'admin' && req.user.role !== 'editor') {
    throw forbidden('Only admins and street editors change grids, stations and party organisations');
  }
  return req.user;
}

/** The user may edit this street: an admin, or the editor of exactly this street. */
export function requireStreet(user: AuthUser, street: string): void {
  if (user.role === 'admin') return;
  if (user.role !== 'editor' || user.street_code !== street) {
    throw forbidden(`Your account edits street ${user.street_code ?? '(none)'}, not ${street}`);
  }
}

/** Any signed-in user (admin, editor or planner): what reads with household figures need. */
export function requireUser(req: Request): AuthUser {
  if (!req.user) throw unauthorized('Sign in to see household figures and coverage');
  return req.user;
}
