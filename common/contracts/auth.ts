/** Sign-in: the login body and the session user. */
import { z } from 'zod';
import type { UserRole } from '../domain.ts';

/** The session cookie's name. */
export const SESSION_COOKIE = 'wangge_session';

export const LoginRequest = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const SessionUser = z
  .object({
    username: z.string(),
    display_name: z.string(),
    role: z.enum(['admin', 'editor', 'planner', 'worker', 'community', 'department'] satisfies UserRole[]),
    street_code: z.string().nullable(),
  })
  .meta({ id: 'SessionUser' });
export type SessionUser = z.infer<typeof SessionUser>;

export const SessionResponse = z
  .object({ user: SessionUser })
  .meta({ id: 'SessionResponse', description: 'The signed-in user' });
export type SessionResponse = z.infer<typeof SessionResponse>;

/** GET /api/auth/session: who is signed in, asked without failing (null: nobody). */
export const SessionState = z
  .object({ user: SessionUser.nullable() })
  .meta({ id: 'SessionState', description: 'The signed-in user, or null for an anonymous reader' });
export type SessionState = z.infer<typeof SessionState>;
