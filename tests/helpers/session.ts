/** Log a demo user in over real HTTP and return the session cookie ("wangge_session=…"). */
import type { GridCollection } from '../../common/contracts/grids.ts';
import { httpClient } from './http-client.ts';
import { DEMO_PASSWORD } from './templates.ts';

export function sessionCookie(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<string> {
  return httpClient(baseUrl).login(username, password);
}

/** A region's grids as a signed-in planner sees them (anonymous readers get no household figures). */
export async function plannerGrids(baseUrl: string, region: string): Promise<GridCollection> {
  const cookie = await sessionCookie(baseUrl, 'planner');
  const res = await httpClient(baseUrl).get<GridCollection>(`/api/grids?region=${region}`, { cookie });
  if (res.status !== 200) throw new Error(`GET /api/grids?region=${region} failed: ${res.status}`);
  return res.body;
}
