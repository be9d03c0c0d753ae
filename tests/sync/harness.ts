// Devices against the real server app in-process: PGlite in memory, Fastify's inject as each
// device's fetch (with its own cookie jar), and switches to cut the network or lose an answer.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, expect } from 'vitest';
import { type SyncApi, type Transport, createSyncApi } from '../../src/api/syncApi';
import type { OutreachDatabase } from '../../src/db/database';
import { getSyncState, recordSignedIn } from '../../src/db/syncState';
import { buildApp } from '../../src/server/app';
import type { Database } from '../../src/server/db/database';
import { openDatabase } from '../../src/server/db/database';
import { type SyncOptions, type SyncOutcome, syncOnce } from '../../src/sync/syncOnce';
import { discardTestDatabase, openTestDatabase } from '../fixtures/db';
import { COORDINATOR, TEST_SCRYPT_COST, sessionCookieOf, signIn, withSession } from '../server/testApp';

export type TestServer = { app: FastifyInstance; database: Database; close(): Promise<void> };

export async function startTestServer(): Promise<TestServer> {
  const database = await openDatabase({ inMemory: true });
  const app = buildApp({
    staticDir: mkdtempSync(path.join(tmpdir(), 'outreach-sync-static-')),
    database,
    scryptCost: TEST_SCRYPT_COST,
  });
  await app.ready();
  return {
    app,
    database,
    close: async () => {
      await app.close();
      await database.close();
    },
  };
}

export type NetworkSwitches = {
  offline: boolean;
  /** The next request whose path starts with this reaches the server, but its answer is lost. */
  loseAnswerTo: string | null;
  /** Paths requested, in order. */
  requests: string[];
};

/** A fetch into the app: cookies kept per device as a browser would, faults injected on demand. */
export function injectTransport(app: FastifyInstance, network: NetworkSwitches): Transport {
  const jar = new Map<string, string>();
  return async (input, init) => {
    const url = new URL(input, 'http://tablet.test');
    network.requests.push(`${init.method ?? 'GET'} ${url.pathname}`);
    if (network.offline) throw new TypeError('Failed to fetch');
    const headers: Record<string, string> = { ...(init.headers as Record<string, string>) };
    if (jar.size > 0) headers['cookie'] = [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
    const response = await app.inject({
      method: (init.method ?? 'GET') as 'GET' | 'POST',
      url: url.pathname + url.search,
      headers,
      payload: typeof init.body === 'string' ? init.body : undefined,
    });
    for (const cookie of response.cookies) {
      const expired = cookie.value === '' || (cookie.maxAge !== undefined && cookie.maxAge <= 0);
      if (expired) jar.delete(cookie.name);
      else jar.set(cookie.name, cookie.value);
    }
    if (network.loseAnswerTo !== null && url.pathname.startsWith(network.loseAnswerTo)) {
      network.loseAnswerTo = null;
      throw new TypeError('The connection dropped before the answer arrived');
    }
    const body = response.statusCode === 204 || response.statusCode === 304 ? null : response.body;
    return new Response(body, {
      status: response.statusCode,
      headers: { 'content-type': String(response.headers['content-type'] ?? 'application/json') },
    });
  };
}

export type TestDevice = {
  db: OutreachDatabase;
  api: SyncApi;
  network: NetworkSwitches;
  sync(options?: SyncOptions): Promise<SyncOutcome>;
  signIn(email?: string, password?: string): Promise<void>;
  setUp(): Promise<void>;
  discard(): Promise<void>;
};

/** Runs a task directly: fake-indexeddb tests have no navigator.locks. */
export const runDirectly = <T>(_name: string, task: () => Promise<T>): Promise<T> => task();

export function openDevice(server: TestServer): TestDevice {
  const db = openTestDatabase();
  const network: NetworkSwitches = { offline: false, loseAnswerTo: null, requests: [] };
  const api = createSyncApi({ appVersion: '0.1.0-test', transport: injectTransport(server.app, network) });
  return {
    db,
    api,
    network,
    sync: (options = {}) => syncOnce(db, api, { runExclusive: runDirectly, verify: true, ...options }),
    signIn: async (email = COORDINATOR.email, password = COORDINATOR.password) => {
      const result = await api.signIn(email, password);
      if (!result.ok) throw new Error(`sign-in failed: ${result.failure.message}`);
      await recordSignedIn(db, result.value);
    },
    setUp: async () => {
      const result = await api.setUp({ ...COORDINATOR });
      if (!result.ok) throw new Error(`set-up failed: ${result.failure.message}`);
      await recordSignedIn(db, result.value);
    },
    discard: () => discardTestDatabase(db),
  };
}

/**
 * Gives each test of the file its own server (PGlite in memory, a few seconds to start) and the
 * devices it opens, all discarded after it.
 */
export function useServerAndDevices(): { server(): TestServer; device(): TestDevice } {
  let server: TestServer | undefined;
  let devices: TestDevice[] = [];
  beforeEach(async () => {
    server = await startTestServer();
    devices = [];
  });
  afterEach(async () => {
    await Promise.all(devices.map((device) => device.discard()));
    await server?.close();
  });
  const current = () => {
    if (!server) throw new Error('useServerAndDevices: no server outside a test');
    return server;
  };
  return {
    server: current,
    device: () => {
      const made = openDevice(current());
      devices.push(made);
      return made;
    },
  };
}

/**
 * The coordinator, signed in on the server (not on the device), reports the device lost. Returns
 * their session token and the device's id on the server.
 */
export async function markDeviceLost(
  server: TestServer,
  db: OutreachDatabase,
): Promise<{ token: string; serverDeviceId: string | null }> {
  const token = sessionCookieOf(await signIn(server.app, COORDINATOR.email, COORDINATOR.password))!;
  const { serverDeviceId } = await getSyncState(db);
  const marked = await server.app.inject({
    method: 'POST',
    url: `/api/devices/${serverDeviceId}/lost`,
    ...withSession(token),
  });
  expect(marked.statusCode).toBe(204);
  return { token, serverDeviceId };
}
