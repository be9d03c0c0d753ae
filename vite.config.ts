import { readFileSync } from 'node:fs';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { VitePWA } from 'vite-plugin-pwa';

const packageJson = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as {
  version: string;
};

// APP_VERSION lets a test or a release build two distinguishable versions of the same code.
const appVersion = process.env.APP_VERSION ?? packageJson.version;

export const THEME_COLOUR = '#1d4f91';

export default defineConfig({
  define: {
    __APP_VERSION__: JSON.stringify(appVersion),
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Everything the first screen needs (main.tsx and all it imports) in one chunk: the service
        // worker answers one request for it instead of a dozen, and it is parsed in one piece. The other
        // screens stay in chunks of their own, loaded on demand.
        codeSplitting: {
          groups: [{ name: 'app', test: /\/src\/main\.tsx$/ }],
        },
      },
    },
  },
  plugins: [
    react(),
    VitePWA({
      // The app decides when to reload (never over a half-filled form), so updates wait for a prompt.
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['favicon.svg', 'icons/*.png'],
      manifest: {
        id: '/',
        name: 'Outreach Register',
        short_name: 'Register',
        description:
          'Enrol learners and take the register at community digital-skills sessions, online or offline.',
        start_url: '/',
        scope: '/',
        display: 'standalone',
        orientation: 'any',
        background_color: '#ffffff',
        theme_color: THEME_COLOUR,
        lang: 'en-GB',
        icons: [
          { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
          { src: '/icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      // Our own worker (src/sw.ts): the same precache, cleanup and navigation fallback as before,
      // plus Background Sync. The manifest of the build is injected into it.
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectManifest: {
        globPatterns: ['**/*.{js,css,html,svg,png,webmanifest,woff2}'],
        // A classic script, so that the sync engine's modules (loaded by src/sw.ts with import()) are
        // inlined to run on first use, not on every start of the worker: the page waits for that start.
        rollupFormat: 'iife',
      },
    }),
  ],
});
