/** The public API as the finder calls it (shapes in common/contracts/public.ts); errors become plain kinds. */
import type {
  PublicCommunityCard,
  PublicGridCard,
  PublicGridOutline,
  PublicLocateResponse,
  PublicNearestResponse,
  PublicSearchResponse,
  PublicStationDetail,
} from '../../common/contracts/public.ts';
import type { StationKind } from '../../common/rules/station-kinds.ts';

export type FailureKind = 'network' | 'rate' | 'bad' | 'notFound' | 'server';

/** A failed lookup, sorted into what the resident is told. */
export class FindError extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    /** Seconds from Retry-After on 429. */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'FindError';
  }
}

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function getJson<T>(path: string, signal?: AbortSignal, attempt = 0): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { signal, headers: { accept: 'application/json' } });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'AbortError') throw error;
    throw new FindError('network', String(error));
  }
  if (response.ok) return (await response.json()) as T;
  // 503 + Retry-After: the server is still building its search index (seconds after a start).
  const retryAfter = Number(response.headers.get('retry-after')) || null;
  if (response.status === 503 && retryAfter && attempt < 3) {
    await wait(Math.min(retryAfter, 5) * 1000);
    return getJson<T>(path, signal, attempt + 1);
  }
  const body = (await response.json().catch(() => null)) as { error?: { message?: string } } | null;
  const message = body?.error?.message ?? response.statusText;
  if (response.status === 429) throw new FindError('rate', message, retryAfter);
  if (response.status === 404) throw new FindError('notFound', message);
  if (response.status >= 400 && response.status < 500) throw new FindError('bad', message);
  throw new FindError('server', message);
}

const coords = (lon: number, lat: number) => `lon=${lon.toFixed(6)}&lat=${lat.toFixed(6)}&crs=wgs84`;

export const findApi = {
  locate: (lon: number, lat: number, signal?: AbortSignal) =>
    getJson<PublicLocateResponse>(`/api/public/locate?${coords(lon, lat)}`, signal),
  nearest: (lon: number, lat: number, kind: StationKind | null, limit: number, signal?: AbortSignal) =>
    getJson<PublicNearestResponse>(
      `/api/public/stations/nearest?${coords(lon, lat)}&limit=${limit}${kind ? `&kind=${kind}` : ''}`,
      signal,
    ),
  search: (q: string, signal?: AbortSignal) =>
    getJson<PublicSearchResponse>(`/api/public/search?q=${encodeURIComponent(q)}`, signal),
  grid: (code: string) => getJson<PublicGridOutline>(`/api/public/grids/${encodeURIComponent(code)}`),
  gridCard: (code: string, signal?: AbortSignal) =>
    getJson<PublicGridCard>(`/api/public/grids/${encodeURIComponent(code)}/card`, signal),
  community: (code: string, signal?: AbortSignal) =>
    getJson<PublicCommunityCard>(`/api/public/communities/${encodeURIComponent(code)}`, signal),
  station: (code: string, signal?: AbortSignal) =>
    getJson<PublicStationDetail>(`/api/public/stations/${encodeURIComponent(code)}`, signal),
};
