/**
 * GET /api/openapi.json and the docs page GET /api/docs. The page is Swagger UI served from
 * the installed swagger-ui-dist package (no CDN: offices are often on closed networks), with
 * a small initializer of ours; only the files the page needs are served, so swagger-ui-dist's
 * own initializer (which points at a remote demo API) is never reachable.
 */
import express, { Router } from 'express';
import { createRequire } from 'node:module';
import type { AppContext } from '../context.ts';
import { openApiDocument } from './openapi.document.ts';

// swagger-ui-dist ships no type declarations; absolute-path.js gives the folder of its files (its
// index would also parse the 1.5 MB UI bundle: half a second of every start, for nothing).
const getAbsoluteFSPath = createRequire(import.meta.url)('swagger-ui-dist/absolute-path.js') as () => string;

const DOCS_FILES = new Set([
  '/swagger-ui.css',
  '/swagger-ui-bundle.js',
  '/swagger-ui-standalone-preset.js',
  '/favicon-32x32.png',
  '/favicon-16x16.png',
]);

const DOCS_PAGE = `<!doctype html>
<html lang="zh-CN">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>网格 Wangge 接口文档 · API</title>
  <link rel="stylesheet" href="/api/docs/swagger-ui.css">
  <link rel="icon" type="image/png" href="/api/docs/favicon-32x32.png" sizes="32x32">
  <style>body { margin: 0 } .topbar { display: none }</style>
</head>
<body>
  <div id="swagger-ui"></div>
  <script src="/api/docs/swagger-ui-bundle.js"></script>
  <script src="/api/docs/wangge-docs.js"></script>
</body>
</html>
`;

// validatorUrl null: Swagger UI would otherwise send the document to validator.swagger.io.
const DOCS_INIT = `window.ui = SwaggerUIBundle({
  url: '/api/openapi.json',
  dom_id: '#swagger-ui',
  validatorUrl: null,
  deepLinking: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  withCredentials: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout'
});
`;

export function openapiRoutes(_ctx: AppContext): Router {
  const router = Router();
  const files = express.static(getAbsoluteFSPath(), { index: false, maxAge: '1d', fallthrough: true });

  router.get('/openapi.json', (_req, res) => {
    res.json(openApiDocument());
  });
  router.get('/docs', (_req, res) => {
    res.type('html').send(DOCS_PAGE);
  });
  router.use('/docs', (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    if (req.path === '/wangge-docs.js') {
      res.type('js').send(DOCS_INIT);
      return;
    }
    if (DOCS_FILES.has(req.path)) return files(req, res, next);
    next();
  });
  return router;
}
