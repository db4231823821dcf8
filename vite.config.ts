import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';
import { hashInputs, stampOf, writeStamp } from './tools/client-stamp.ts';

// The browser client lives in client/; the Express server serves dist/client in production
// and `vite dev` proxies the API to it. Three pages: the office map app (index.html), the
// residents' station finder (find.html), which loads maplibre-gl lazily to stay small, and the
// grid workers' phone page (worker.html), which does the same.
const page = (name: string) => fileURLToPath(new URL(`./client/${name}`, import.meta.url));
const repoRoot = fileURLToPath(new URL('.', import.meta.url));

/** Writes dist/client/.build-stamp after a build, so `npm start` skips the next one while nothing changed. */
function buildStamp(): Plugin {
  let stamp = '';
  return {
    name: 'wangge-build-stamp',
    apply: 'build',
    // Hashed before bundling: an edit made during the build leaves the stamp stale, not wrong.
    buildStart: () => void (stamp = stampOf(hashInputs(repoRoot))),
    writeBundle: () => writeStamp(repoRoot, stamp),
  };
}

export default defineConfig({
  root: 'client',
  base: './',
  plugins: [buildStamp()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    // maplibre-gl alone is ~1 MB minified; one chunk is fine for an office intranet app.
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: { main: page('index.html'), find: page('find.html'), worker: page('worker.html') },
      // One named chunk for the map library, shared by the map app and the finder's lazy map.
      output: { manualChunks: (id: string) => (/node_modules\/maplibre-gl\//.test(id) ? 'maplibre-gl' : undefined) },
    },
  },
  server: {
    proxy: {
      // '/api/' not '/api': the client's own module /api.ts must not be proxied.
      '/api/': 'http://localhost:8080',
    },
  },
});
