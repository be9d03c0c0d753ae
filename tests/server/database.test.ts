// The Database interface on both backends: values as documented, transactions whole or not at all,
// one queue on PGlite, retries on PostgreSQL, and nextChangeSeq.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { nextChangeSeq } from '../../src/server/db/changeSeq';
import type { Database, Sql } from '../../src/server/db/database';
import { NestedDatabaseCallError } from '../../src/server/db/database';
import { TRANSACTION_ATTEMPTS } from '../../src/server/db/postgres';
import { describeEachBackend, OPEN_TIMEOUT_MS, SERVER_BACKENDS } from '../helpers/serverDb';

async function insertOrganisation(sql: Sql, name = 'Test organisation'): Promise<string> {
  const id = randomUUID();
  await sql.query('INSERT INTO organisations (id, name) VALUES ($1, $2)', [id, name]);
  return id;
}

async function countOrganisations(db: Database, name: string): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*) AS n FROM organisations WHERE name = $1', [
    name,
  ]);
  return rows[0]?.n ?? -1;
}

describeEachBackend('database values', ({ db }) => {
  it('returns int8, bigserial and count(*) as numbers', async () => {
    const { rows } = await db().query<{ a: number; b: number[]; n: number }>(
      'SELECT 9007199254740991::int8 AS a, ARRAY[1, 2]::int8[] AS b, count(*) AS n FROM organisations',
    );
    expect(rows[0]).toEqual({ a: Number.MAX_SAFE_INTEGER, b: [1, 2], n: expect.any(Number) });
  });

  it('refuses an int8 beyond Number.MAX_SAFE_INTEGER rather than rounding it', async () => {
    await expect(db().query('SELECT 9007199254740993::int8 AS a')).rejects.toThrow(RangeError);
    // The database is still usable afterwards.
    expect((await db().query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('parses jsonb and timestamptz, and takes JSON text for a jsonb parameter', async () => {
    const { rows } = await db().query<{ data: unknown; at: Date; id: string }>(
      "SELECT $1::jsonb AS data, '2026-11-23T12:00:00Z'::timestamptz AS at, $2::uuid AS id",
      [JSON.stringify({ list: [1, 2], name: 'Zoë' }), '0b0d8a56-5d1e-4a53-9b7e-2f0c7c1d9a01'],
    );
    expect(rows[0]).toEqual({
      data: { list: [1, 2], name: 'Zoë' },
      at: new Date('2026-11-23T12:00:00Z'),
      id: '0b0d8a56-5d1e-4a53-9b7e-2f0c7c1d9a01',
    });
  });
});

describeEachBackend('database transactions', ({ db, backend }) => {
  it('commits the whole function and returns its value', async () => {
    const name = `commit ${randomUUID()}`;
    const result = await db().transaction(async (sql) => {
      await insertOrganisation(sql, name);
      await insertOrganisation(sql, name);
      return 'done';
    });
    expect(result).toBe('done');
    expect(await countOrganisations(db(), name)).toBe(2);
  });

  it('rolls everything back when the function throws', async () => {
    const name = `rollback ${randomUUID()}`;
    await expect(
      db().transaction(async (sql) => {
        await insertOrganisation(sql, name);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await countOrganisations(db(), name)).toBe(0);
  });

  it('rolls back when a statement fails, and stays usable', async () => {
    const name = `failed statement ${randomUUID()}`;
    await expect(
      db().transaction(async (sql) => {
        await insertOrganisation(sql, name);
        await sql.query('INSERT INTO organisations (id, name) VALUES ($1, NULL)', [randomUUID()]);
      }),
    ).rejects.toMatchObject({ code: '23502' });
    expect(await countOrganisations(db(), name)).toBe(0);
  });

  it('refuses a call to the database from inside one of its transactions', async () => {
    await expect(db().transaction(() => db().query('SELECT 1'))).rejects.toThrow(NestedDatabaseCallError);
    await expect(db().transaction(() => db().transaction(async () => 1))).rejects.toThrow(
      NestedDatabaseCallError,
    );
  });

  it('refuses its sql once the transaction is over', async () => {
    let leaked: Sql | undefined;
    await db().transaction(async (sql) => {
      leaked = sql;
    });
    await expect(leaked!.query('SELECT 1')).rejects.toThrow();
  });

  it('never lets a statement outside a transaction see half of one', async () => {
    const name = `half ${randomUUID()}`;
    let release!: () => void;
    const halfway = new Promise<void>((resolve) => (release = resolve));
    const writer = db().transaction(async (sql) => {
      await insertOrganisation(sql, name);
      release();
      await new Promise((resolve) => setTimeout(resolve, 50));
      await insertOrganisation(sql, name);
    });
    await halfway;
    const seen = await countOrganisations(db(), name);
    await writer;
    // PGlite queues the read behind the transaction; PostgreSQL reads what is committed.
    expect(seen).toBe(backend.kind === 'pglite' ? 2 : 0);
    expect(await countOrganisations(db(), name)).toBe(2);
  });
});

describeEachBackend('nextChangeSeq', ({ db }) => {
  it('hands out the first of count new numbers, in order', async () => {
    const organisationId = await db().transaction((sql) => insertOrganisation(sql));
    expect(await db().transaction((sql) => nextChangeSeq(sql, organisationId))).toBe(1);
    expect(await db().transaction((sql) => nextChangeSeq(sql, organisationId, 3))).toBe(2);
    expect(await db().transaction((sql) => nextChangeSeq(sql, organisationId))).toBe(5);
    const { rows } = await db().query<{ change_seq: number }>(
      'SELECT change_seq FROM organisations WHERE id = $1',
      [organisationId],
    );
    expect(rows[0]?.change_seq).toBe(5);
  });

  it('keeps each organisation its own sequence', async () => {
    const [first, second] = await db().transaction(async (sql) => [
      await insertOrganisation(sql),
      await insertOrganisation(sql),
    ]);
    expect(await db().transaction((sql) => nextChangeSeq(sql, first!, 2))).toBe(1);
    expect(await db().transaction((sql) => nextChangeSeq(sql, second!))).toBe(1);
  });

  it('gives concurrent transactions distinct numbers', async () => {
    const organisationId = await db().transaction((sql) => insertOrganisation(sql));
    const firsts = await Promise.all(
      Array.from({ length: 10 }, () => db().transaction((sql) => nextChangeSeq(sql, organisationId, 2))),
    );
    expect([...firsts].sort((a, b) => a - b)).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
  });

  it('does not keep numbers taken in a transaction that rolled back', async () => {
    const organisationId = await db().transaction((sql) => insertOrganisation(sql));
    await expect(
      db().transaction(async (sql) => {
        await nextChangeSeq(sql, organisationId, 5);
        throw new Error('abandoned');
      }),
    ).rejects.toThrow('abandoned');
    expect(await db().transaction((sql) => nextChangeSeq(sql, organisationId))).toBe(1);
  });

  it('refuses an unknown organisation and a count below 1', async () => {
    await expect(db().transaction((sql) => nextChangeSeq(sql, randomUUID()))).rejects.toThrow(
      'no such organisation',
    );
    const organisationId = await db().transaction((sql) => insertOrganisation(sql));
    await expect(db().transaction((sql) => nextChangeSeq(sql, organisationId, 0))).rejects.toThrow(
      RangeError,
    );
  });
});

const postgres = SERVER_BACKENDS.find((backend) => backend.kind === 'postgres')!;

describe('PostgreSQL transaction retries', { timeout: OPEN_TIMEOUT_MS }, () => {
  it('runs the whole function again after a deadlock, and both transactions commit', async () => {
    const db = await postgres.open();
    try {
      const [a, b] = await db.transaction(async (sql) => [
        await insertOrganisation(sql),
        await insertOrganisation(sql),
      ]);
      let attempts = 0;
      let arrived = 0;
      let bothLocked!: () => void;
      const barrier = new Promise<void>((resolve) => (bothLocked = resolve));
      // Each locks one row, waits until the other has locked the other row, then asks for it.
      const crossing = (first: string, second: string) =>
        db.transaction(async (sql) => {
          attempts += 1;
          await sql.query("UPDATE organisations SET name = name || '.' WHERE id = $1", [first]);
          arrived += 1;
          if (arrived === 2) bothLocked();
          await barrier;
          await sql.query("UPDATE organisations SET name = name || '.' WHERE id = $1", [second]);
        });
      await Promise.all([crossing(a!, b!), crossing(b!, a!)]);
      // PostgreSQL aborted one of them with 40P01; it was run again once the other had committed.
      expect(attempts).toBe(3);
      const { rows } = await db.query<{ name: string }>('SELECT name FROM organisations ORDER BY name');
      expect(rows.map((row) => row.name)).toEqual(['Test organisation..', 'Test organisation..']);
    } finally {
      await db.close();
    }
  });

  it('retries a serialization failure a bounded number of times, then throws it', async () => {
    const db = await postgres.open();
    try {
      let attempts = 0;
      const failing = db.transaction(async (sql) => {
        attempts += 1;
        await sql.query(
          "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$",
        );
      });
      await expect(failing).rejects.toMatchObject({ code: '40001' });
      expect(attempts).toBe(TRANSACTION_ATTEMPTS);

      let flakyAttempts = 0;
      const result = await db.transaction(async (sql) => {
        flakyAttempts += 1;
        if (flakyAttempts === 1) {
          await sql.query(
            "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = 'serialization_failure'; END $$",
          );
        }
        return 'second time lucky';
      });
      expect({ result, flakyAttempts }).toEqual({ result: 'second time lucky', flakyAttempts: 2 });

      let otherAttempts = 0;
      await expect(
        db.transaction(async (sql) => {
          otherAttempts += 1;
          await sql.query('SELECT 1 / 0');
        }),
      ).rejects.toMatchObject({ code: '22012' });
      expect(otherAttempts).toBe(1);
    } finally {
      await db.close();
    }
  });
});
