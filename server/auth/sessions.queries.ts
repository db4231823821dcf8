/**
 * Sessions live in the database (the API is stateless), keyed by a SHA-256 of the token so a
 * leaked table does not leak sessions. A session ends at the earlier of an absolute lifetime
 * after sign-in and an idle timeout after its last request (sliding expiry): `expires_at`
 * holds that moment and is pushed forward as the session is used, at most once a minute so
 * that reads do not each become a write.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { SessionUser } from '../../common/contracts/auth.ts';

/** How long a session lives: hours after sign-in, minutes without a request (0 = no idle timeout). */
export interface SessionLifetime {
  sessionHours: number;
  sessionIdleMinutes: number;
}

/** Only a hash of the token is stored, so a leaked table does not leak sessions. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

/** Pushing expires_at forward by less than this is not worth a write. */
const SLIDE_STEP_MS = 60_000;

/** When a session used at `now` ends: the idle deadline, capped by the absolute one. */
export function sessionExpiry(createdAt: Date, now: Date, lifetime: SessionLifetime): Date {
  const absolute = createdAt.getTime() + lifetime.sessionHours * 3_600_000;
  const idle = lifetime.sessionIdleMinutes > 0 ? now.getTime() + lifetime.sessionIdleMinutes * 60_000 : Infinity;
  return new Date(Math.min(absolute, idle));
}

export async function findUserForLogin(db: Kysely<DB>, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'street_code', 'password_hash'])
    .where('username', '=', username)
    .executeTakeFirst();
}

/** A new session for the user; the user's own expired sessions are cleared on the way. */
export async function createSession(
  db: Kysely<DB>,
  userId: number,
  lifetime: SessionLifetime,
): Promise<{ token: string; expires: Date }> {
  const token = randomBytes(32).toString('base64url');
  const now = new Date();
  const expires = sessionExpiry(now, now, lifetime);
  await db.deleteFrom('sessions').where('user_id', '=', userId).where('expires_at', '<=', now).execute();
  await db
    .insertInto('sessions')
    .values({ token_hash: hashToken(token), user_id: userId, created_at: now, expires_at: expires })
    .execute();
  // The cookie lasts the absolute lifetime; the idle timeout is the server's to enforce.
  return { token, expires: new Date(now.getTime() + lifetime.sessionHours * 3_600_000) };
}

export type SessionLookup = { status: 'live'; user: SessionUser & { id: number } } | { status: 'expired' | 'unknown' };

/**
 * The user of a live session, sliding its expiry forward; an expired session is deleted and
 * reported as such (the caller answers 401 and clears the cookie).
 */
export async function findSessionUser(
  db: Kysely<DB>,
  token: string,
  lifetime: SessionLifetime,
): Promise<SessionLookup> {
  const tokenHash = hashToken(token);
  const row = await db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.role', 'u.street_code', 's.created_at', 's.expires_at'])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();
  if (!row) return { status: 'unknown' };
  const now = new Date();
  const expiresAt = new Date(row.expires_at as Date);
  if (expiresAt <= now) {
    await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    return { status: 'expired' };
  }
  const next = sessionExpiry(new Date(row.created_at as Date), now, lifetime);
  // A shorter configured lifetime applies to existing sessions too; a longer one only after sliding.
  if (next <= now) {
    await db.deleteFrom('sessions').where('token_hash', '=', tokenHash).execute();
    return { status: 'expired' };
  }
  if (Math.abs(next.getTime() - expiresAt.getTime()) >= SLIDE_STEP_MS) {
    await db.updateTable('sessions').set({ expires_at: next }).where('token_hash', '=', tokenHash).execute();
  }
  const { created_at: _c, expires_at: _e, ...user } = row;
  return { status: 'live', user };
}

export async function deleteSession(db: Kysely<DB>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}

/** Store a user's new password hash (a rehash at login with the current parameters). */
export async function setPasswordHash(db: Kysely<DB>, userId: number, passwordHash: string): Promise<void> {
  await db.updateTable('users').set({ password_hash: passwordHash }).where('id', '=', userId).execute();
}
