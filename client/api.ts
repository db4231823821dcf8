/** Typed wrappers over the HTTP API (same origin). Shapes come from common/contracts/. */
import type { PublicSearchResponse } from '../common/contracts/public.ts';
import type { SearchResponse } from '../common/contracts/search.ts';
import type { SessionResponse } from '../common/contracts/auth.ts';
import type { GridCollection, GridDetailFeature } from '../common/contracts/grids.ts';
import type { ApiError } from '../common/contracts/meta.ts';
import type { PartyCoverageReport } from '../common/contracts/party-coverage.ts';
import type { PartyOrgArea, PartyOrgList } from '../common/contracts/party.ts';
import type { RegionFeature, RegionList } from '../common/contracts/regions.ts';
import type {
  StationReachReport,
  StationSuggestRequest,
  StationSuggestResponse,
} from '../common/contracts/station-reach.ts';
import type { StationCollection } from '../common/contracts/stations.ts';
import type { ValidationReport } from '../common/contracts/validation.ts';
import type { HouseholdBoundsList } from '../common/rules/household-band.ts';

export interface ClientConfig {
  basemapStyleUrl: string | null;
  demo: boolean;
}

/** An HTTP error with the API's error code and message. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** The whole `error` object, e.g. `current` tags on 412, `conflicts` or `created` on 409. */
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'ApiRequestError';
  }
}

export async function request<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { credentials: 'same-origin', ...init });
  if (!response.ok) {
    let body: Partial<ApiError> = {};
    try {
      body = (await response.json()) as Partial<ApiError>;
    } catch {
      // Not JSON (e.g. a proxy error page): fall back to the status text.
    }
    throw new ApiRequestError(
      response.status,
      body.error?.code ?? `http_${response.status}`,
      body.error?.message ?? (response.statusText || `HTTP ${response.status}`),
      body.error ?? {},
    );
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

// Region lists and features do not change while the page is open: the tree and the map share them.
const cache = new Map<string, Promise<unknown>>();
function cachedGet<T>(path: string): Promise<T> {
  let hit = cache.get(path) as Promise<T> | undefined;
  if (!hit) {
    hit = request<T>(path);
    hit.catch(() => cache.delete(path));
    cache.set(path, hit);
  }
  return hit;
}

/** After signing in or out: region features carry household totals only for signed-in users. */
export function forgetRegionFeatures(): void {
  for (const path of cache.keys()) if (path.startsWith('/api/regions/')) cache.delete(path);
}

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value !== undefined) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : '';
}

export const api = {
  config: () => cachedGet<ClientConfig>('/api/config'),
  regions: (parent?: string) => cachedGet<RegionList>(`/api/regions${query({ parent })}`),
  region: (code: string) => cachedGet<RegionFeature>(`/api/regions/${encodeURIComponent(code)}`),
  grids: (region: string) => request<GridCollection>(`/api/grids${query({ region })}`),
  grid: (code: string) => request<GridDetailFeature>(`/api/grids/${encodeURIComponent(code)}`),
  /** Signed in: with households; anonymous: the residents' search (public fields only). */
  search: (q: string, signedIn: boolean, signal?: AbortSignal) =>
    request<SearchResponse | PublicSearchResponse>(
      `/api/${signedIn ? '' : 'public/'}search${query({ q, limit: '12' })}`,
      { signal },
    ),
  stations: (region: string) => request<StationCollection>(`/api/stations${query({ region })}`),
  partyOrgs: (region: string) => request<PartyOrgList>(`/api/party-orgs${query({ region })}`),
  /** Coverage validation of a district, street or community; `signal` cancels a superseded run. */
  validation: (
    region: string,
    tolerances: { areaTolerance?: number; widthTolerance?: number } = {},
    signal?: AbortSignal,
  ) =>
    request<ValidationReport>(
      `/api/validation${query({
        region,
        areaTolerance: tolerances.areaTolerance?.toString(),
        widthTolerance: tolerances.widthTolerance?.toString(),
      })}`,
      { signal },
    ),
  partyCoverage: (region: string, signal?: AbortSignal) =>
    request<PartyCoverageReport>(`/api/coverage/party${query({ region })}`, { signal }),
  partyOrgArea: (code: string, signal?: AbortSignal) =>
    request<PartyOrgArea>(`/api/party-orgs/${encodeURIComponent(code)}/area`, { signal }),
  /** `search`: the reach's query string (coverage-logic.ts reachQuery). */
  stationReach: (search: string, signal?: AbortSignal) =>
    request<StationReachReport>(`/api/coverage/stations?${search}`, { signal }),
  suggestStations: (body: StationSuggestRequest, signal?: AbortSignal) =>
    request<StationSuggestResponse>('/api/coverage/stations/suggest', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
      signal,
    }),
  /** Household bounds per district (signed-in users): what the bands and the legend follow. */
  householdBounds: () => request<HouseholdBoundsList>('/api/settings/household-bounds'),
  me: () => request<SessionResponse>('/api/auth/me'),
  login: (username: string, password: string) =>
    request<SessionResponse>('/api/auth/login', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username, password }),
    }),
  logout: () => request<unknown>('/api/auth/logout', { method: 'POST' }),
};
