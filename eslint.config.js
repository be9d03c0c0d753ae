import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

// Each infrastructure library enters through one folder; these rules keep the dependency direction.
const restrict = (patterns) => ({
  'no-restricted-imports': ['error', { patterns }],
});
const REACT = {
  group: ['react', 'react-dom', 'react-*', 'dexie-react-hooks', '@hookform/*'],
  message: 'React only in src/ui.',
};
const DEXIE = {
  group: ['dexie', 'dexie-react-hooks'],
  message: 'Dexie only in src/db (live queries in src/ui).',
};
const UI = { group: ['**/ui/**'], message: 'Nothing depends on the UI.' };
const SERVER = { group: ['**/server/**'], message: 'The browser never imports server code.' };
const DB = { group: ['**/db/**'], message: 'This folder may not import src/db.' };
// src/domain/sync (the protocol's types and rules) is domain, not the client engine in src/sync.
const SYNC = { group: ['**/sync/**', '!**/domain/sync/**'], message: 'This folder may not import src/sync.' };
const API = { group: ['**/api/**'], message: 'This folder may not import src/api.' };

export default tseslint.config(
  { ignores: ['dist', 'dist-*', 'node_modules', 'data', 'coverage', 'bench/results'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-definitions': ['error', 'type'],
    },
  },
  {
    files: ['src/ui/**/*.{ts,tsx}', 'src/main.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { ...reactHooks.configs.recommended.rules },
  },
  {
    files: ['src/domain/**'],
    rules: restrict([
      REACT,
      DEXIE,
      UI,
      SERVER,
      DB,
      SYNC,
      API,
      { group: ['pg', '@electric-sql/*', 'fastify'], message: 'Domain is pure.' },
    ]),
  },
  { files: ['src/db/**'], rules: restrict([REACT, UI, SERVER, SYNC, API]) },
  // WebCrypto helpers: domain plus crypto.subtle, nothing else.
  { files: ['src/crypto/**'], rules: restrict([REACT, DEXIE, UI, SERVER, DB, SYNC, API]) },
  { files: ['src/api/**'], rules: restrict([REACT, DEXIE, UI, SERVER, DB, SYNC]) },
  { files: ['src/sync/**'], rules: restrict([REACT, DEXIE, UI, SERVER]) },
  {
    files: ['src/ui/**'],
    rules: restrict([
      SERVER,
      { group: ['dexie'], message: 'Query through src/db; live queries with dexie-react-hooks.' },
    ]),
  },
  // The server has db/ and sync/ folders of its own; src/db and src/sync are told apart from them by
  // how many "../" an import climbs: from a file `depth` folders below src/, exactly `depth`.
  ...[1, 2, 3, 4].map((depth) => ({
    files: [`src/server/${'*/'.repeat(depth - 1)}*.ts`],
    rules: restrict([
      REACT,
      DEXIE,
      UI,
      API,
      { regex: `^(\\.\\./){${depth}}db(/|$)`, message: 'The server may not import src/db.' },
      { regex: `^(\\.\\./){${depth}}sync(/|$)`, message: 'The server may not import src/sync.' },
    ]),
  })),
);
