import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, SERVER_VERSION } from '../../src/server/app';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import { setUpOrganisation, TEST_SCRYPT_COST, withSession } from './testApp';

const INDEX_HTML = '<!doctype html><title>Outreach Register</title><div id="root"></div>';
const SECRET = 'secret-outside-the-static-folder';

describeEachBackend('server app', ({ db }) => {
  let folder: string;
  let app: ReturnType<typeof buildApp>;

  beforeAll(async () => {
    // <folder>/public is served; <folder>/package.json and secret.txt sit just outside it.
    folder = await mkdtemp(path.join(tmpdir(), 'outreach-server-'));
    const staticDir = path.join(folder, 'public');
    await mkdir(path.join(staticDir, 'assets'), { recursive: true });
    await writeFile(path.join(staticDir, 'index.html'), INDEX_HTML);
    await writeFile(path.join(staticDir, 'sw.js'), 'self.addEventListener("fetch", () => {});');
    await writeFile(path.join(staticDir, 'manifest.webmanifest'), '{"name":"Outreach Register"}');
    await writeFile(path.join(staticDir, 'assets', 'x.js'), 'console.log("x");');
    await writeFile(path.join(folder, 'package.json'), JSON.stringify({ name: SECRET }));
    await writeFile(path.join(folder, 'secret.txt'), SECRET);
    app = buildApp({ staticDir, database: db() });
    await app.ready();
  });

  afterAll(async () => {
    await app.close();
    await rm(folder, { recursive: true, force: true });
  });

  describe('GET /api/health', () => {
    it('answers ok with the package version', async () => {
      const response = await app.inject({ method: 'GET', url: '/api/health' });
      expect(response.statusCode).toBe(200);
      expect(response.json()).toEqual({ status: 'ok', version: SERVER_VERSION });
      expect(SERVER_VERSION).toMatch(/^\d+\.\d+\.\d+/);
      expect(response.headers['cache-control']).toBe('no-store');
    });
  });

  describe('static files', () => {
    it('serves index.html at / without long-term caching', async () => {
      const response = await app.inject({ method: 'GET', url: '/' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(INDEX_HTML);
      expect(response.headers['cache-control']).toBe('no-cache');
    });

    it.each(['/sw.js', '/manifest.webmanifest', '/index.html'])(
      'revalidates %s on every request',
      async (url) => {
        const response = await app.inject({ method: 'GET', url });
        expect(response.statusCode).toBe(200);
        expect(response.headers['cache-control']).toBe('no-cache');
      },
    );

    it('serves the service worker as JavaScript', async () => {
      const response = await app.inject({ method: 'GET', url: '/sw.js' });
      expect(response.headers['content-type']).toMatch(/^(application|text)\/javascript/);
    });

    it('caches hashed assets for a year', async () => {
      const response = await app.inject({ method: 'GET', url: '/assets/x.js' });
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe('console.log("x");');
      expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    });

    it('answers 404 JSON for a missing asset rather than the app shell', async () => {
      const response = await app.inject({ method: 'GET', url: '/assets/missing-abc123.js' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: { reason: 'not-found' } });
    });
  });

  describe('client-side routes', () => {
    it.each(['/sessions/123', '/learners', '/sessions/123?tab=register'])(
      'answers %s with index.html',
      async (url) => {
        const response = await app.inject({ method: 'GET', url });
        expect(response.statusCode).toBe(200);
        expect(response.headers['content-type']).toMatch(/^text\/html/);
        expect(response.headers['cache-control']).toBe('no-cache');
        expect(response.body).toBe(INDEX_HTML);
      },
    );

    it('does not answer other methods with the app shell', async () => {
      const response = await app.inject({ method: 'POST', url: '/sessions/123' });
      expect(response.statusCode).toBe(404);
      expect(response.json()).toMatchObject({ error: { reason: 'not-found' } });
    });
  });

  describe('unknown API routes', () => {
    it.each([
      ['GET', '/api/nope'],
      ['POST', '/api/nope'],
      ['GET', '/api'],
    ] as const)('%s %s answers 404 in the error shape', async (method, url) => {
      const response = await app.inject({ method, url });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual({
        error: { reason: 'not-found', message: expect.any(String), details: {} },
      });
    });
  });

  describe('errors', () => {
    let errorApp: ReturnType<typeof buildApp>;
    let token: string;

    beforeAll(async () => {
      errorApp = buildApp({
        staticDir: path.join(folder, 'public'),
        database: db(),
        scryptCost: TEST_SCRYPT_COST,
      });
      // Routes that exist only in this test, to reach the error handler. Added after buildApp, they
      // are behind the session guard all the same.
      errorApp.post('/api/echo', async (request) => ({ received: request.body }));
      errorApp.get('/api/broken', async () => {
        throw new Error('database password is hunter2');
      });
      await errorApp.ready();
      await resetDatabase(db());
      token = (await setUpOrganisation(errorApp)).token;
      return () => errorApp.close();
    });

    it('refuses a route added after buildApp to an anonymous caller', async () => {
      const response = await errorApp.inject({ method: 'POST', url: '/api/echo', payload: { a: 1 } });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toMatchObject({ error: { reason: 'not-signed-in' } });
    });

    it('answers a malformed JSON body with 400 in the error shape', async () => {
      const response = await errorApp.inject({
        method: 'POST',
        url: '/api/echo',
        headers: { 'content-type': 'application/json' },
        payload: '{not json',
        ...withSession(token),
      });
      expect(response.statusCode).toBe(400);
      expect(response.json()).toEqual({
        error: { reason: 'bad-request', message: expect.any(String), details: {} },
      });
    });

    it('answers an unexpected error with 500, a generic message and no stack trace', async () => {
      const response = await errorApp.inject({ method: 'GET', url: '/api/broken', ...withSession(token) });
      expect(response.statusCode).toBe(500);
      expect(response.json()).toEqual({
        error: { reason: 'internal-error', message: expect.any(String), details: {} },
      });
      expect(response.body).not.toContain('hunter2');
      expect(response.body).not.toMatch(/\bat .*\.(js|ts):\d+/);
    });
  });

  describe('path traversal', () => {
    let baseUrl: { host: string; port: number };

    beforeAll(async () => {
      // Over a real socket, so the raw path reaches the server exactly as written (inject normalises it).
      const traversalApp = buildApp({ staticDir: path.join(folder, 'public'), database: db() });
      await traversalApp.listen({ port: 0, host: '127.0.0.1' });
      const address = traversalApp.server.address() as AddressInfo;
      baseUrl = { host: '127.0.0.1', port: address.port };
      return () => traversalApp.close();
    });

    it.each([
      '/../package.json',
      '/../secret.txt',
      '/%2e%2e/package.json',
      '/%2E%2E/secret.txt',
      '/..%2fpackage.json',
      '/assets/../../secret.txt',
      '/assets/..%2f..%2fsecret.txt',
      '/assets/%2e%2e/%2e%2e/package.json',
      '//../package.json',
      '/.%2e/package.json',
    ])('does not leak a file outside the static folder for %s', async (rawPath) => {
      const response = await getRaw(baseUrl, rawPath);
      expect(response.body).not.toContain(SECRET);
      expect(response.statusCode).not.toBe(500);
    });

    it('still serves files inside the folder over the same socket', async () => {
      const response = await getRaw(baseUrl, '/assets/x.js');
      expect(response.statusCode).toBe(200);
      expect(response.body).toBe('console.log("x");');
    });
  });
});

function getRaw(
  target: { host: string; port: number },
  rawPath: string,
): Promise<{ statusCode: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ ...target, method: 'GET', path: rawPath }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({ statusCode: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
      );
      response.on('error', reject);
    });
    request.on('error', reject);
    request.end();
  });
}
