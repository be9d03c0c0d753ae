// Builds the benchmark pages: BENCH_PAGE=blank (a blank React page with a precaching service worker,
// the cold-start baseline) or BENCH_PAGE=harness (src/db and raw IndexedDB side by side in index.html;
// the sync engine against the real server in sync.html, served from the same origin).
import path from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const page = process.env.BENCH_PAGE === 'harness' ? 'harness' : 'blank';

export default defineConfig({
  root: `bench/${page}`,
  define: { __APP_VERSION__: JSON.stringify('bench') },
  build: {
    outDir: `../../dist-bench-${page}`,
    emptyOutDir: true,
    target: 'es2022',
    rollupOptions:
      page === 'harness'
        ? {
            input: {
              index: path.resolve(import.meta.dirname, 'harness/index.html'),
              sync: path.resolve(import.meta.dirname, 'harness/sync.html'),
            },
          }
        : {},
  },
  plugins: [
    react(),
    ...(page === 'blank'
      ? [
          VitePWA({
            registerType: 'autoUpdate',
            injectRegister: false,
            manifest: false,
            workbox: { globPatterns: ['**/*.{js,css,html}'], navigateFallback: '/index.html' },
          }),
        ]
      : []),
  ],
});
