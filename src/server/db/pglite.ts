// The embedded database: PGlite, PostgreSQL in WebAssembly in this process, with one connection.
// Every query and transaction waits its turn in one queue, so a statement outside a transaction never
// runs between the statements of one. One process per data folder: PGlite does not share its files.
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import type { Transaction } from '@electric-sql/pglite';
import type { Driver, Rows, ScriptSql } from './database';
import { INT8_OID, parseInt8, refuseNestedCall, runMarkedAsTransaction } from './database';

/** Opens PGlite on dataDir (created if missing), or in memory when dataDir is undefined. */
export async function openPglite(dataDir: string | undefined): Promise<Driver> {
  if (dataDir !== undefined) await mkdir(dataDir, { recursive: true });
  // int8 arrays already go through the int8 parser element by element.
  const pglite = await PGlite.create({ dataDir, parsers: { [INT8_OID]: parseInt8 } });

  let queue: Promise<unknown> = Promise.resolve();
  let closed = false;
  /** Runs task after everything queued before it, whether that succeeded or failed. */
  const enqueue = <T>(task: () => Promise<T>): Promise<T> => {
    try {
      refuseNestedCall();
    } catch (error) {
      return Promise.reject(error);
    }
    if (closed) return Promise.reject(new Error('The database is closed.'));
    const result = queue.then(task, task);
    queue = result.catch(() => undefined);
    return result;
  };

  return {
    kind: 'pglite',
    query: <T>(text: string, params?: unknown[]) =>
      enqueue(async () => rowsOf(await pglite.query<T>(text, params))),
    transaction: <T>(fn: (sql: ScriptSql) => Promise<T>) =>
      enqueue(() => pglite.transaction((tx) => runMarkedAsTransaction(() => fn(scriptSqlOf(tx))))),
    close: async () => {
      if (closed) return;
      const drained = queue;
      closed = true;
      await drained;
      await pglite.close();
    },
  };
}

function scriptSqlOf(tx: Transaction): ScriptSql {
  return {
    query: async <T>(text: string, params?: unknown[]) => rowsOf(await tx.query<T>(text, params)),
    exec: async (script: string) => {
      await tx.exec(script);
    },
  };
}

function rowsOf<T>(result: { rows: T[] }): Rows<T> {
  return { rows: result.rows };
}
