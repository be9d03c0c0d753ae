/// <reference types="vite/client" />

/** The app's version, set at build time (APP_VERSION or package.json). */
declare const __APP_VERSION__: string;
