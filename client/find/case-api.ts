/**
 * The residents' case API as /find calls it (shapes in common/contracts/cases.ts, types only):
 * report (JSON, or multipart when photos are attached), track with the private token, rate.
 */
import type { NewPublicCase, NewPublicCaseResponse, PublicCase, RatingRequest } from '../../common/contracts/cases.ts';
import { FindError, type FailureKind } from './find-api.ts';

export interface PublicCategory {
  code: string;
  name: string;
  timeLimitHours: number;
}

/** A failed call; `param` names the field the server refused (a 400's error.param). */
export class CaseApiError extends FindError {
  constructor(
    kind: FailureKind,
    message: string,
    readonly param: string | null = null,
  ) {
    super(kind, message);
    this.name = 'CaseApiError';
  }
}

async function call<T>(path: string, init: RequestInit = {}): Promise<T> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: { accept: 'application/json', ...init.headers } });
  } catch (error) {
    throw new CaseApiError('network', String(error));
  }
  if (response.ok) return (await response.json()) as T;
  const body = (await response.json().catch(() => null)) as {
    error?: { message?: string; param?: string };
  } | null;
  const message = body?.error?.message ?? response.statusText;
  const kind: FailureKind =
    response.status === 429 ? 'rate' : response.status === 404 ? 'notFound' : response.status < 500 ? 'bad' : 'server';
  throw new CaseApiError(kind, message, body?.error?.param ?? null);
}

const json = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export const caseApi = {
  categories: () => call<PublicCategory[]>('/api/public/cases/categories'),

  /** JSON without photos; with photos, multipart: the fields as JSON in `case`, each file as `photo`. */
  report(body: NewPublicCase, photos: readonly File[]): Promise<NewPublicCaseResponse> {
    if (photos.length === 0) return call('/api/public/cases', json(body));
    const form = new FormData();
    form.append('case', JSON.stringify(body));
    for (const photo of photos) form.append('photo', photo, photo.name);
    return call('/api/public/cases', { method: 'POST', body: form });
  },

  track: (ticket: string, token: string) =>
    call<PublicCase>(`/api/public/cases/${encodeURIComponent(ticket)}?token=${encodeURIComponent(token)}`),

  rate: (ticket: string, request: RatingRequest) =>
    call<unknown>(`/api/public/cases/${encodeURIComponent(ticket)}/rating`, json(request)),

  /** A photo of the timeline, as the reporter may see it. */
  photoUrl: (ticket: string, id: number, token: string) =>
    `/api/public/cases/${encodeURIComponent(ticket)}/photos/${id}?token=${encodeURIComponent(token)}`,
};
