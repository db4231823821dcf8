/** The case dashboard's and the map layer's reads (signed-in staff). */
import type { CaseStats } from '../../common/contracts/cases.ts';
import type { CasePointCollection } from '../../common/contracts/case-points.ts';
import { request } from '../api.ts';
import { periodQuery, type Period } from './case-stats-logic.ts';

export const loadCaseStats = (region: string, period: Period, signal?: AbortSignal): Promise<CaseStats> =>
  request<CaseStats>(`/api/cases/stats?${periodQuery(region, period)}`, { signal });

export const loadCasePoints = (region: string, period: Period, signal?: AbortSignal): Promise<CasePointCollection> =>
  request<CasePointCollection>(`/api/cases/points?${periodQuery(region, period)}`, { signal });
