// The two storage backends every server test runs on: PGlite in memory, and the machine's PostgreSQL,
// where each opened database is a throwaway one (CREATE DATABASE outreach_test_<random>) dropped when
// it is closed. TEST_DATABASE_URL names the PostgreSQL server and the database to connect to while
// creating and dropping them (default postgres://root@127.0.0.1:5432/postgres).
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import type { Database, Driver } from '../../src/server/db/database';
import { openDatabase, openDriver } from '../../src/server/db/database';

/**
 * Time for a test or hook that opens a database: PGlite takes seconds to start (more when test files
 * run in parallel on two cores), which Vitest's defaults (5 s a test, 10 s a hook) do not allow.
 */
export const OPEN_TIMEOUT_MS = 60_000;

export const TEST_ADMIN_URL = process.env.TEST_DATABASE_URL || 'postgres://root@127.0.0.1:5432/postgres';

export type ServerBackend = {
  name: 'PGlite' | 'PostgreSQL';
  kind: Database['kind'];
  /** A new, empty, migrated database of its own; closing it deletes it. */
  open(): Promise<Database>;
  /**
   * A new, empty database with no migrations run, for the migration tests; closing it deletes it.
   * `url` is its connection string on PostgreSQL, so a test can open it again from elsewhere.
   */
  openEmpty(): Promise<{ driver: Driver; url: string | undefined }>;
};

export const SERVER_BACKENDS: readonly ServerBackend[] = [
  {
    name: 'PGlite',
    kind: 'pglite',
    open: () => openDatabase({ inMemory: true }),
    openEmpty: async () => ({ driver: await openDriver({ inMemory: true }), url: undefined }),
  },
  {
    name: 'PostgreSQL',
    kind: 'postgres',
    open: async () => {
      const throwaway = await createThrowawayDatabase();
      return dropOnClose(
        await openDatabase({ databaseUrl: throwaway.url }).catch(throwaway.dropAfter),
        throwaway,
      );
    },
    openEmpty: async () => {
      const throwaway = await createThrowawayDatabase();
      const driver = await openDriver({ databaseUrl: throwaway.url }).catch(throwaway.dropAfter);
      return { driver: dropOnClose(driver, throwaway), url: throwaway.url };
    },
  },
];

export type BackendContext = {
  backend: ServerBackend;
  /** The block's database, opened before its first test and deleted after its last. */
  db(): Database;
};

/**
 * Declares the tests fn declares once per backend, in a describe block named `name on <backend>`, each
 * with a database of its own for the block. Tests that need it empty call resetDatabase(db()).
 */
export function describeEachBackend(name: string, fn: (context: BackendContext) => void): void {
  for (const backend of SERVER_BACKENDS) {
    describe(`${name} on ${backend.name}`, () => {
      let database: Database | undefined;
      beforeAll(async () => {
        database = await backend.open();
      }, OPEN_TIMEOUT_MS);
      afterAll(async () => {
        await database?.close();
      }, OPEN_TIMEOUT_MS);
      fn({
        backend,
        db: () => {
          if (!database) throw new Error('The test database is opened in beforeAll: use db() inside a test.');
          return database;
        },
      });
    });
  }
}

/**
 * Empties every table but schema_migrations and sealing_keys, history included (the purge setting
 * allows it). The sealing keys are the server's own identity, which a running server holds in memory:
 * emptied under it, devices' sealed changes could no longer be opened by anyone but that server.
 */
export async function resetDatabase(db: Database): Promise<void> {
  await db.transaction(async (sql) => {
    const { rows } = await sql.query<{ tablename: string }>(
      "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('schema_migrations', 'sealing_keys')",
    );
    if (rows.length === 0) return;
    await sql.query("SELECT set_config('outreach.allow_history_purge', 'on', true)");
    await sql.query(`TRUNCATE ${rows.map((row) => `"${row.tablename}"`).join(', ')} CASCADE`);
  });
}

type Throwaway = { url: string; drop(): Promise<void>; dropAfter(error: unknown): Promise<never> };

/** Creates an empty database on the test server and returns its connection string. */
export async function createThrowawayDatabase(): Promise<Throwaway> {
  const name = `outreach_test_${randomBytes(6).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE ${name}`));
  const url = new URL(TEST_ADMIN_URL);
  url.pathname = `/${name}`;
  const drop = () => withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  return {
    url: url.toString(),
    drop: async () => {
      await drop();
    },
    dropAfter: async (error: unknown) => {
      await drop();
      throw error;
    },
  };
}

async function withAdmin<T>(fn: (admin: pg.Client) => Promise<T>): Promise<T> {
  const admin = new pg.Client({ connectionString: TEST_ADMIN_URL });
  try {
    await admin.connect();
  } catch (error) {
    throw new Error(
      `Server tests need PostgreSQL at ${TEST_ADMIN_URL} (set TEST_DATABASE_URL; scripts/ensure-test-env.sh sets one up): ${String(error)}`,
    );
  }
  try {
    return await fn(admin);
  } finally {
    await admin.end();
  }
}

function dropOnClose<T extends { close(): Promise<void> }>(database: T, throwaway: Throwaway): T {
  return {
    ...database,
    close: async () => {
      try {
        await database.close();
      } finally {
        await throwaway.drop();
      }
    },
  };
}
