/** Log a demo user in over real HTTP and return the session cookie ("wangge_session=…"). */
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
