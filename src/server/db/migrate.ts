// Brings a database's schema up to date: the numbered SQL files in ./migrations, each applied once, in
// order, all in one transaction that holds an advisory lock, so a second server starting at the same
// moment waits and then finds nothing left to do. The same SQL runs on PGlite and PostgreSQL.
// A shipped migration is never edited: a change is a new file (its checksum is checked at start).
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import type { Driver, ScriptSql } from './database';
import { MIGRATION_LOCK } from './locks';

export type Migration = { version: number; name: string; sql: string; checksum: string };

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const FILE_NAME = /^(\d{3})_([a-z0-9_]+)\.sql$/;

/** The migrations shipped with this server, in order; their numbers run 1, 2, 3… without a gap. */
export async function loadMigrations(): Promise<Migration[]> {
  const names = (await readdir(MIGRATIONS_DIR)).filter((name) => name.endsWith('.sql')).sort();
  const migrations: Migration[] = [];
  for (const fileName of names) {
    const match = FILE_NAME.exec(fileName);
    if (!match?.[1] || !match[2]) throw new Error(`Migration file name not understood: ${fileName}`);
    const version = Number(match[1]);
    if (version !== migrations.length + 1) {
      throw new Error(`Migration ${fileName} is out of sequence: expected number ${migrations.length + 1}`);
    }
    // Line endings normalised, so a checkout with CRLF has the same checksum.
    const sql = (await readFile(new URL(fileName, MIGRATIONS_DIR), 'utf8')).replace(/\r\n/g, '\n');
    migrations.push({ version, name: match[2], sql, checksum: sha256(sql) });
  }
  return migrations;
}

export type MigrationResult = { applied: number[] };

/**
 * Applies every migration not yet applied, up to `target` (default: all). Refuses a database that a
 * newer server has migrated further, or whose applied migrations differ from the shipped files.
 */
export async function runMigrations(
  driver: Driver,
  options: { migrations?: Migration[]; target?: number } = {},
): Promise<MigrationResult> {
  const migrations = options.migrations ?? (await loadMigrations());
  const target = options.target ?? migrations.length;
  return driver.transaction(async (sql) => {
    await sql.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    await sql.exec(`
      CREATE TABLE IF NOT EXISTS schema_migrations (
        version integer PRIMARY KEY,
        name text NOT NULL,
        checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now()
      )`);
    const { rows } = await sql.query<{ version: number; name: string; checksum: string }>(
      'SELECT version, name, checksum FROM schema_migrations ORDER BY version',
    );
    checkApplied(rows, migrations);
    const applied: number[] = [];
    for (const migration of migrations) {
      if (migration.version > target || migration.version <= rows.length) continue;
      await applyMigration(sql, migration);
      applied.push(migration.version);
    }
    return { applied };
  });
}

async function applyMigration(sql: ScriptSql, migration: Migration): Promise<void> {
  await sql.exec(migration.sql);
  await sql.query('INSERT INTO schema_migrations (version, name, checksum) VALUES ($1, $2, $3)', [
    migration.version,
    migration.name,
    migration.checksum,
  ]);
}

function checkApplied(
  applied: { version: number; name: string; checksum: string }[],
  migrations: Migration[],
): void {
  if (applied.length > migrations.length) {
    throw new Error(
      `The database schema is at version ${applied.length}, newer than this server's ${migrations.length}: run a newer server.`,
    );
  }
  applied.forEach((row, index) => {
    const shipped = migrations[index];
    if (row.version !== index + 1 || shipped === undefined) {
      throw new Error(`schema_migrations is not a sequence from 1: found version ${row.version}`);
    }
    if (row.checksum !== shipped.checksum) {
      throw new Error(
        `Migration ${row.version} (${row.name}) was applied with different SQL from the file shipped now: a shipped migration must not be edited.`,
      );
    }
  });
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
