// Starts the server from environment variables and stops it gracefully on SIGTERM or SIGINT: requests
// in flight finish, then the database is closed.
import path from 'node:path';
import { buildApp } from './app';
import { openDatabase } from './db/database';
import { refreshAllDashboardSummaries } from './db/dashboardSummaries';
import { loggableError } from './errors';

/** How long in-flight requests may take to finish after a stop signal before the process exits anyway. */
const SHUTDOWN_GRACE_MS = 10_000;

type Config = {
  port: number;
  host: string;
  staticDir: string;
  dataDir: string;
  databaseUrl: string | undefined;
  trustProxy: boolean | number | string;
  logLevel: string;
};

function readConfig(env: NodeJS.ProcessEnv): Config {
  const portText = env.PORT ?? '8080';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65_535) {
    throw new Error(`PORT must be a whole number from 0 to 65535, not "${portText}"`);
  }
  return {
    port,
    host: env.HOST ?? '127.0.0.1',
    staticDir: path.resolve(env.STATIC_DIR ?? 'dist'),
    dataDir: path.resolve(env.DATA_DIR ?? 'data'),
    databaseUrl: env.DATABASE_URL === '' ? undefined : env.DATABASE_URL,
    trustProxy: readTrustProxy(env.TRUST_PROXY),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}

/**
 * TRUST_PROXY: unset or "false" trusts no proxy; "true" trusts any; a whole number trusts that many
 * hops; anything else is a comma-separated list of proxy addresses or CIDR ranges.
 */
function readTrustProxy(text: string | undefined): boolean | number | string {
  const value = text?.trim() ?? '';
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}

async function main(): Promise<void> {
  const config = readConfig(process.env);
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });

  const app = buildApp({
    staticDir: config.staticDir,
    database,
    logger: true,
    logLevel: config.logLevel,
    trustProxy: config.trustProxy,
  });
  app.log.info({ database: database.kind }, 'database ready');
  const rebuilt = await refreshAllDashboardSummaries(database);
  if (rebuilt.learners + rebuilt.sessions > 0)
    app.log.info(rebuilt, 'dashboard summaries brought up to date');

  let stopping = false;
  const stop = (signal: NodeJS.Signals): void => {
    if (stopping) {
      app.log.warn({ signal }, 'second stop signal: exiting now');
      process.exit(1);
    }
    stopping = true;
    app.log.info({ signal }, 'stopping: finishing in-flight requests');
    setTimeout(() => {
      app.log.error('in-flight requests did not finish in time: exiting');
      process.exit(1);
    }, SHUTDOWN_GRACE_MS).unref();
    // Fastify's close waits for the requests in flight; only then is the database closed under them.
    app
      .close()
      .then(() => database.close())
      .then(
        () => {
          app.log.info('stopped');
          process.exitCode = 0;
        },
        (error: unknown) => {
          app.log.error({ error: loggableError(error) }, 'error while stopping');
          process.exitCode = 1;
        },
      );
  };
  // A second signal (Ctrl-C twice) exits at once.
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);

  await app.listen({ port: config.port, host: config.host });
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : config.port;
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  console.log(`Outreach Register listening on http://${host}:${port}`);
}

main().catch((error: unknown) => {
  console.error('Outreach Register could not start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
