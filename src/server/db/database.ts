// The server's storage: one PostgreSQL interface over two drivers. By default the embedded PGlite
// (PostgreSQL compiled to WebAssembly, files under DATA_DIR); a real PostgreSQL server (a pg Pool)
// when DATABASE_URL is set. Both run the same migrations and the same SQL.
//
// Values as they come back, the same on both drivers:
// - bigint (int8) and bigserial columns, and count(*), are JS numbers. A value beyond
//   Number.MAX_SAFE_INTEGER (2^53 - 1) throws a RangeError rather than being rounded or turned
//   into a BigInt that JSON cannot hold: no sequence here comes near it.
// - jsonb and json are parsed; timestamptz is a Date; uuid, text and numeric are strings.
// - Pass a jsonb parameter as JSON text (JSON.stringify(value)): an object would also work, but a JS
//   array becomes a PostgreSQL array on pg and JSON on PGlite.
import { AsyncLocalStorage } from 'node:async_hooks';
import path from 'node:path';
import { runMigrations } from './migrate';

export type Rows<T> = { rows: T[] };

export type Sql = {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Rows<T>>;
};

export type Database = {
  readonly kind: 'pglite' | 'postgres';
  /**
   * Runs fn as one whole transaction (BEGIN…COMMIT, ROLLBACK on throw), at PostgreSQL's default
   * isolation (read committed). On PGlite every transaction and query goes through one queue: PGlite
   * has one connection. On PostgreSQL the whole of fn is run again, a bounded number of times, after
   * a serialization failure or a deadlock, so fn must have no effect outside the database.
   * Inside fn use only its sql: calling the database itself from there throws (on PGlite it would
   * wait for the transaction that is waiting for it).
   */
  transaction<T>(fn: (sql: Sql) => Promise<T>): Promise<T>;
  /** One statement outside any explicit transaction. */
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<Rows<T>>;
  close(): Promise<void>;
};

export type OpenDatabaseOptions = {
  /** A PostgreSQL connection string: use that server instead of the embedded database. */
  databaseUrl?: string;
  /** The folder the embedded database keeps its files in (under `pglite/`); default ./data. */
  dataDir?: string;
  /** An embedded database in memory only, gone at close (tests). */
  inMemory?: boolean;
};

/** What the drivers give a transaction: Sql, and a multi-statement script (migrations only). */
export type ScriptSql = Sql & { exec(script: string): Promise<void> };

/** A driver is a Database whose transactions can also run scripts; openDatabase hides that. */
export type Driver = Omit<Database, 'transaction'> & {
  transaction<T>(fn: (sql: ScriptSql) => Promise<T>): Promise<T>;
};

/** Opens the database the options name and brings its schema up to date before returning it. */
export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  const driver = await openDriver(options);
  try {
    await runMigrations(driver);
  } catch (error) {
    await driver.close();
    throw error;
  }
  return driver;
}

/** Opens a driver without migrating (openDatabase and the migration tests). */
export async function openDriver(options: OpenDatabaseOptions): Promise<Driver> {
  if (options.databaseUrl !== undefined && options.databaseUrl !== '') {
    const { openPostgres } = await import('./postgres');
    return openPostgres(options.databaseUrl);
  }
  const { openPglite } = await import('./pglite');
  if (options.inMemory) return openPglite(undefined);
  return openPglite(path.resolve(options.dataDir ?? 'data', 'pglite'));
}

/** Thrown when code calls the database from inside one of its own transactions. */
export class NestedDatabaseCallError extends Error {
  readonly code = 'nested-database-call';

  constructor() {
    super(
      'The database was called from inside a transaction: use the sql the transaction gives its function.',
    );
    this.name = 'NestedDatabaseCallError';
  }
}

const insideTransaction = new AsyncLocalStorage<true>();

/** Runs fn marked as inside a transaction, so a nested call to the database is caught. */
export function runMarkedAsTransaction<T>(fn: () => Promise<T>): Promise<T> {
  return insideTransaction.run(true, fn);
}

export function refuseNestedCall(): void {
  if (insideTransaction.getStore() === true) throw new NestedDatabaseCallError();
}

/** int8 as text to a JS number; refuses what a double cannot hold exactly. */
export function parseInt8(text: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(`A bigint value from the database is beyond Number.MAX_SAFE_INTEGER: ${text}`);
  }
  return value;
}

/** PostgreSQL's type ids (pg_type.oid) the drivers parse themselves. */
export const INT8_OID = 20;
export const INT8_ARRAY_OID = 1016;
