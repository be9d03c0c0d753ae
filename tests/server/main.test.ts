// src/server/main.ts as `npm start` runs it: the database from DATA_DIR or DATABASE_URL, migrated at
// start, and closed at a graceful stop so the next start finds everything that was written.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer } from '../helpers/server';
import { createThrowawayDatabase, OPEN_TIMEOUT_MS } from '../helpers/serverDb';
import { COORDINATOR } from './testApp';

let staticDir: string;

beforeAll(async () => {
  staticDir = await mkdtemp(path.join(tmpdir(), 'outreach-static-'));
  await writeFile(path.join(staticDir, 'index.html'), '<!doctype html><title>Outreach Register</title>');
});
afterAll(() => rm(staticDir, { recursive: true, force: true }));

async function setUpAndRestart(options: { dataDir?: string; env?: Record<string, string> }): Promise<void> {
  const first = await startServer({ staticDir, ...options });
  try {
    const setUp = await fetch(`${first.url}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(COORDINATOR),
    });
    expect(setUp.status).toBe(201);
  } finally {
    await first.stop();
  }
  expect(first.output()).not.toMatch(/error/i);

  const second = await startServer({ staticDir, ...options });
  try {
    expect(await (await fetch(`${second.url}/api/setup`)).json()).toEqual({ needed: false });
    const signIn = await fetch(`${second.url}/api/auth/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: COORDINATOR.email, password: COORDINATOR.password }),
    });
    expect(signIn.status).toBe(200);
  } finally {
    await second.stop();
  }
}

describe('the server process', { timeout: 2 * OPEN_TIMEOUT_MS }, () => {
  it('keeps its embedded database in DATA_DIR across a stop and start', async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), 'outreach-data-'));
    try {
      await setUpAndRestart({ dataDir });
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });

  it('uses DATABASE_URL when it is set', async () => {
    const throwaway = await createThrowawayDatabase();
    try {
      await setUpAndRestart({ env: { DATABASE_URL: throwaway.url } });
    } finally {
      await throwaway.drop();
    }
  });
});
