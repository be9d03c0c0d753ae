// Migrations from an empty database and from the previous version, on both backends; PGlite's files
// kept across a restart; two servers migrating one PostgreSQL database at once; the schema's own
// guards (append-only history, one attendance per session and learner, lower-case emails).
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Database, Driver, Sql } from '../../src/server/db/database';
import { openDatabase } from '../../src/server/db/database';
import type { Migration } from '../../src/server/db/migrate';
import { loadMigrations, runMigrations } from '../../src/server/db/migrate';
import {
  createThrowawayDatabase,
  describeEachBackend,
  OPEN_TIMEOUT_MS,
  SERVER_BACKENDS,
} from '../helpers/serverDb';

const TABLES = [
  'auth_sessions',
  'change_history',
  'conflict_resolutions',
  'dashboard_employment',
  'dashboard_enrolments',
  'dashboard_learner_places',
  'dashboard_learners',
  'dashboard_outcomes',
  'dashboard_passports',
  'dashboard_session_marks',
  'dashboard_sessions',
  'dashboard_stale',
  'device_secrets',
  'devices',
  'exports',
  'invitations',
  'learner_duplicate_dismissals',
  'learner_erasures',
  'learner_merges',
  'learner_priority_areas',
  'mutation_results',
  'organisations',
  'priority_area_postcodes',
  'priority_area_rules',
  'records',
  'retention_periods',
  'retention_runs',
  'schema_migrations',
  'sealing_keys',
  'sign_in_failures',
  'special_category_access',
  'subject_access_exports',
  'users',
];

/** Every migration shipped, in order. */
const ALL_VERSIONS = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14];

async function tablesOf(db: Sql): Promise<string[]> {
  const { rows } = await db.query<{ tablename: string }>(
    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename",
  );
  return rows.map((row) => row.tablename);
}

async function indexesOf(db: Sql, table: string): Promise<string[]> {
  const { rows } = await db.query<{ indexname: string }>(
    "SELECT indexname FROM pg_indexes WHERE schemaname = 'public' AND tablename = $1 ORDER BY indexname",
    [table],
  );
  return rows.map((row) => row.indexname);
}

async function columnsOf(db: Sql, table: string): Promise<Record<string, string>> {
  const { rows } = await db.query<{ column_name: string; data_type: string; is_nullable: string }>(
    `SELECT column_name, data_type, is_nullable FROM information_schema.columns
     WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  );
  return Object.fromEntries(
    rows.map((row) => [row.column_name, `${row.data_type}${row.is_nullable === 'NO' ? ' not null' : ''}`]),
  );
}

async function appliedVersions(db: Sql): Promise<number[]> {
  const { rows } = await db.query<{ version: number }>(
    'SELECT version FROM schema_migrations ORDER BY version',
  );
  return rows.map((row) => row.version);
}

async function seedAccount(sql: Sql): Promise<{ organisationId: string; userId: string }> {
  const organisationId = randomUUID();
  const userId = randomUUID();
  await sql.query('INSERT INTO organisations (id, name) VALUES ($1, $2)', [
    organisationId,
    'Kept across migrations',
  ]);
  await sql.query(
    `INSERT INTO users (id, organisation_id, email, name, role, password_hash)
     VALUES ($1, $2, 'kept@example.org', 'Kept', 'tutor', 'x')`,
    [userId, organisationId],
  );
  await sql.query(
    `INSERT INTO auth_sessions (token_hash, user_id, expires_at) VALUES ('hash', $1, now() + interval '1 day')`,
    [userId],
  );
  return { organisationId, userId };
}

for (const backend of SERVER_BACKENDS) {
  describe(`migrations on ${backend.name}`, { timeout: OPEN_TIMEOUT_MS }, () => {
    const withEmpty = async (fn: (driver: Driver) => Promise<void>) => {
      const { driver } = await backend.openEmpty();
      try {
        await fn(driver);
      } finally {
        await driver.close();
      }
    };

    it('creates the whole schema on an empty database, once', async () => {
      await withEmpty(async (driver) => {
        expect(await tablesOf(driver)).toEqual([]);
        const shipped = await loadMigrations();
        expect(shipped.map((migration) => migration.version)).toEqual(ALL_VERSIONS);

        expect(await runMigrations(driver)).toEqual({ applied: ALL_VERSIONS });
        expect(await tablesOf(driver)).toEqual(TABLES);
        expect(await appliedVersions(driver)).toEqual(ALL_VERSIONS);
        expect(await runMigrations(driver)).toEqual({ applied: [] });

        expect(await columnsOf(driver, 'records')).toEqual({
          organisation_id: 'uuid not null',
          entity_type: 'text not null',
          entity_id: 'uuid not null',
          data: 'jsonb not null',
          field_hlcs: 'jsonb not null',
          deleted: 'boolean not null',
          deleted_hlc: 'text',
          change_seq: 'bigint not null',
          created_by_user: 'uuid',
          created_by_device: 'uuid',
          received_at: 'timestamp with time zone not null',
          latest_hlc: 'text',
        });
        expect(await columnsOf(driver, 'users')).toMatchObject({
          email: 'text not null',
          password_hash: 'text not null',
          may_view_special_category: 'boolean not null',
        });
        expect(await columnsOf(driver, 'devices')).toMatchObject({
          client_device_id: 'text not null',
          last_mutation_id: 'bigint not null',
          health: 'jsonb',
          last_pulled_seq: 'bigint',
        });
        expect(await indexesOf(driver, 'records')).toEqual([
          'records_attendance_session_learner',
          'records_enrolment_programme',
          'records_learner',
          'records_learner_creator',
          'records_organisation_change_seq',
          'records_pkey',
          'records_session_tutors',
        ]);
        expect(await indexesOf(driver, 'change_history')).toEqual([
          'change_history_conflicts',
          'change_history_entity',
          'change_history_new_record_learner',
          'change_history_pkey',
        ]);
        expect(await columnsOf(driver, 'special_category_access')).toEqual({
          id: 'bigint not null',
          organisation_id: 'uuid not null',
          learner_id: 'uuid not null',
          user_id: 'uuid not null',
          device_id: 'uuid',
          action: 'text not null',
          at: 'timestamp with time zone not null',
        });
        expect(await indexesOf(driver, 'special_category_access')).toEqual([
          'special_category_access_learner',
          'special_category_access_pkey',
        ]);
        expect(await columnsOf(driver, 'sealing_keys')).toEqual({
          id: 'text not null',
          public_key: 'jsonb not null',
          private_key: 'jsonb not null',
          created_at: 'timestamp with time zone not null',
        });
      });
    });

    it('migrates a database at the previous version and keeps its data', async () => {
      await withEmpty(async (driver) => {
        expect(await runMigrations(driver, { target: 3 })).toEqual({ applied: [1, 2, 3] });
        expect(await appliedVersions(driver)).toEqual([1, 2, 3]);
        expect(await tablesOf(driver)).not.toContain('special_category_access');
        const seeded = await driver.transaction(seedAccount);
        const organisationId = seeded.organisationId;
        const learnerId = randomUUID();
        const stamps = {
          learnerId: '2026-01-05T10:00:00.000Z-0000-aaaaaaaaaaaaaaaa',
          sex: '2026-01-05T10:00:09.000Z-0001-bbbbbbbbbbbbbbbb',
        };
        await driver.query(
          `INSERT INTO records (organisation_id, entity_type, entity_id, data, field_hlcs, change_seq)
           VALUES ($1, 'equalityMonitoring', $2, $3::jsonb, $4::jsonb, 1)`,
          [organisationId, randomUUID(), JSON.stringify({ learnerId }), JSON.stringify(stamps)],
        );

        expect(await runMigrations(driver)).toEqual({ applied: ALL_VERSIONS.slice(3) });
        expect(await appliedVersions(driver)).toEqual(ALL_VERSIONS);
        expect(await tablesOf(driver)).toEqual(TABLES);
        const { rows } = await driver.query<{ user_id: string }>('SELECT user_id FROM auth_sessions');
        expect(rows).toEqual([{ user_id: seeded.userId }]);
        // The new index reads the records already held.
        const owned = await driver.query<{ entity_type: string }>(
          "SELECT entity_type FROM records WHERE organisation_id = $1 AND data ? 'learnerId' AND data->>'learnerId' = $2",
          [organisationId, learnerId],
        );
        expect(owned.rows).toEqual([{ entity_type: 'equalityMonitoring' }]);
        // Each record held gets its latest field stamp, which pulls send.
        const latest = await driver.query<{ latest_hlc: string }>('SELECT latest_hlc FROM records');
        expect(latest.rows).toEqual([{ latest_hlc: stamps.sex }]);
        const access = await driver.query('SELECT id FROM special_category_access');
        expect(access.rows).toEqual([]);
      });
    });

    it('rolls back a migration that fails, with the ones before it in the same run', async () => {
      await withEmpty(async (driver) => {
        const shipped = await loadMigrations();
        const broken: Migration = {
          version: shipped.length + 1,
          name: 'broken',
          sql: 'CREATE TABLE nope (',
          checksum: 'x',
        };
        await expect(runMigrations(driver, { migrations: [...shipped, broken] })).rejects.toThrow();
        expect(await tablesOf(driver)).toEqual([]);
      });
    });

    it('refuses a database migrated by a newer server, or with an edited migration', async () => {
      await withEmpty(async (driver) => {
        const shipped = await loadMigrations();
        await runMigrations(driver);
        await expect(runMigrations(driver, { migrations: shipped.slice(0, 1) })).rejects.toThrow(
          'newer than this server',
        );
        const edited = shipped.map((migration) =>
          migration.version === 4 ? { ...migration, checksum: 'edited' } : migration,
        );
        await expect(runMigrations(driver, { migrations: edited })).rejects.toThrow('must not be edited');
      });
    });
  });
}

describe('PGlite on files', { timeout: OPEN_TIMEOUT_MS }, () => {
  it('keeps its data across a close and reopen of DATA_DIR', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'outreach-data-'));
    try {
      let db: Database = await openDatabase({ dataDir });
      expect(db.kind).toBe('pglite');
      const seeded = await db.transaction(seedAccount);
      await db.close();
      expect(await readdir(dataDir)).toEqual(['pglite']);

      db = await openDatabase({ dataDir });
      try {
        const { rows } = await db.query<{ id: string; name: string }>('SELECT id, name FROM organisations');
        expect(rows).toEqual([{ id: seeded.organisationId, name: 'Kept across migrations' }]);
        expect(await appliedVersions(db)).toEqual(ALL_VERSIONS);
      } finally {
        await db.close();
      }
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});

describe('PostgreSQL migrated by two servers at once', { timeout: OPEN_TIMEOUT_MS }, () => {
  it('applies each migration once while both start', async () => {
    const throwaway = await createThrowawayDatabase();
    try {
      const servers = await Promise.all(
        Array.from({ length: 3 }, () => openDatabase({ databaseUrl: throwaway.url })),
      );
      try {
        expect(servers.map((db) => db.kind)).toEqual(['postgres', 'postgres', 'postgres']);
        expect(await appliedVersions(servers[0]!)).toEqual(ALL_VERSIONS);
        expect(await tablesOf(servers[1]!)).toEqual(TABLES);
      } finally {
        await Promise.all(servers.map((db) => db.close()));
      }
    } finally {
      await throwaway.drop();
    }
  });
});

describeEachBackend('schema guards', ({ db }) => {
  const historyRow = async (): Promise<number> => {
    const { rows } = await db().query<{ id: number }>(
      `INSERT INTO change_history (organisation_id, entity_type, entity_id, field, new_value, outcome)
       VALUES ($1, 'learner', $2, 'givenNames', '"Zoë"', 'applied') RETURNING id`,
      [randomUUID(), randomUUID()],
    );
    return rows[0]!.id;
  };

  it('refuses UPDATE, DELETE and TRUNCATE on change_history', async () => {
    const id = await historyRow();
    expect(typeof id).toBe('number');
    await expect(
      db().query('UPDATE change_history SET new_value = \'"x"\' WHERE id = $1', [id]),
    ).rejects.toThrow('change_history is append-only: UPDATE refused');
    await expect(db().query('DELETE FROM change_history WHERE id = $1', [id])).rejects.toThrow(
      'change_history is append-only: DELETE refused',
    );
    await expect(db().query('TRUNCATE change_history')).rejects.toThrow(
      'change_history is append-only: TRUNCATE refused',
    );
    // A setting for the session, not the transaction, is no way around it either when it is off.
    await expect(
      db().transaction(async (sql) => {
        await sql.query("SELECT set_config('outreach.allow_history_purge', 'off', true)");
        await sql.query('DELETE FROM change_history WHERE id = $1', [id]);
      }),
    ).rejects.toThrow('append-only');
    const { rows } = await db().query('SELECT id FROM change_history WHERE id = $1', [id]);
    expect(rows).toHaveLength(1);
  });

  it('allows a purge only inside a transaction that turned outreach.allow_history_purge on', async () => {
    const purged = await historyRow();
    const removed = await historyRow();
    await db().transaction(async (sql) => {
      await sql.query("SELECT set_config('outreach.allow_history_purge', 'on', true)");
      await sql.query('UPDATE change_history SET new_value = NULL WHERE id = $1', [purged]);
      await sql.query('DELETE FROM change_history WHERE id = $1', [removed]);
    });
    const { rows } = await db().query<{ id: number; new_value: unknown }>(
      'SELECT id, new_value FROM change_history WHERE id = ANY($1::bigint[]) ORDER BY id',
      [[purged, removed]],
    );
    expect(rows).toEqual([{ id: purged, new_value: null }]);
    // The setting ended with its transaction.
    await expect(db().query('DELETE FROM change_history WHERE id = $1', [purged])).rejects.toThrow(
      'append-only',
    );
  });

  it('refuses UPDATE, DELETE and TRUNCATE on special_category_access, and unknown actions', async () => {
    const { organisationId, userId } = await db().transaction(seedAccount);
    const insert = (action: string) =>
      db().query<{ id: number }>(
        `INSERT INTO special_category_access (organisation_id, learner_id, user_id, action)
         VALUES ($1, $2, $3, $4) RETURNING id`,
        [organisationId, randomUUID(), userId, action],
      );
    const id = (await insert('viewed')).rows[0]!.id;
    await expect(insert('glanced-at')).rejects.toMatchObject({ code: '23514' });
    await expect(
      db().query("UPDATE special_category_access SET action = 'exported' WHERE id = $1", [id]),
    ).rejects.toThrow('special_category_access is append-only: UPDATE refused');
    await expect(db().query('DELETE FROM special_category_access WHERE id = $1', [id])).rejects.toThrow(
      'special_category_access is append-only: DELETE refused',
    );
    await expect(db().query('TRUNCATE special_category_access')).rejects.toThrow(
      'special_category_access is append-only: TRUNCATE refused',
    );
    const { rows } = await db().query('SELECT id FROM special_category_access WHERE id = $1', [id]);
    expect(rows).toHaveLength(1);
  });

  it('keeps one attendance record per session and learner in an organisation', async () => {
    const organisationId = randomUUID();
    await db().query('INSERT INTO organisations (id, name) VALUES ($1, $2)', [organisationId, 'Attendance']);
    const attendance = (entityId: string, changeSeq: number) =>
      db().query(
        `INSERT INTO records (organisation_id, entity_type, entity_id, data, change_seq)
         VALUES ($1, 'attendance', $2, $3::jsonb, $4)`,
        [organisationId, entityId, JSON.stringify({ sessionId: 's1', learnerId: 'l1' }), changeSeq],
      );
    await attendance(randomUUID(), 1);
    await expect(attendance(randomUUID(), 2)).rejects.toMatchObject({ code: '23505' });
  });

  it('stores emails lower-cased only', async () => {
    const organisationId = randomUUID();
    await db().query('INSERT INTO organisations (id, name) VALUES ($1, $2)', [organisationId, 'Emails']);
    await expect(
      db().query(
        `INSERT INTO users (id, organisation_id, email, name, role, password_hash)
         VALUES ($1, $2, 'Mixed@Example.org', 'Mixed', 'tutor', 'x')`,
        [randomUUID(), organisationId],
      ),
    ).rejects.toMatchObject({ code: '23514' });
  });
});
