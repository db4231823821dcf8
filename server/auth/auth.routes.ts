import { Router, type Request, type RequestHandler } from 'express';
import type { AppContext } from '../context.ts';
import {
  LoginRequest,
  SESSION_COOKIE,
  type SessionResponse,
  type SessionState,
  type SessionUser,
} from '../../common/contracts/auth.ts';
import { HttpError, unauthorized } from '../http/errors.ts';
import { parseBody } from '../http/params.ts';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from './passwords.ts';
import {
  createSession,
  deleteSession,
  findSessionUser,
  findUserForLogin,
  setPasswordHash,
} from './sessions.queries.ts';
import { loginRateLimit } from './login-rate-limit.ts';

declare module 'express-serve-static-core' {
  interface Request {
    user?: SessionUser & { id: number };
  }
}

export function sessionToken(req: Request): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === SESSION_COOKIE) return decodeURIComponent(value.join('='));
  }
  return undefined;
}

/**
 * Attaches `req.user` when the request carries a live session cookie. An expired session's row
 * is deleted and its cookie cleared; the request goes on as anonymous (so it gets the route's 401).
 */
export function loadSession({ db, config }: AppContext): RequestHandler {
  return async (req, res, next) => {
    const token = sessionToken(req);
    if (!token) return next();
    const found = await findSessionUser(db, token, config);
    if (found.status === 'live') req.user = found.user;
    else res.clearCookie(SESSION_COOKIE, { path: '/' });
    next();
  };
}

export function authRoutes({ db, config, counters }: AppContext): Router {
  const router = Router();

  router.post('/auth/login', ...loginRateLimit(config.loginRateLimit, counters), async (req, res) => {
    const { username, password } = parseBody(LoginRequest, req.body);
    const user = await findUserForLogin(db, username);
    // Same answer, and about the same time, for an unknown user and a wrong password.
    const ok = await verifyPassword(password, user?.password_hash ?? (await dummyHash()));
    if (!user || !ok) throw new HttpError(401, 'bad_credentials', 'Wrong username or password');
    if (needsRehash(user.password_hash)) {
      await setPasswordHash(db, user.id, await hashPassword(password));
    }
    const { token, expires } = await createSession(db, user.id, config);
    res.cookie(SESSION_COOKIE, token, { httpOnly: true, sameSite: 'lax', secure: req.secure, expires, path: '/' });
    const body: SessionResponse = {
      user: {
        username: user.username,
        display_name: user.display_name,
        role: user.role,
        street_code: user.street_code,
      },
    };
    res.json(body);
  });

  router.post('/auth/logout', async (req, res) => {
    const token = sessionToken(req);
    if (token) await deleteSession(db, token);
    res.clearCookie(SESSION_COOKIE, { path: '/' });
    res.status(204).end();
  });

  // The page asks this on every load: anonymous is an answer, not an error (no 401 in the console).
  router.get('/auth/session', (req, res) => {
    let body: SessionState = { user: null };
    if (req.user) {
      const { id: _id, ...user } = req.user;
      body = { user };
    }
    res.set('Cache-Control', 'no-store').json(body);
  });

  router.get('/auth/me', (req, res) => {
    if (!req.user) throw unauthorized();
    const { id: _id, ...user } = req.user;
    const body: SessionResponse = { user };
    res.json(body);
  });

  return router;
}
