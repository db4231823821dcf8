/** Repairs in a draft and allowed gaps (server/editing/repairs.routes.ts, validation/exceptions.routes.ts), typed. */
import type { Polygon } from 'geojson';
import type { RepairResponse, TilingException } from '../../common/contracts/repairs.ts';
import type { ValidationReport } from '../../common/contracts/validation.ts';
import { request } from '../api.ts';

const post = (body: unknown): RequestInit => ({
  method: 'POST',
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

export const repairApi = {
  /** The draft's tiling problems, with the ids a repair names. */
  problems: (draft: number) => request<ValidationReport>(`/api/validation?draft=${draft}`),
  repair: (draft: number, problem: string, to?: string) =>
    request<RepairResponse>(`/api/drafts/${draft}/repairs`, post(to ? { problem, to } : { problem })),
  batch: (draft: number, region: string | Polygon, maxAreaM2: number) =>
    request<RepairResponse>(`/api/drafts/${draft}/repairs`, post({ region, maxAreaM2 })),
  allow: (problem: string, reason: string) =>
    request<TilingException>('/api/validation/exceptions', post({ problem, reason })),
};
