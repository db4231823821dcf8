import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// The browser client lives in client/; the Express server serves dist/client in production
// and `vite dev` proxies the API to it. Two pages: the office map app (index.html) and the
// residents' station finder (find.html), which loads maplibre-gl lazily to stay small.
const page = (name: string) => fileURLToPath(new URL(`./client/${name}`, import.meta.url));

export default defineConfig({
  root: 'client',
  base: './',
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    // maplibre-gl alone is ~1 MB minified; one chunk is fine for an office intranet app.
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      input: { main: page('index.html'), find: page('find.html') },
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
