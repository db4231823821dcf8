/** The Idempotency-Key store (idempotency.ts): keys belong to a user and last KEY_LIFETIME_HOURS. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

export const KEY_LIFETIME_HOURS = 24;

export interface KeyRow {
  fingerprint: string;
  response_status: number | null;
  response_body: unknown;
}

/** What the key was claimed for. */
export interface KeyedRequest {
  fingerprint: string;
  method: string;
  path: string;
}

/** The user's live (unexpired) key, if any. */
export async function findKey(db: Kysely<DB>, userId: number, key: string): Promise<KeyRow | undefined> {
  const { rows } = await sql<KeyRow>`
    SELECT fingerprint, response_status, response_body FROM idempotency_keys
    WHERE user_id = ${userId} AND key = ${key} AND created_at > now() - make_interval(hours => ${KEY_LIFETIME_HOURS})`.execute(
    db,
  );
  return rows[0];
}

/** Forget the key if it has expired, so it can be claimed again. */
export async function dropExpiredKey(trx: Kysely<DB>, userId: number, key: string): Promise<void> {
  await sql`DELETE FROM idempotency_keys WHERE user_id = ${userId} AND key = ${key}
            AND created_at <= now() - make_interval(hours => ${KEY_LIFETIME_HOURS})`.execute(trx);
}

/** Insert the key's row; false when it is taken (a concurrent claim is waited for by the unique index). */
export async function claimKey(trx: Kysely<DB>, userId: number, key: string, request: KeyedRequest): Promise<boolean> {
  const { rows } = await sql`
    INSERT INTO idempotency_keys (user_id, key, fingerprint, method, path)
    VALUES (${userId}, ${key}, ${request.fingerprint}, ${request.method}, ${request.path})
    ON CONFLICT DO NOTHING RETURNING 1 AS claimed`.execute(trx);
  return rows.length > 0;
}

/** Store the answer of a claimed key (`json`: the body as JSON text, or null). */
export async function recordAnswer(
  db: Kysely<DB>,
  userId: number,
  key: string,
  status: number,
  json: string | null,
): Promise<void> {
  await sql`UPDATE idempotency_keys SET response_status = ${status}, response_body = ${json}::jsonb
            WHERE user_id = ${userId} AND key = ${key}`.execute(db);
}

/** Record a key and its answer together, after a write that did not claim it first. */
export async function recordKeyAfterWrite(
  db: Kysely<DB>,
  userId: number,
  key: string,
  request: KeyedRequest,
  status: number,
  json: string | null,
): Promise<void> {
  await sql`INSERT INTO idempotency_keys (user_id, key, fingerprint, method, path, response_status, response_body)
            VALUES (${userId}, ${key}, ${request.fingerprint}, ${request.method}, ${request.path}, ${status}, ${json}::jsonb)
            ON CONFLICT DO NOTHING`.execute(db);
}
