/**
 * What the public may see, shaped in one place: the grid worker (full-time first, the phone
 * only when published: common/rules/public-fields.ts), stations with distance and walking minutes. No household,
 * population, member count, building or worker id ever reaches these types.
 */
import type {
  PublicCrs,
  PublicSearchHit,
  PublicStation,
  PublicStationDetail,
  StationRecord,
} from '../../common/contracts/public.ts';
import { phoneFor } from '../../common/rules/public-fields.ts';
import { openNow } from './opening-hours.ts';
import { toCrs } from './public-params.ts';
import type { SearchResult } from './search.ts';

/** Walking speed for "minutes on foot" (DOMAIN.md: walking by default). */
export const WALK_M_PER_S = 1.2;

export interface GridInfo {
  code: string;
  name: string;
  community: { code: string; name: string } | null;
  worker: { name: string; phone: string | null } | null;
  partyOrg: { name: string } | null;
}

export type { StationRecord };

export interface WorkerRow {
  name: string;
  phone: string;
  phone_public: boolean;
}

/** The worker residents should call; the caller picks the full-time one before a part-time one. */
export function publicWorker(row: WorkerRow | null | undefined): GridInfo['worker'] {
  if (!row) return null;
  return { name: row.name, phone: phoneFor('public', row) };
}

export function walkMinutes(distanceM: number): number {
  return Math.ceil(distanceM / WALK_M_PER_S / 60);
}

export function stationDetail(s: StationRecord, crs: PublicCrs, now: Date): PublicStationDetail {
  const [lon, lat] = toCrs(s.lon, s.lat, crs);
  return {
    code: s.code,
    name: s.name,
    kind: s.kind,
    lon,
    lat,
    address: s.address,
    opening_hours: s.opening_hours,
    openNow: openNow(s.opening_hours, now),
    services: s.services,
    phone: s.phone,
  };
}

export function publicStation(s: StationRecord, distanceM: number, crs: PublicCrs, now: Date): PublicStation {
  const rounded = Math.round(distanceM * 10) / 10;
  return { ...stationDetail(s, crs, now), distanceM: rounded, walkMin: walkMinutes(distanceM) };
}

/** A search hit as the public sees it: no household figure (listed field by field, so none slips in). */
export function publicHit({ entry: e, match }: SearchResult, crs: PublicCrs): PublicSearchHit {
  const [lon, lat] = toCrs(e.lon, e.lat, crs);
  return { type: e.type, code: e.code, name: e.name, lon, lat, bbox: e.bbox, context: e.context, match };
}
