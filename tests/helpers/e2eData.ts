// What a Playwright test reads beneath the screens: the app's IndexedDB raw (without Dexie, so
// nothing the app does on opening it can tidy up) and the server's records through a browser's
// session cookie.
import { request } from 'playwright-core';
import type { APIRequestContext, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { DATABASE_NAME } from '../../src/db/database';
import {
  type PullResponse,
  type PulledRecord,
  type SyncedEntityType,
  RECORD_SCHEMA_VERSION,
  SYNC_HEADERS,
  SYNC_PROTOCOL_VERSION,
} from '../../src/domain/sync/protocol';

/** Every object store's row count, and the rows of `meta`. */
export async function readRawDatabase(
  page: Page,
): Promise<{ counts: Record<string, number>; meta: Record<string, unknown>[] }> {
  return page.evaluate(async (name: string) => {
    const database = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open(name);
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const read = <T>(request: IDBRequest<T>) =>
      new Promise<T>((resolve, reject) => {
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    try {
      const names = [...database.objectStoreNames];
      const transaction = database.transaction(names, 'readonly');
      const counts: Record<string, number> = {};
      for (const store of names) counts[store] = await read(transaction.objectStore(store).count());
      const meta = (await read(transaction.objectStore('meta').getAll())) as Record<string, unknown>[];
      return { counts, meta };
    } finally {
      database.close();
    }
  }, DATABASE_NAME);
}

/** Every row of the named object stores, read raw (stores the database does not have are left out). */
export async function readRawStores(
  page: Page,
  stores: readonly string[],
): Promise<Record<string, unknown[]>> {
  return page.evaluate(
    async ({ name, wanted }: { name: string; wanted: string[] }) => {
      const database = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open(name);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      try {
        const names = wanted.filter((store) => database.objectStoreNames.contains(store));
        const transaction = database.transaction(names, 'readonly');
        const rows: Record<string, unknown[]> = {};
        for (const store of names) {
          rows[store] = await new Promise<unknown[]>((resolve, reject) => {
            const request = transaction.objectStore(store).getAll();
            request.onsuccess = () => resolve(request.result);
            request.onerror = () => reject(request.error);
          });
        }
        return rows;
      } finally {
        database.close();
      }
    },
    { name: DATABASE_NAME, wanted: [...stores] },
  );
}

/**
 * Every record the server holds for the organisation (or of one type), as the user signed in in the
 * browser context (or the API client of signedInApiClient) may see them.
 */
export async function pullEverything(
  context: Pick<BrowserContext, 'request'>,
  url: string,
  entityType?: SyncedEntityType,
): Promise<PulledRecord[]> {
  const query = `cursor=0&limit=1000${entityType ? `&entityType=${entityType}` : ''}`;
  const response = await context.request.get(`${url}/api/sync/pull?${query}`, {
    headers: {
      [SYNC_HEADERS.protocolVersion]: String(SYNC_PROTOCOL_VERSION),
      [SYNC_HEADERS.schemaVersion]: String(RECORD_SCHEMA_VERSION),
      [SYNC_HEADERS.appVersion]: 'e2e',
    },
  });
  expect(response.status(), await response.text()).toBe(200);
  const body = (await response.json()) as PullResponse;
  expect(body.hasMore).toBe(false);
  return body.records;
}

/**
 * An HTTP client of its own, signed in as this person: it reads the server (with pullEverything)
 * without being any tablet, so nothing it does pushes or pulls for one. Dispose of it after.
 */
export async function signedInApiClient(
  url: string,
  account: { email: string; password: string },
): Promise<{ request: APIRequestContext }> {
  const client = await request.newContext({ baseURL: url });
  const signedIn = await client.post('/api/auth/sign-in', {
    data: { email: account.email, password: account.password },
  });
  expect(signedIn.status(), await signedIn.text()).toBe(200);
  return { request: client };
}

/**
 * Which of the texts each store holds, as "store: text" lines: a text counts wherever it is in the
 * store's rows as JSON, in any case.
 */
export function readableTexts(stores: Readonly<Record<string, unknown>>, texts: readonly string[]): string[] {
  const found: string[] = [];
  for (const [store, rows] of Object.entries(stores)) {
    const json = JSON.stringify(rows).toLowerCase();
    for (const text of texts) if (json.includes(text.toLowerCase())) found.push(`${store}: ${text}`);
  }
  return found;
}

/** None of the texts may be readable in any of the stores (rows read raw, e.g. by readRawStores). */
export function expectNothingReadable(
  stores: Readonly<Record<string, unknown>>,
  texts: readonly string[],
): void {
  expect(readableTexts(stores, texts), 'texts readable in the stores').toEqual([]);
}
