/**
 * What the public may see: the rule of a grid board (网格公示牌), in one place. Every surface
 * an anonymous reader reaches — /api/grids, /api/regions, /api/party-orgs, /api/stations,
 * /api/public (the finder), OGC API – Features, vector tiles and the printed boards — shapes
 * its answer with these functions (tests/api/privacy-walk.test.ts walks every one).
 *
 * Public: a grid's name and code, its community, its grid worker's (网格员, full- or
 * part-time) name and PUBLISHED service phone, the party organisation's name; stations as
 * they are posted (name, address, hours, services, service line).
 * Not public: household, population and member figures (and the household band, which
 * reveals the range), the party secretary's name, any phone the street office has not
 * published (not even masked), building and unit heads (楼长, 单元长).
 * Signed-in staff (admin, editor, planner) see everything, with unpublished phones masked.
 */
import { maskPhone, type WorkerRole } from '../domain.ts';

/** Fields blanked (null in JSON, left out of vector tiles) for anonymous readers. */
export const PRIVATE_FIELDS = ['households', 'population', 'band', 'member_count', 'secretary_name'] as const;
export type PrivateField = (typeof PRIVATE_FIELDS)[number];

export function isPrivateField(name: string): name is PrivateField {
  return (PRIVATE_FIELDS as readonly string[]).includes(name);
}

/** Who is reading: staff (signed in) or the public (anonymous). */
export type Audience = 'staff' | 'public';

type Blanked<P> = { [K in keyof P]: K extends PrivateField ? P[K] | null : P[K] };

/**
 * A record as this audience may see it: unchanged for staff; for the public every private
 * field present is null (a field the record does not have is not added).
 */
export function forAudience<P extends object>(audience: Audience, properties: P): Blanked<P> {
  if (audience === 'staff') return properties as Blanked<P>;
  const out: Record<string, unknown> = { ...(properties as Record<string, unknown>) };
  for (const key of Object.keys(out)) if (isPrivateField(key)) out[key] = null;
  return out as Blanked<P>;
}

/** The same, with the private fields left out (vector tiles: a missing key costs nothing). */
export function omitPrivate<P extends object>(audience: Audience, properties: P): Partial<P> {
  if (audience === 'staff') return properties;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(properties as Record<string, unknown>))
    if (!isPrivateField(key)) out[key] = value;
  return out as Partial<P>;
}

/** The roles a board names: the grid workers (网格员). Building and unit heads stay internal. */
export const PUBLIC_WORKER_ROLES: readonly WorkerRole[] = ['full_time', 'part_time'];

export interface WorkerRecord {
  name: string;
  role: WorkerRole;
  phone: string;
  phone_public: boolean;
}

/**
 * A worker's phone as this audience may see it: a published number in full; an unpublished
 * one masked (138****5678) for staff and null for the public.
 */
export function phoneFor(audience: Audience, worker: Pick<WorkerRecord, 'phone' | 'phone_public'>): string | null {
  if (worker.phone_public) return worker.phone;
  return audience === 'staff' ? maskPhone(worker.phone) : null;
}

/**
 * A grid's workers as this audience may see them: staff get every worker (phones masked
 * unless published); the public gets the grid workers only, with published phones only.
 */
export function workersFor(
  audience: Audience,
  workers: readonly WorkerRecord[],
): { name: string; role: WorkerRole; phone: string | null }[] {
  return workers
    .filter((w) => audience === 'staff' || PUBLIC_WORKER_ROLES.includes(w.role))
    .map((w) => ({ name: w.name, role: w.role, phone: phoneFor(audience, w) }));
}
