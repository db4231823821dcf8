/**
 * The staff case API (issue 18) for the 案件 panel and the worker page. Transitions carry the
 * case's ETag in If-Match: a 412 means someone else changed the case since it was read.
 * Photos go as multipart (`transition` or `case` JSON + `photo` files); without photos, JSON.
 */
import type {
  CaseConfig,
  CaseList,
  NewPublicCaseResponse,
  NewStaffCase,
  StaffCaseDetail,
  TransitionRequest,
} from '../../common/contracts/cases.ts';
import { ApiRequestError, request } from '../api.ts';

export interface CaseQuery {
  region?: string;
  state?: string;
  overdue?: boolean;
  /** Only cases not yet closed. */
  open?: boolean;
  category?: string;
  queue?: 'mine';
}

export interface LoadedCase {
  detail: StaffCaseDetail;
  /** The ETag to send back in If-Match. */
  etag: string;
}

function queryString(q: CaseQuery): string {
  const search = new URLSearchParams();
  if (q.region) search.set('region', q.region);
  if (q.state) search.set('state', q.state);
  if (q.overdue) search.set('overdue', '1');
  if (q.open) search.set('open', '1');
  if (q.category) search.set('category', q.category);
  if (q.queue) search.set('queue', q.queue);
  const text = search.toString();
  return text ? `?${text}` : '';
}

async function failure(response: Response): Promise<ApiRequestError> {
  let body: { error?: { code?: string; message?: string } & Record<string, unknown> } = {};
  try {
    body = (await response.json()) as typeof body;
  } catch {
    // Not JSON: the status says enough.
  }
  return new ApiRequestError(
    response.status,
    body.error?.code ?? `http_${response.status}`,
    body.error?.message ?? (response.statusText || `HTTP ${response.status}`),
    body.error ?? {},
  );
}

/** A JSON body, or multipart with the JSON in `field` and the photos as `photo` parts. */
function body(field: string, value: unknown, photos: readonly File[]): { body: BodyInit; headers: HeadersInit } {
  if (photos.length === 0) return { body: JSON.stringify(value), headers: { 'content-type': 'application/json' } };
  const form = new FormData();
  form.set(field, JSON.stringify(value));
  for (const photo of photos) form.append('photo', photo, photo.name);
  return { body: form, headers: {} };
}

export const caseApi = {
  list: (q: CaseQuery, signal?: AbortSignal) => request<CaseList>(`/api/cases${queryString(q)}`, { signal }),
  config: () => request<CaseConfig>('/api/cases/config'),
  async get(id: number): Promise<LoadedCase> {
    const response = await fetch(`/api/cases/${id}`, { credentials: 'same-origin', cache: 'no-store' });
    if (!response.ok) throw await failure(response);
    return { detail: (await response.json()) as StaffCaseDetail, etag: response.headers.get('etag') ?? '' };
  },
  /** Apply a transition; answers the case as it is afterwards, with its new ETag. */
  async transition(
    id: number,
    etag: string,
    transition: TransitionRequest,
    photos: readonly File[] = [],
  ): Promise<LoadedCase> {
    const { body: payload, headers } = body('transition', transition, photos);
    const response = await fetch(`/api/cases/${id}/transitions`, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { ...headers, 'if-match': etag },
      body: payload,
    });
    if (!response.ok) throw await failure(response);
    return { detail: (await response.json()) as StaffCaseDetail, etag: response.headers.get('etag') ?? '' };
  },
  /** 巡查发现: a grid worker's own find at a point. */
  createPatrol: (value: NewStaffCase, photos: readonly File[] = []) => {
    const { body: payload, headers } = body('case', value, photos);
    return request<NewPublicCaseResponse & { id?: number }>('/api/cases', { method: 'POST', headers, body: payload });
  },
};
