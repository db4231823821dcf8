import { createHash, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { SessionUser } from '../../common/api.ts';

export const SESSION_DAYS = 7;

/** Only a hash of the token is stored, so a leaked table does not leak sessions. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('base64url');

export async function findUserForLogin(db: Kysely<DB>, username: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'display_name', 'role', 'street_code', 'password_hash'])
    .where('username', '=', username)
    .executeTakeFirst();
}

export async function createSession(db: Kysely<DB>, userId: number): Promise<{ token: string; expires: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(Date.now() + SESSION_DAYS * 86_400_000);
  await db.insertInto('sessions').values({ token_hash: hashToken(token), user_id: userId, expires_at: expires }).execute();
  return { token, expires };
}

export async function findSessionUser(db: Kysely<DB>, token: string): Promise<(SessionUser & { id: number }) | undefined> {
  return db
    .selectFrom('sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['u.id', 'u.username', 'u.display_name', 'u.role', 'u.street_code'])
    .where('s.token_hash', '=', hashToken(token))
    .where('s.expires_at', '>', new Date())
    .executeTakeFirst();
}

export async function deleteSession(db: Kysely<DB>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', hashToken(token)).execute();
}
