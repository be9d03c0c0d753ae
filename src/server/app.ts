// Builds the HTTP app without listening, so tests can drive it: the production build as static files
// (with cache headers that let service-worker updates be found), the client-route fallback, and /api,
// every /api route but a few public ones behind a signed-in session.
import { access } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyStatic from '@fastify/static';
import Fastify, { LogController } from 'fastify';
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { installSessionGuard } from './auth/guard';
import type { ScryptCost } from './auth/password';
import { DEFAULT_SCRYPT_COST } from './auth/password';
import { registerAuthRoutes } from './auth/routes';
import type { Database } from './db/database';
import { registerDataProtectionRoutes } from './dataProtection/routes';
import { registerConflictRoutes } from './conflicts/routes';
import { registerDeviceRoutes } from './devices/routes';
import { registerExportRoutes } from './exports/routes';
import { registerHistoryRoutes } from './history/routes';
import { registerMergeRoutes } from './merge/routes';
import { registerPriorityAreaRoutes } from './priorityAreas/routes';
import { registerReportRoutes } from './reports/routes';
import { registerSyncRoutes } from './sync/routes';
import { registerPeopleRoutes } from './users/routes';
import { describeError, errorBody, HttpError, loggableError } from './errors';
import { isApiPath, pathOf } from './paths';

export type AppOptions = {
  /** The production build folder (vite's `dist`). */
  staticDir: string;
  /** The opened, migrated database; the caller owns it and closes it after the app. */
  database: Database;
  /** The server's clock for sync (clock-drift checks); tests replace it. */
  now?: () => number;
  /** Structured request logs through pino; off unless asked for (tests stay quiet). */
  logger?: boolean;
  logLevel?: string;
  /** Where log lines go (default stdout); tests read them to prove they hold no personal data. */
  logStream?: { write(line: string): void };
  /**
   * Fastify's trustProxy: whether X-Forwarded-Proto/-For from a reverse proxy are believed, so that
   * a request that reached the proxy over HTTPS gets a Secure cookie. true, a hop count, or addresses.
   */
  trustProxy?: boolean | number | string;
  /** scrypt's cost for new password hashes; tests lower it, everything else keeps the default. */
  scryptCost?: ScryptCost;
};

export type RouteEntry = { method: string; url: string };

const routesByApp = new WeakMap<FastifyInstance, RouteEntry[]>();

/** Every route the app registered (HEAD routes included), for the test that every /api route is guarded. */
export function listRoutes(app: FastifyInstance): readonly RouteEntry[] {
  return routesByApp.get(app) ?? [];
}

/** The server's version: package.json's, read once at start. */
export const SERVER_VERSION = readPackageVersion();

/** Hashed build output: the file name changes whenever the content does. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/**
 * Everything else (index.html, sw.js, registerSW.js, manifest.webmanifest, icons) is revalidated on
 * every request, so a new service worker or manifest is found as soon as it is deployed.
 */
const REVALIDATE = 'no-cache';

export function buildApp(options: AppOptions): FastifyInstance {
  const staticRoot = path.resolve(options.staticDir);
  const app = Fastify({
    trustProxy: trustProxyOf(options.trustProxy),
    logger: options.logger
      ? {
          level: options.logLevel ?? 'info',
          ...(options.logStream ? { stream: options.logStream } : {}),
          // Whatever Fastify logs about a request carries no query string, headers or body.
          serializers: {
            req: (request: { method: string; url: string }) => ({
              method: request.method,
              path: pathOf(request.url),
            }),
            res: (reply: { statusCode: number }) => ({ statusCode: reply.statusCode }),
          },
        }
      : false,
    logController: new RequestLogController(),
  });

  const routes: RouteEntry[] = [];
  routesByApp.set(app, routes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) routes.push({ method, url: route.url });
  });

  // Cookies are parsed before the session guard's onRequest hook reads them (hooks run in order).
  app.register(fastifyCookie);
  installSessionGuard(app, options.database);

  app.addHook('onSend', async (request, reply, payload) => {
    // API answers are live data: no cache, including the service worker's, may keep them.
    if (isApiPath(pathOf(request.url))) reply.header('cache-control', 'no-store');
    return payload;
  });

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const { statusCode, body } = describeError(error);
    if (statusCode >= 500) {
      request.log.error({ error: loggableError(error), path: pathOf(request.url) }, 'request failed');
    } else {
      const reason = error instanceof HttpError ? error.reason : undefined;
      request.log.debug({ code: error.code, reason, statusCode }, 'request refused');
    }
    return reply.code(statusCode).type('application/json; charset=utf-8').send(body);
  });

  app.get('/api/health', async () => ({ status: 'ok', version: SERVER_VERSION }));
  registerAuthRoutes(app, {
    database: options.database,
    scryptCost: options.scryptCost ?? DEFAULT_SCRYPT_COST,
  });
  registerDeviceRoutes(app, { database: options.database });
  registerPeopleRoutes(app, {
    database: options.database,
    scryptCost: options.scryptCost ?? DEFAULT_SCRYPT_COST,
  });
  registerSyncRoutes(app, { database: options.database, now: options.now });
  registerHistoryRoutes(app, { database: options.database });
  registerMergeRoutes(app, { database: options.database, now: options.now });
  registerConflictRoutes(app, { database: options.database, now: options.now });
  registerReportRoutes(app, { database: options.database });
  registerPriorityAreaRoutes(app, { database: options.database });
  registerExportRoutes(app, { database: options.database });
  registerDataProtectionRoutes(app, { database: options.database, now: options.now });

  app.register(fastifyStatic, {
    root: staticRoot,
    prefix: '/',
    wildcard: true,
    index: ['index.html'],
    dotfiles: 'ignore',
    // send's default Cache-Control is replaced by the policy in setHeaders.
    cacheControl: false,
    setHeaders: (response, filePath) => {
      response.setHeader('cache-control', isHashedAsset(staticRoot, filePath) ? IMMUTABLE : REVALIDATE);
    },
  });

  app.setNotFoundHandler(async (request, reply) => {
    const urlPath = pathOf(request.url);
    const isPageRequest = request.method === 'GET' || request.method === 'HEAD';
    // A missing hashed asset or API route must not be answered with HTML the caller would misread.
    if (!isPageRequest || isApiPath(urlPath) || urlPath.startsWith('/assets/')) {
      return sendNotFound(reply, `There is nothing at ${request.method} ${urlPath}.`);
    }
    // Client-side routes (/sessions/abc, /learners) are answered by the app shell.
    if (!(await fileExists(path.join(staticRoot, 'index.html')))) {
      request.log.warn({ staticRoot }, 'index.html is missing: has the app been built?');
      return sendNotFound(reply, 'The app has not been built on this server.');
    }
    return reply.sendFile('index.html');
  });

  return app;
}

/** A hop count trusts that many proxies in front of the server (the nearest is hop 0). */
function trustProxyOf(
  value: AppOptions['trustProxy'],
): boolean | string | ((address: string, hop: number) => boolean) {
  if (typeof value === 'number') return (_address, hop) => hop < value;
  return value ?? false;
}

/** One log line per request (method, path without query, status, time) instead of Fastify's two. */
class RequestLogController extends LogController {
  override incomingRequest(): void {}

  override routeNotFound(): void {}

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    const line = {
      method: request.method,
      path: pathOf(request.url),
      statusCode: reply.statusCode,
      responseTimeMs: Math.round(reply.elapsedTime),
    };
    if (error) reply.log.error({ ...line, error: loggableError(error) }, 'request errored');
    else reply.log.info(line, 'request completed');
  }
}

function sendNotFound(reply: FastifyReply, message: string): FastifyReply {
  return reply.code(404).type('application/json; charset=utf-8').send(errorBody('not-found', message));
}

function isHashedAsset(staticRoot: string, filePath: string): boolean {
  const relative = path.relative(staticRoot, filePath).split(path.sep);
  return relative.length > 1 && relative[0] === 'assets';
}

async function fileExists(filePath: string): Promise<boolean> {
  try {
    await access(filePath);
    return true;
  } catch {
    return false;
  }
}

function readPackageVersion(): string {
  const packageJson: unknown = JSON.parse(
    readFileSync(new URL('../../package.json', import.meta.url), 'utf8'),
  );
  if (
    typeof packageJson === 'object' &&
    packageJson !== null &&
    'version' in packageJson &&
    typeof packageJson.version === 'string'
  ) {
    return packageJson.version;
  }
  throw new Error('package.json has no version');
}
