/** Log a demo user in over real HTTP and return the session cookie ("wangge_session=…"). */
import type { GridCollection } from '../../common/contracts/grids.ts';
import { DEMO_PASSWORD } from './templates.ts';

export async function sessionCookie(baseUrl: string, username: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`login as ${username} failed: ${res.status}`);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** A region's grids as a signed-in planner sees them (anonymous readers get no household figures). */
export async function plannerGrids(baseUrl: string, region: string): Promise<GridCollection> {
  const cookie = await sessionCookie(baseUrl, 'planner');
  const res = await fetch(`${baseUrl}/api/grids?region=${region}`, { headers: { cookie } });
  if (res.status !== 200) throw new Error(`GET /api/grids?region=${region} failed: ${res.status}`);
  return (await res.json()) as GridCollection;
}
