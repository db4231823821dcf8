/** Health, client configuration, sign-in and this document. */
import { LoginRequest, SessionResponse, SessionState } from '../../../common/contracts/auth.ts';
import { ClientConfig, Health } from '../../../common/contracts/meta.ts';
import { fromZod, json, jsonBody, noContent, op, ref, type Paths } from '../openapi.build.ts';

export const metaPaths: Paths = {
  '/api/health': {
    get: op({
      tag: 'meta',
      zh: '健康检查',
      en: 'Liveness and which database driver and PostGIS version serve the data.',
      access: 'public',
      ok: { 200: json(ref(Health)) },
    }),
  },
  '/api/config': {
    get: op({
      tag: 'meta',
      zh: '客户端配置',
      en: 'Basemap style URL (BASEMAP_STYLE_URL, or /api/basemap/style.json with TIANDITU_KEY; null: the offline base from /tiles/base) and whether the data is the synthetic demo.',
      access: 'public',
      ok: { 200: json(ref(ClientConfig)) },
    }),
  },
  '/api/basemap/style.json': {
    get: op({
      tag: 'meta',
      zh: '天地图底图样式',
      en: 'A MapLibre style of 天地图 vector (vec_w) and annotation (cva_w) raster tiles, when TIANDITU_KEY is set and BASEMAP_STYLE_URL is not; 404 otherwise.',
      access: 'public',
      ok: { 200: json({ type: 'object', description: 'MapLibre style specification, version 8' }) },
      errors: [404],
    }),
  },
  '/api/openapi.json': {
    get: op({
      tag: 'meta',
      zh: '接口文档（OpenAPI 3.1）',
      en: 'This document: every route of /api, /ogc and /tiles.',
      access: 'public',
      ok: { 200: json({ type: 'object' }) },
    }),
  },
  '/api/docs': {
    get: op({
      tag: 'meta',
      zh: '接口文档页面（离线）',
      en: 'An HTML page (Swagger UI served by this server, no CDN) that renders this document.',
      access: 'public',
      ok: { 200: { description: 'The docs page', content: { 'text/html': { schema: { type: 'string' } } } } },
    }),
  },
  '/api/auth/login': {
    post: op({
      tag: 'auth',
      zh: '登录',
      en:
        'Sign in with a username and password; sets the `wangge_session` cookie (HttpOnly, SameSite=Lax). ' +
        'Wrong passwords are throttled: 429 `too_many_logins` per username and address (or per address), ' +
        'growing delays per username; 503 `rate_limit_unavailable` while the shared counters (Redis) are down.',
      access: 'public',
      body: jsonBody(fromZod(LoginRequest)),
      errors: [429, 503],
      ok: { 200: json(ref(SessionResponse)), 401: { $ref: '#/components/responses/Unauthorized' } },
    }),
  },
  '/api/auth/logout': {
    post: op({
      tag: 'auth',
      zh: '退出登录',
      en: 'Ends the session and clears the cookie.',
      access: 'public',
      ok: { 204: noContent },
    }),
  },
  '/api/auth/session': {
    get: op({
      tag: 'auth',
      zh: '当前会话（未登录时 user 为 null）',
      en: 'The signed-in user, or `{"user": null}` for an anonymous reader: 200 either way, so a page can ask on every load.',
      access: 'public',
      ok: { 200: json(ref(SessionState)) },
    }),
  },
  '/api/auth/me': {
    get: op({
      tag: 'auth',
      zh: '当前用户',
      en: 'The signed-in user, their role and street.',
      access: 'user',
      ok: { 200: json(ref(SessionResponse)) },
    }),
  },
};
