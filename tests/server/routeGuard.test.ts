// Every /api route but the public few refuses an anonymous caller: the routes are found from the app
// itself, so a route added later (the sync routes, say) is checked without changing this test.
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { listRoutes } from '../../src/server/app';
import { isPublicApiRoute, PUBLIC_API_ROUTES } from '../../src/server/auth/guard';
import { SESSION_COOKIE } from '../../src/server/auth/sessions';
import { describeEachBackend, resetDatabase } from '../helpers/serverDb';
import { buildTestApp, setUpOrganisation } from './testApp';

const SOME_ID = '0b0d8a56-5d1e-4a53-9b7e-2f0c7c1d9a01';

describeEachBackend('session guard', ({ db }) => {
  let app: FastifyInstance;

  beforeAll(async () => {
    await resetDatabase(db());
    app = await buildTestApp(db());
    // A set-up server, so a protected route could answer with data if the guard let it.
    await setUpOrganisation(app);
  });
  afterAll(() => app.close());

  const apiRoutes = () => listRoutes(app).filter((route) => route.url.startsWith('/api'));
  const concrete = (url: string) => url.replace(/:[A-Za-z]+/g, SOME_ID).replace(/\*$/, 'anything');

  it('finds the routes it checks', () => {
    const names = apiRoutes().map((route) => `${route.method} ${route.url}`);
    for (const expected of [
      'POST /api/devices',
      'GET /api/auth/me',
      'POST /api/auth/sign-out',
      ...PUBLIC_API_ROUTES,
    ]) {
      expect(names).toContain(expected);
    }
  });

  it('refuses every non-public /api route to an anonymous caller, and to a made-up session', async () => {
    const protectedRoutes = apiRoutes().filter((route) => !isPublicApiRoute(route.method, route.url));
    expect(protectedRoutes.length).toBeGreaterThanOrEqual(3);
    for (const route of protectedRoutes) {
      const anonymous: Record<string, string>[] = [{}, { [SESSION_COOKIE]: 'A'.repeat(43) }];
      for (const cookies of anonymous) {
        const response = await app.inject({
          method: route.method as 'GET',
          url: concrete(route.url),
          cookies,
          ...(route.method === 'GET' || route.method === 'HEAD' ? {} : { payload: {} }),
        });
        expect(response.statusCode, `${route.method} ${route.url}`).toBe(401);
        if (route.method !== 'HEAD') {
          expect(response.json(), `${route.method} ${route.url}`).toEqual({
            error: { reason: 'not-signed-in', message: 'Sign in to sync.', details: {} },
          });
        }
      }
    }
  });

  it('answers the public routes without a session', async () => {
    for (const route of apiRoutes().filter((candidate) =>
      isPublicApiRoute(candidate.method, candidate.url),
    )) {
      const response = await app.inject({
        method: route.method as 'GET',
        url: route.url,
        ...(route.method === 'POST' ? { payload: {} } : {}),
      });
      expect(response.statusCode, `${route.method} ${route.url}`).not.toBe(401);
    }
  });
});
