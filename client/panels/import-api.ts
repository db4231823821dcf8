/**
 * The import's calls. The upload goes through XMLHttpRequest, not fetch, because only XHR
 * reports upload progress (a Shapefile archive of a city is tens of megabytes on an office
 * line). Failures reject with the app's ApiRequestError; a 422 or 409 carries the report in
 * `detail.report`, so the dialog can show why nothing was written.
 */
import type { ImportFieldsResponse, ImportReport, InteropLayer } from '../../common/contracts/interop.ts';
import { ApiRequestError, request } from '../api.ts';

export interface ImportRequest {
  file: File;
  layer: InteropLayer;
  crs?: string;
  encoding?: string;
  mapping?: Record<string, string>;
  region?: string;
  commit: boolean;
  /** Grids as they are (admins), with the reason. */
  acceptProblems?: boolean;
  reason?: string;
}

export const importFields = (layer: InteropLayer) =>
  request<ImportFieldsResponse>(`/api/import/fields?layer=${encodeURIComponent(layer)}`);

export interface UploadHandle {
  done: Promise<ImportReport>;
  abort: () => void;
}

/** POST /api/import as multipart; `onProgress` gets 0–1 while the file goes up, then null while the server reads it. */
export function uploadImport(input: ImportRequest, onProgress: (fraction: number | null) => void): UploadHandle {
  const form = new FormData();
  form.set('layer', input.layer);
  if (input.crs) form.set('crs', input.crs);
  if (input.encoding) form.set('encoding', input.encoding);
  if (input.mapping && Object.keys(input.mapping).length) form.set('mapping', JSON.stringify(input.mapping));
  if (input.region) form.set('region', input.region);
  if (input.commit) form.set('commit', '1');
  if (input.acceptProblems) form.set('acceptProblems', '1');
  if (input.acceptProblems && input.reason) form.set('reason', input.reason);
  form.set('file', input.file, input.file.name);

  const xhr = new XMLHttpRequest();
  const done = new Promise<ImportReport>((resolve, reject) => {
    xhr.open('POST', '/api/import');
    xhr.responseType = 'text';
    xhr.withCredentials = true;
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.upload.addEventListener('load', () => onProgress(null));
    xhr.addEventListener('load', () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON: a proxy's error page.
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) return resolve(body as ImportReport);
      const error = (body as { error?: { code?: string; message?: string } } | null)?.error;
      reject(
        new ApiRequestError(
          xhr.status,
          error?.code ?? `http_${xhr.status}`,
          error?.message ?? (xhr.statusText || `HTTP ${xhr.status}`),
          (error ?? {}) as Record<string, unknown>,
        ),
      );
    });
    xhr.addEventListener('error', () => reject(new ApiRequestError(0, 'network', 'network error')));
    xhr.addEventListener('abort', () => reject(new ApiRequestError(0, 'aborted', 'aborted')));
    xhr.send(form);
  });
  return { done, abort: () => xhr.abort() };
}
