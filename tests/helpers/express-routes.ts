/**
 * Every method + path an Express 5 app answers, found by walking its router stack (nested
 * routers included), in OpenAPI's path syntax (`:code` → `{code}`). Used to hold the
 * OpenAPI document to the routes that really exist.
 */
import type { Express } from 'express';

interface LayerLike {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
  handle?: { stack?: LayerLike[] };
}

export interface FoundRoute {
  method: string;
  path: string;
}

function join(prefix: string, path: string): string {
  const joined = `${prefix}/${path}`.replace(/\/+/g, '/');
  return joined.length > 1 ? joined.replace(/\/$/, '') : joined;
}

/** Express's `:name` parameters in OpenAPI's `{name}` form. */
export function toOpenApiPath(expressPath: string): string {
  return expressPath.replace(/:([A-Za-z_$][A-Za-z0-9_$]*)/g, '{$1}');
}

function walk(stack: LayerLike[], prefix: string, out: FoundRoute[]): void {
  for (const layer of stack) {
    if (layer.route) {
      const paths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
      for (const path of paths) {
        // Regular-expression routes are the client's shell fallback, not the API.
        if (typeof path !== 'string') continue;
        for (const [method, on] of Object.entries(layer.route.methods)) {
          if (on) out.push({ method: method === '_all' ? 'all' : method, path: toOpenApiPath(join(prefix, path)) });
        }
      }
    } else if (layer.handle?.stack && typeof layer.rawPath === 'string') {
      walk(layer.handle.stack, join(prefix, layer.rawPath), out);
    }
  }
}

export function expressRoutes(app: Express): FoundRoute[] {
  const router = (app as unknown as { router: { stack: LayerLike[] } }).router;
  const out: FoundRoute[] = [];
  walk(router.stack, '', out);
  return out;
}

/** Routes without documentation, and documented operations without a route. */
export function compareWithDocument(
  routes: FoundRoute[],
  paths: Record<string, Record<string, unknown>>,
  prefixes: string[],
) {
  const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'];
  const served = routes.filter((r) => prefixes.some((p) => r.path === p || r.path.startsWith(`${p}/`)));
  const key = (r: FoundRoute) => `${r.method.toUpperCase()} ${r.path}`;
  const servedKeys = new Set(served.map(key));
  const documentedKeys = new Set(
    Object.entries(paths).flatMap(([path, item]) =>
      Object.keys(item)
        .filter((m) => METHODS.includes(m))
        .map((method) => key({ method, path })),
    ),
  );
  return {
    served: [...servedKeys].sort(),
    undocumented: [...servedKeys].filter((k) => !documentedKeys.has(k)).sort(),
    missing: [...documentedKeys].filter((k) => !servedKeys.has(k)).sort(),
  };
}
