import { defineConfig } from 'vite';

/**
 * The analyst's web app. Built from this folder (`vite build src/web --config src/web/vite.config.ts`)
 * into dist/web, which the Nest app serves; see src/http/web-app.ts.
 */
export default defineConfig({
  base: '/',
  publicDir: false,
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    assetsDir: 'assets',
    target: 'es2022',
    // The chart library is loaded with the commitment page only; the first page stays small.
    chunkSizeWarningLimit: 400,
  },
});
