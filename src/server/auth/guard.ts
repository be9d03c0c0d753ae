// Every /api route needs a signed-in session except the few named in PUBLIC_API_ROUTES. The check is
// one onRequest hook for the whole app, so a route added later is protected without doing anything;
// a route reads who is asking with requireSession(request).
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Database } from '../db/database';
import { HttpError } from '../errors';
import { isApiPath } from '../paths';
import type { SessionUser } from './sessions';
import { findSession, sessionTokenOf } from './sessions';

/** The only /api routes anyone may call without signing in ("METHOD /route"; HEAD counts as GET). */
export const PUBLIC_API_ROUTES: ReadonlySet<string> = new Set([
  'GET /api/health',
  'GET /api/setup',
  'POST /api/setup',
  'POST /api/auth/sign-in',
  'GET /api/invitations/:code',
  // The server's public key that devices seal their outbox to, fetched before the first sign-in.
  'GET /api/sync/sealing-key',
  'POST /api/invitations/:code/accept',
]);

export function isPublicApiRoute(method: string, route: string): boolean {
  return PUBLIC_API_ROUTES.has(`${method === 'HEAD' ? 'GET' : method} ${route}`);
}

/** Each request's session, looked up at most once, when first asked for. */
const sessionLookups = new WeakMap<FastifyRequest, () => Promise<SessionUser | null>>();

/** Installs the hook that refuses an anonymous request to any /api route not in PUBLIC_API_ROUTES. */
export function installSessionGuard(app: FastifyInstance, database: Database): void {
  app.addHook('onRequest', async (request) => {
    const route = request.routeOptions.url;
    // No route matched: the not-found handler answers, and says nothing about stored data.
    if (route === undefined || !isApiPath(route)) return;
    let lookup: Promise<SessionUser | null> | undefined;
    sessionLookups.set(request, () => (lookup ??= findSession(database, sessionTokenOf(request))));
    if (isPublicApiRoute(request.method, route)) return;
    await requireSession(request);
  });
}

/**
 * Who is signed in, for a route handler or preHandler. Throws (answered as 401 not-signed-in) when
 * the request has no session that is current and whose user is active.
 */
export async function requireSession(request: FastifyRequest): Promise<SessionUser> {
  const session = await sessionLookups.get(request)?.();
  if (!session) throw new HttpError(401, 'not-signed-in', 'Sign in to sync.');
  return session;
}

/** The signed-in coordinator; a tutor is answered 403 coordinator-only. */
export async function requireCoordinator(request: FastifyRequest): Promise<SessionUser> {
  const session = await requireSession(request);
  if (session.role !== 'coordinator') {
    throw new HttpError(403, 'coordinator-only', 'Only a coordinator can do this. Ask your coordinator.');
  }
  return session;
}
