// A PostgreSQL server through a node-postgres Pool: each transaction has a connection to itself, and
// one that fails on a serialization failure or a deadlock is run again from the start.
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import type { PoolClient } from 'pg';
import type { Driver, ScriptSql } from './database';
import { INT8_ARRAY_OID, INT8_OID, parseInt8, refuseNestedCall, runMarkedAsTransaction } from './database';

/** How many times a transaction is tried in all before its serialization failure or deadlock is thrown. */
export const TRANSACTION_ATTEMPTS = 5;
/** SQLSTATEs after which running the whole transaction again can succeed. */
const RETRYABLE_SQLSTATES: ReadonlySet<string> = new Set(['40001', '40P01']);

type TypeIdOf = Parameters<typeof pg.types.getTypeParser>[0];
// 1016 is missing from pg-types' list of built-in type ids, though it has a parser for it.
const defaultInt8ArrayParser = pg.types.getTypeParser(INT8_ARRAY_OID as TypeIdOf, 'text') as (
  text: string,
) => unknown;

/** The pool's own parsers: int8 as numbers here without changing pg's defaults for the process. */
const TYPES = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === INT8_OID) return parseInt8;
    if (oid === INT8_ARRAY_OID) return (text: string) => mapInt8Array(defaultInt8ArrayParser(text));
    return format === 'binary' ? pg.types.getTypeParser(oid, 'binary') : pg.types.getTypeParser(oid);
  }) as typeof pg.types.getTypeParser,
};

/**
 * Connections in the pool (node-postgres's default, made explicit). A burst of 200 devices syncing is
 * CPU-bound on a small server: with 20, every statement waited longer and the burst took no less.
 */
const POOL_SIZE = 10;

/**
 * Every statement with parameters is sent as a named prepared statement, parsed once per connection
 * instead of once per call: a push is ten short statements, and parsing them is a share of the
 * database's work worth saving. Planned on every call still (plan_cache_mode, below), as without preparing, so a
 * statement is never run with a generic plan that suits some parameters badly.
 */
const PREPARED_LIMIT = 1000;
const statementNames = new Map<string, string>();

/** The query with its statement's name; texts beyond PREPARED_LIMIT go unnamed (built ones, if any). */
function preparedQuery(text: string, params: unknown[] | undefined): pg.QueryConfig {
  if (!params || params.length === 0) return { text };
  let name = statementNames.get(text);
  if (name === undefined && statementNames.size < PREPARED_LIMIT) {
    name = `outreach_${statementNames.size}`;
    statementNames.set(text, name);
  }
  return name === undefined ? { text, values: params } : { name, text, values: params };
}

export async function openPostgres(connectionString: string): Promise<Driver> {
  const pool = new pg.Pool({
    connectionString,
    types: TYPES,
    application_name: 'outreach-register',
    max: POOL_SIZE,
    options: '-c plan_cache_mode=force_custom_plan',
  });
  // An idle connection the server drops (a restart) is removed from the pool; without a listener
  // the error would end the process. The next query opens a new connection.
  pool.on('error', (error: Error & { code?: string }) => {
    console.error(`database: an idle connection failed (${error.code ?? error.name}); it was dropped`);
  });
  // Fail at start, not at the first request, when the server cannot be reached.
  const probe = await pool.connect().catch(async (error: unknown) => {
    await pool.end();
    throw error;
  });
  probe.release();

  return {
    kind: 'postgres',
    query: async <T>(text: string, params?: unknown[]) => {
      refuseNestedCall();
      const result = await pool.query(preparedQuery(text, params));
      return { rows: result.rows as T[] };
    },
    transaction: async <T>(fn: (sql: ScriptSql) => Promise<T>) => {
      refuseNestedCall();
      for (let attempt = 1; ; attempt++) {
        try {
          return await runTransaction(pool, fn);
        } catch (error) {
          if (attempt >= TRANSACTION_ATTEMPTS || !isRetryable(error)) throw error;
          // Jitter, so two transactions that deadlocked do not meet again at once.
          await sleep(Math.floor(Math.random() * 20 * attempt) + 1);
        }
      }
    },
    close: () => pool.end(),
  };
}

async function runTransaction<T>(pool: pg.Pool, fn: (sql: ScriptSql) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  try {
    await client.query('BEGIN');
    const sql = scriptSqlOf(client);
    try {
      const result = await runMarkedAsTransaction(() => fn(sql));
      await client.query('COMMIT');
      return result;
    } finally {
      sql.end();
    }
  } catch (error) {
    // After a failed COMMIT this only warns; if it fails, the connection is unusable and is
    // released as broken, so the pool closes it rather than lending it again.
    await client.query('ROLLBACK').catch((rollbackError: unknown) => {
      broken = rollbackError instanceof Error ? rollbackError : new Error('ROLLBACK failed');
    });
    throw error;
  } finally {
    client.release(broken);
  }
}

/** The transaction's sql, which refuses to run once its transaction is over (its client is back in the pool). */
function scriptSqlOf(client: PoolClient): ScriptSql & { end(): void } {
  let ended = false;
  const checkOpen = (): void => {
    if (ended) throw new Error('This transaction is over: its sql cannot be used any more.');
  };
  return {
    query: async <T>(text: string, params?: unknown[]) => {
      checkOpen();
      const result = await client.query(preparedQuery(text, params));
      return { rows: result.rows as T[] };
    },
    // Without parameters pg uses the simple query protocol, which runs several statements.
    exec: async (script: string) => {
      checkOpen();
      await client.query(script);
    },
    end: () => {
      ended = true;
    },
  };
}

export function isRetryable(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    typeof error.code === 'string' &&
    RETRYABLE_SQLSTATES.has(error.code)
  );
}

function mapInt8Array(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(mapInt8Array);
  return typeof value === 'string' ? parseInt8(value) : value;
}
