/**
 * What the database layer knows about the HTTP request it is serving, without importing
 * Express: the connections the request holds (so a client that hangs up has its queries
 * cancelled) and an optional hook run at the start of its outermost write transaction (the
 * Idempotency-Key claim, written in the same transaction as the write).
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Kysely } from 'kysely';
import type { DB } from './schema.ts';

export interface WriteHook {
  /** Runs first inside the request's outermost transaction; may throw to refuse the write. */
  begin(trx: Kysely<DB>): Promise<void>;
  /** After that transaction committed (true) or rolled back (false). */
  settle(committed: boolean): void;
}

export interface RequestScope {
  /** Connections held now, each with a way to cancel what it runs. */
  connections: Map<object, () => Promise<void>>;
  write?: WriteHook;
}

const storage = new AsyncLocalStorage<RequestScope>();

export const currentScope = (): RequestScope | undefined => storage.getStore();

export function runInScope<T>(scope: RequestScope, fn: () => T): T {
  return storage.run(scope, fn);
}

/** Owner of each pooled connection while it is checked out (cleared on release). */
const owners = new WeakMap<object, RequestScope>();

/** Record that the current request holds `client`; `cancel` stops its running query. */
export function holdConnection(client: object, cancel: () => Promise<void>): void {
  const scope = storage.getStore();
  if (!scope) return;
  owners.set(client, scope);
  scope.connections.set(client, cancel);
}

export function releaseConnection(client: object): void {
  const scope = owners.get(client);
  owners.delete(client);
  scope?.connections.delete(client);
}

/** Cancel every query the request still runs (its client went away). */
export async function cancelScope(scope: RequestScope): Promise<number> {
  const pending = [...scope.connections].filter(([client]) => owners.get(client) === scope);
  await Promise.allSettled(pending.map(([, cancel]) => cancel()));
  return pending.length;
}
